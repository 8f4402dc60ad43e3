"""`opsdocs check` in CI and pre-commit: JSON, GitHub workflow commands, and the hook run by pre-commit itself."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE, ROOT, need

RUNBOOK = "content/engagements/kestrel-shop/runbooks/checkout-errors.yaml"


def break_runbook(root: Path) -> None:
    path = root / RUNBOOK
    path.write_text(path.read_text(encoding="utf-8").replace("owner:", "ownr:", 1), encoding="utf-8")


def test_json_is_an_array_of_problems(project: Path) -> None:
    ok = CliRunner().invoke(cli, ["check", "--format", "json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout) == []
    break_runbook(project)
    result = CliRunner().invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)
    assert problem == {"path": RUNBOOK, "line": 9, "column": 1, "message": "unknown key 'ownr'",
                       "hint": "did you mean 'owner'?", "severity": "error"}


def test_json_says_an_error_that_is_not_in_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)
    assert problem["path"] is None and "content folder does not exist" in problem["message"]


def test_github_prints_workflow_commands(project: Path) -> None:
    break_runbook(project)
    result = CliRunner().invoke(cli, ["check", "--format", "github"])
    assert result.exit_code == 1
    assert result.stdout == f"::error file={RUNBOOK},line=9,col=1,title=opsdocs::unknown key 'ownr'%0Ahint: did you mean 'owner'?\n"


def test_warnings_keep_their_severity(project: Path) -> None:
    path = project / "content/engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('at: "09:12"', 'at: "09:59"', 1), encoding="utf-8")  # out of order: a warning
    result = CliRunner().invoke(cli, ["check", "--format", "json"])
    assert result.exit_code == 0
    assert [p["severity"] for p in json.loads(result.stdout)] == ["warning"]
    assert CliRunner().invoke(cli, ["check", "--format", "github"]).stdout.startswith("::warning file=")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(docs: Path, home: Path) -> subprocess.CompletedProcess:
    tool = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    need(Path(tool).exists(), "pre-commit is not installed (pip install -e '.[test]')")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run([tool, "try-repo", str(ROOT), "opsdocs-check", "--all-files"], cwd=docs, env=env,
                          capture_output=True, text=True, timeout=900)


def a_docs_repository(root: Path) -> Path:
    shutil.copytree(EXAMPLE, root / "content")
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "docs"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    return root


def test_the_pre_commit_hook_passes_the_example_and_shows_the_problem_of_a_broken_copy(tmp_path: Path, pre_commit_home: Path) -> None:
    need(shutil.which("git") is not None, "git is not installed")
    docs = a_docs_repository(tmp_path / "docs")
    passed = try_repo(docs, pre_commit_home)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-3000:]
    assert "opsdocs check" in passed.stdout and "Passed" in passed.stdout
    break_runbook(docs)
    failed = try_repo(docs, pre_commit_home)
    assert failed.returncode == 1
    assert f"{RUNBOOK}:9:1: unknown key 'ownr'" in failed.stdout
