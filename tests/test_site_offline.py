"""The built example site opened from disk in headless Chromium: every diagram renders, offline."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from tests.browser import chromium_path, dump_dom
from tests.conftest import ROOT, need


def test_every_mermaid_diagram_renders_offline(project: Path) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need((ROOT / "node_modules/mermaid/dist/mermaid.min.js").is_file(), "node_modules/mermaid is missing (npm ci)")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    checked = 0
    for md in sorted((project / "docs").rglob("*.md")):
        diagrams = md.read_text(encoding="utf-8").count("```mermaid")
        if not diagrams:
            continue
        rel = md.relative_to(project / "docs").with_suffix("")
        html = project / "site" / (rel.parent if rel.name == "index" else rel) / "index.html"
        dom = dump_dom(html.as_uri())
        # Material swaps each rendered diagram's <pre class="mermaid"> for a <div class="mermaid">.
        assert len(re.findall(r'<div class="mermaid"', dom)) == diagrams, html
        assert '<pre class="mermaid"' not in dom, f"{html}: a diagram stayed source"
        checked += diagrams
    assert checked >= 2
