"""Zensical, Material's successor, builds the example from the same mkdocs.yml, strict."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE, ROOT, need


@pytest.mark.engine
def test_zensical_builds_the_example_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zensical = shutil.which("zensical") or (str(ROOT / ".venv/bin/zensical") if (ROOT / ".venv/bin/zensical").exists() else None)
    need(zensical is not None, "zensical is not installed (pip install -e '.[test]')")
    shutil.copytree(EXAMPLE, tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--no-html"])
    assert result.exit_code == 0, result.output
    done = subprocess.run([zensical, "build", "--strict", "--clean"], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (tmp_path / "site/engagements/kestrel-shop/operate/index.html").is_file()
    assert (tmp_path / "site/phases/operate/index.html").is_file()
