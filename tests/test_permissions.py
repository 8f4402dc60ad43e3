"""What opsdocs writes gets the permissions the user's umask gives any new file: a web server running as another
user can read a site built with umask 022, and nobody else can read one built with 077."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import ROOT


@pytest.fixture(params=[0o022, 0o077], ids=["umask-022", "umask-077"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def modes(root: Path) -> set[tuple[str, int]]:
    found = {("folder", stat.S_IMODE(root.stat().st_mode))}
    for path in root.rglob("*"):
        found.add(("folder" if path.is_dir() else "file", stat.S_IMODE(path.stat().st_mode)))
    return found


def test_built_sites_exports_and_skeletons_follow_the_umask(project: Path, umask: int) -> None:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    expected = {("folder", 0o777 & ~umask), ("file", 0o666 & ~umask)}
    run = CliRunner().invoke
    assert run(cli, ["build"]).exit_code == 0
    assert run(cli, ["build", "--target", "docusaurus", "--out", "docusaurus-docs"]).exit_code == 0
    for folder in ("docs", "site", "docusaurus-docs"):
        assert modes(project / folder) == expected, folder
    assert run(cli, ["build", "--no-html"]).exit_code == 0  # an incremental build rewrites files in place
    assert modes(project / "docs") == expected
    assert run(cli, ["export", "kestrel-shop", "--format", "md", "--out", "handover.md"]).exit_code == 0
    assert stat.S_IMODE((project / "handover.md").stat().st_mode) == 0o666 & ~umask
    result = run(cli, ["new", "runbook", "kestrel-shop", "cache-down", "--title", "Cache down", "--no-input"])
    assert result.exit_code == 0, result.output
    new = project / "content/engagements/kestrel-shop/runbooks/cache-down.yaml"
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert run(cli, ["init", "fresh", "--consultancy", "Umask & Co", "--no-input"]).exit_code == 0
    assert modes(project / "fresh") == expected
