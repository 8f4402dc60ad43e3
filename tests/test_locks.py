"""Two opsdocs commands at once in one project: the second waits for the first (saying whom it waits for), or with
--no-wait stops at once; a lock whose process was killed is taken over. Real processes, as a user would start them."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.lock import holding, lock_file
from tests.conftest import ROOT

pytestmark = pytest.mark.engine  # every test here runs real MkDocs builds in processes of their own


def start(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def finish(process: subprocess.Popen, timeout: int = 300) -> tuple[int, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err


def tree(path: Path) -> dict[str, bytes]:
    """A built site's files, less the sitemap's compressed copy (gzip writes the time into it)."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"}


@pytest.fixture
def site_project(project: Path) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def held_by(project: Path, folder: str) -> int | None:
    """The pid written in a folder's lock file, if a process holds it now."""
    try:
        return json.loads(lock_file(project, (project / folder).resolve()).read_text() or "{}").get("pid")
    except FileNotFoundError:
        return None


def test_two_builds_at_once_both_succeed_in_turn(site_project: Path) -> None:
    first, second = start(site_project, "build"), start(site_project, "build")
    (code1, out1), (code2, out2) = finish(first), finish(second)
    assert (code1, code2) == (0, 0), out1 + out2
    assert "waiting for another opsdocs build, pid" in out1 + out2  # one of them saw the other
    assert "not found in the documentation files" not in out1 + out2
    together = tree(site_project / "site")
    code, out = finish(start(site_project, "build"))
    assert code == 0, out
    assert tree(site_project / "site") == together
    assert not [p for p in site_project.glob("*/**/*.lock") if ".opsdocs-cache" not in p.parts]


def test_a_build_waits_for_the_holder_and_says_whom(site_project: Path) -> None:
    """The test holds the lock of docs/ as another build would; the build waits, names it, then proceeds."""
    with holding(site_project, [site_project / "docs"], "build"):
        waiting = start(site_project, "build")
        time.sleep(3)
        assert waiting.poll() is None, "the build did not wait for the lock"
    code, out = finish(waiting)
    assert code == 0, out
    assert f"waiting for another opsdocs build, pid {os.getpid()}, started " in out and "it is writing docs/" in out


def test_no_wait_stops_at_once(site_project: Path) -> None:
    with holding(site_project, [site_project / "site"], "build --split"):
        began = time.monotonic()
        code, out = finish(start(site_project, "build", "--no-wait"))
        took = time.monotonic() - began
    assert code == 1, out
    assert re.search(rf"another opsdocs build --split, pid {os.getpid()}, started \d+ s ago is writing site/", out), out
    assert "without --no-wait" in out
    assert took < 30  # it did not wait for the lock (its own start-up and reading the content aside)
    assert not (site_project / "site").exists()


def test_build_and_split_build_at_once(site_project: Path) -> None:
    one, split = start(site_project, "build"), start(site_project, "build", "--split")
    (code1, out1), (code2, out2) = finish(one), finish(split)
    assert (code1, code2) == (0, 0), out1 + out2
    # Whichever waited ran second, and its site is the one left: the same bytes as that build alone gives.
    last = ["build", "--split"] if "waiting for another" in out2 else ["build"]
    assert "waiting for another" in out1 + out2
    together = tree(site_project / "site")
    code, out = finish(start(site_project, *last))
    assert code == 0, out
    assert tree(site_project / "site") == together


def test_two_writers_of_one_engagement(site_project: Path) -> None:
    """Two skeletons and a rewrite of the rule files, started together: each waits its turn, and all land."""
    runbooks = site_project / "content/engagements/kestrel-shop/runbooks"
    with holding(site_project, [site_project / "content"], "new"):
        writers = [start(site_project, "new", "runbook", "kestrel-shop", rid, "--title", f"Runbook {rid}", "--owner", "Ops",
                         "--no-input") for rid in ("cache-cold", "queue-stuck")]
        writers.append(start(site_project, "runbook-urls", "kestrel-shop", "--site-url", "https://ops.example.com/", "--write"))
        time.sleep(3)
        assert [w.poll() for w in writers] == [None, None, None], "a writer did not wait for the content's lock"
        assert not (runbooks / "cache-cold.yaml").exists()
    results = [finish(w) for w in writers]
    assert [code for code, _ in results] == [0, 0, 0], results
    assert all("waiting for another opsdocs new" in out for _, out in results)
    assert (runbooks / "cache-cold.yaml").is_file() and (runbooks / "queue-stuck.yaml").is_file()
    code, out = finish(start(site_project, "check"))
    assert code == 0, out


def test_a_killed_build_leaves_no_lock_behind(site_project: Path) -> None:
    killed = start(site_project, "build")
    wait_for(lambda: held_by(site_project, "docs") == killed.pid, "the build to take its lock")
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    began = time.monotonic()
    code, out = finish(start(site_project, "build", "--no-wait"))
    assert code == 0, out
    assert "waiting" not in out and "another opsdocs" not in out
    assert (site_project / "site/index.html").is_file()
    assert time.monotonic() - began < 120
