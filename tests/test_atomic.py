"""Failure: a build killed at any moment leaves the old output or the new, never a mix; nothing else is destroyed."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.write import MARKER
from tests.conftest import EXAMPLE, ROOT


def tree(path: Path) -> dict[str, bytes]:
    """A folder's files and bytes (the gzip'd sitemap carries a time stamp, so it is left out)."""
    if not path.is_dir():
        return {}
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file() and p.suffix != ".gz"}


def set_title(project: Path, title: str) -> None:
    site = project / "content/site.yaml"
    text = site.read_text()
    start = text.index("  title: ") + len("  title: ")
    site.write_text(text[:start] + title + text[text.index("\n", start):])


def build_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "generator", "build"]


@pytest.mark.engine
def test_sigkill_at_random_moments_leaves_old_or_new(tmp_path: Path) -> None:
    project = tmp_path
    shutil.copytree(EXAMPLE, project / "content")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    snapshots = {}
    durations = []
    for title in ("Alpha Handbook", "Beta Handbook"):
        set_title(project, title)
        start = time.perf_counter()
        subprocess.run(build_command(project), cwd=project, env=env, check=True, capture_output=True)
        durations.append(time.perf_counter() - start)
        snapshots[title] = (tree(project / "docs"), tree(project / "site"))
    assert snapshots["Alpha Handbook"][1] != snapshots["Beta Handbook"][1]
    rng = random.Random(20261126)
    longest = max(durations)
    current = "Beta Handbook"
    outcomes = {"old": 0, "new": 0, "finished": 0}
    for run in range(24):
        other = "Alpha Handbook" if current == "Beta Handbook" else "Beta Handbook"
        set_title(project, other)
        process = subprocess.Popen(build_command(project), cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, longest * 1.3))
        finished = process.poll() is not None
        process.send_signal(signal.SIGKILL)
        process.wait()
        docs, site = tree(project / "docs"), tree(project / "site")
        for name, found, index in (("docs", docs, 0), ("site", site, 1)):
            assert found in (snapshots[current][index], snapshots[other][index]), f"run {run}: {name}/ is a mix"
        outcome = "new" if site == snapshots[other][1] else "old"
        outcomes["finished" if finished else outcome] += 1
        if outcome == "new":
            current = other
    assert outcomes["old"] >= 5, outcomes  # most kills land mid-build, where the old tree must survive
    # The next build tidies up whatever the kills left beside the output.
    set_title(project, "Alpha Handbook")
    subprocess.run(build_command(project), cwd=project, env=env, check=True, capture_output=True)
    assert tree(project / "site") == snapshots["Alpha Handbook"][1]
    assert not [p.name for p in project.iterdir() if p.name.startswith((".docs.", ".site."))]


def test_a_folder_opsdocs_did_not_make_is_never_replaced(project: Path) -> None:
    mine = project / "notes"
    mine.mkdir()
    (mine / "todo.txt").write_text("my own work")
    result = CliRunner().invoke(cli, ["build", "--no-html", "--out", "notes"])
    assert result.exit_code == 1
    assert "not empty and was not made by opsdocs" in result.output
    assert (mine / "todo.txt").read_text() == "my own work"


def test_an_opsdocs_folder_carries_the_marker_and_is_replaced(project: Path) -> None:
    assert CliRunner().invoke(cli, ["build", "--no-html", "--out", "out"]).exit_code == 0
    assert (project / "out" / MARKER).is_file()
    (project / "out/stale.md").write_text("left from before")
    assert CliRunner().invoke(cli, ["build", "--no-html", "--out", "out"]).exit_code == 0
    assert not (project / "out/stale.md").exists()


@pytest.mark.parametrize("out", [".", "content", "content/engagements", "/", ".."])
def test_dangerous_output_folders_are_refused(project: Path, out: str) -> None:
    before = tree(project / "content")
    result = CliRunner().invoke(cli, ["build", "--no-html", "--out", out])
    assert result.exit_code == 1
    assert "refusing" in result.output
    assert tree(project / "content") == before
