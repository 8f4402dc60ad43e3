"""`opsdocs export`: the Markdown handover (golden), the self-contained HTML, and the printed PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.export import export_handover
from generator.project import BuildOptions, Project
from tests.browser import chromium_path
from tests.conftest import EXAMPLE, ROOT, need

GOLDEN = Path(__file__).parent / "golden" / "export" / "handover-kestrel-shop.md"


def example_export(fmt: str) -> bytes:
    return export_handover(Project(ROOT, EXAMPLE), "kestrel-shop", fmt, BuildOptions())


def test_markdown_handover_is_golden(update_golden: bool) -> None:
    markdown = example_export("md")
    if update_golden:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(markdown)
    assert markdown.decode() == GOLDEN.read_text(encoding="utf-8")


def test_markdown_handover_order_and_links() -> None:
    text = example_export("md").decode()
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == ["Contents", "Overview", "Operate plan", "Runbooks", "Post-mortems", "Handover", "Engagement terms"]
    title_page = text[:text.index("</div>")]
    assert "| Accepted | version 1.1 on September 15, 2026 by Miriam Albers (CTO) |" in title_page
    for section in ("Responsibilities", "Maintenance windows", "Backups and restores", "Known issues", "Access",
                    "Out of scope", "Knowledge transfer", "Acceptance"):  # the handover's sections, before the terms
        assert text.index(f"### {section}\n") < text.index("## Engagement terms")
    targets = set(re.findall(r"\]\(#([a-z0-9-]+)\)", text))
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', text))
    assert targets and targets <= anchors, targets - anchors
    assert not re.search(r"\]\([^)#]*\.md", text), "a link to another page survived"
    assert "Margin on this retainer" not in text  # a client handover by default


def test_unknown_engagement(project: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "kestrel", "--format", "md"])
    assert result.exit_code == 1 and "did you mean 'kestrel-shop'?" in result.output


def test_missing_chromium_is_a_clear_error(project: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "kestrel-shop", "--format", "pdf", "--chromium", "/nowhere/chromium"])
    assert result.exit_code == 1
    assert "no Chromium at this path" in result.output and "apt-get install chromium" in result.output


@pytest.fixture(scope="module")
def html_and_pdf(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need((ROOT / "node_modules/mermaid/dist/mermaid.min.js").is_file(), "node_modules/mermaid is missing (npm ci)")
    out = tmp_path_factory.mktemp("export")
    files = {}
    for fmt in ("html", "pdf"):
        files[fmt] = out / f"handover.{fmt}"
        files[fmt].write_bytes(example_export(fmt))
    return files


@pytest.mark.engine
def test_html_opens_with_no_network_and_every_diagram_is_svg(html_and_pdf: dict[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    markdown = example_export("md").decode()
    diagrams = markdown.count("```mermaid")
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()

        def block(route) -> None:
            requests.append(route.request.url)
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", block)
        page.goto(html_and_pdf["html"].as_uri())
        svgs = page.evaluate("() => document.querySelectorAll('figure.diagram > svg').length")
        scripts = page.evaluate("() => document.scripts.length")
        errors = page.evaluate("() => Array.from(document.querySelectorAll('figure.diagram svg')).filter(s => (s.textContent || '').includes('Syntax error')).length")
        browser.close()
    assert [u for u in requests if not u.startswith("file:")] == []
    assert diagrams >= 7 and svgs == diagrams and errors == 0
    assert scripts == 0


@pytest.mark.engine
def test_pdf_pages_text_and_no_mermaid_source(html_and_pdf: dict[str, Path]) -> None:
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)")
    pdf = html_and_pdf["pdf"]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 15 <= pages <= 60, pages
    assert "A4" in info
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    from generator.pipeline import read_content

    data = read_content(Project(ROOT, EXAMPLE)).content.engagements["kestrel-shop"]
    for runbook in data.runbooks.values():
        assert runbook.title in text
    for incident in data.incidents.values():
        for item in incident.action_items:
            if item.visibility == "client":
                assert item.do in text, item.do
    assert "Page 1 of" in text
    for source_word in ("flowchart", "gantt", "dateFormat", "xychart", "-->"):
        assert source_word not in text


@pytest.mark.engine
def test_letter_paper(tmp_path: Path) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need(shutil.which("pdfinfo") is not None, "pdfinfo is not installed (apt-get install poppler-utils)")
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(export_handover(Project(ROOT, EXAMPLE), "kestrel-shop", "pdf", BuildOptions(), paper="letter"))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "612 x 792 pts (letter)" in info


@pytest.mark.engine
def test_no_unsafe_link_in_any_export_format(tmp_path: Path) -> None:
    """The hostile content (unsafe runbook URLs in the rule files, HTML and template syntax everywhere) exported
    in every format: no href or src leads to a scheme other than http, https or mailto; the text shows as written."""
    from tests.hostile import check_site_shows_hostile_text, unsafe_references, write_hostile_content

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    cycle = write_hostile_content(EXAMPLE, tmp_path / "content")
    out = tmp_path / "export"
    out.mkdir()
    for fmt in ("md", "html", "pdf"):
        data = export_handover(Project(tmp_path, tmp_path / "content"), "kestrel-shop", fmt, BuildOptions(audience="internal"))
        (out / f"handover.{fmt}").write_bytes(data)
    assert unsafe_references(out) == []
    check_site_shows_hostile_text([out / "handover.html"], cycle)
    # A PDF keeps a link as a /URI action: only safe ones.
    uris = re.findall(rb"/URI\s*\(([^)]*)\)", (out / "handover.pdf").read_bytes())
    from generator.links import is_safe_url

    assert [u for u in uris if not is_safe_url(u.decode("latin-1"))] == []
    assert any(u.startswith(b"https://") for u in uris)  # the safe ones are still links
