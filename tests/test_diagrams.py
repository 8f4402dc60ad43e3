"""Every mermaid diagram opsdocs writes is valid: it renders to an SVG in a real browser (MkDocs site)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.browser import chromium_path, count_diagrams, launch
from tests.conftest import EXAMPLE, ROOT, need
from tests.serve import serve


@pytest.fixture(scope="module")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("mkdocs-site")
    shutil.copytree(EXAMPLE, base / "content")
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build", "--content", str(base / "content"), "--site-dir", str(base / "site"), "--out", str(base / "docs")])
    assert result.exit_code == 0, result.output
    return base


@pytest.mark.engine
def test_every_diagram_renders_to_svg(built_example: Path) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import OPEN_SHADOW_ROOTS

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    expected = {}
    for md in sorted((built_example / "docs").rglob("*.md")):
        fences = md.read_text(encoding="utf-8").count("```mermaid")
        if fences:
            rel = md.relative_to(built_example / "docs").with_suffix("").as_posix()
            expected["/" + ("" if rel == "index" else rel.removesuffix("index").removesuffix("/") + "/")] = fences
    assert sum(expected.values()) >= 8, expected
    with serve(built_example / "site") as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        page.add_init_script(OPEN_SHADOW_ROOTS)
        for route, fences in expected.items():
            page.goto(url + route)
            assert count_diagrams(page, fences) == (fences, 0), route
        browser.close()
