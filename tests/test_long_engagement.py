"""An engagement that has run for five years (tests/longrun.py: 500 post-mortems, nine action items each): the
post-mortem index stays small and reaches every post-mortem, what is open comes first, and the default handover is a
document a team reads, while every figure still counts every post-mortem."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.audience import engagement_for
from generator.cli import cli
from generator.compute import engagement_insights, engagement_newest_date
from generator.export import export_handover
from generator.pipeline import read_content
from generator.project import BuildOptions, Project
from tests.browser import chromium_path, launch
from tests.conftest import EXAMPLE, ROOT, need
from tests.longrun import long_history
from tests.serve import serve

INDEX = "engagements/kestrel-shop/postmortems/index.html"


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("long")
    shutil.copytree(EXAMPLE, base / "content")
    ids = long_history(base / "content")
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build", "--content", str(base / "content"), "--out", str(base / "docs"),
                                      "--site-dir", str(base / "site")])
    assert result.exit_code == 0, result.output
    return base, ids


def test_the_index_is_small_and_reaches_every_post_mortem(long_site) -> None:
    base, ids = long_site
    assert len(ids) == 500
    html = (base / "site" / INDEX).read_bytes()
    assert len(html) < 150_000, len(html)
    text = html.decode("utf-8")
    unreachable = [iid for iid in ids if f'href="{iid}/"' not in text]
    assert unreachable == []
    markdown = (base / "docs/engagements/kestrel-shop/postmortems/index.md").read_text(encoding="utf-8")
    assert markdown.index("## Action items") < markdown.index("## Post-mortems") < markdown.index("## Earlier post-mortems")
    assert [y for y in re.findall(r"^### (\d{4})$", markdown, re.M)] == ["2025", "2024", "2023", "2022", "2021"]
    # The navigation groups the post-mortems by year: the index does not carry 500 entries.
    assert text.count('class="md-nav__link"') < 200


def test_every_figure_still_counts_every_post_mortem(long_site) -> None:
    base, _ = long_site
    overview = (base / "docs/engagements/kestrel-shop/index.md").read_text(encoding="utf-8")
    quarters = re.findall(r"^\| (\d{4}-Q\d) \| (\d+) \|", overview, re.M)
    assert len(quarters) >= 20 and sum(int(n) for _, n in quarters) == 500
    markdown = (base / "docs/engagements/kestrel-shop/postmortems/index.md").read_text(encoding="utf-8")
    years = re.findall(r"^(\d+) post-mortems \(", markdown, re.M)
    recent = len(re.findall(r"^\| [A-Z][a-z]+ \d+, 20\d\d \| \[", markdown, re.M))
    assert sum(map(int, years)) + recent == 500


@pytest.mark.engine
def test_the_open_items_are_on_the_first_screen(long_site) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from tests.test_browser import open_page

    base, _ = long_site
    with serve(base / "site") as url, sync_playwright() as pw:
        browser = launch(pw)
        page, problems = open_page(browser, f"{url}/{INDEX.removesuffix('index.html')}")
        box = page.evaluate("""() => {
            const table = document.querySelector('#action-items ~ div table, #action-items ~ table');
            const r = table.getBoundingClientRect();
            return {top: r.top, height: r.height, rows: table.querySelectorAll('tbody tr').length, window: innerHeight};
        }""")
        page.close()
        browser.close()
    assert problems == []
    content = read_content(Project.at(str(base / "content"), base)).content
    data = engagement_for(content.engagements["kestrel-shop"], "client")
    open_items = engagement_insights(data, engagement_newest_date(data), content.site).open_actions
    assert box["rows"] == len(open_items) >= 6  # the example's open items and one of each of the three newest reviews
    assert box["top"] < box["window"] and box["height"] <= box["window"], box


def test_the_default_handover_is_the_recent_post_mortems_and_a_table_of_the_rest(long_site) -> None:
    base, ids = long_site
    project = Project.at(str(base / "content"), base)
    markdown = export_handover(project, "kestrel-shop", "md", BuildOptions()).decode("utf-8")
    assert len(markdown.encode()) < 1_000_000
    in_full = {iid for iid in ids if f'<a id="postmortems-{iid}"></a>' in markdown}
    since = {iid for iid in ids if iid[:10] >= "2026-09-15"}  # the latest accepted handover
    assert in_full == since and 0 < len(in_full) < 10
    earlier = markdown.split('<a id="earlier-postmortems"></a>')[1]
    rows = re.findall(r"^\| .+ \| \[Review \d+ of a checkout incident\]\(https://docs\.northwind\.example/engagements/kestrel-shop/postmortems/[^)]+/\) \|", earlier, re.M)
    assert len(rows) == 500 - len(in_full) - 3  # the example's three older post-mortems have other titles
    every = export_handover(project, "kestrel-shop", "md", BuildOptions(), postmortems="all").decode("utf-8")
    assert all(f'<a id="postmortems-{iid}"></a>' in every for iid in ids) and "earlier-postmortems" not in every
    last = export_handover(project, "kestrel-shop", "md", BuildOptions(), postmortems="last 3").decode("utf-8")
    assert len(re.findall(r'<a id="postmortems-20', last)) == 3


@pytest.mark.engine
def test_the_default_handover_prints_to_under_100_pages(long_site) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need(shutil.which("pdfinfo") is not None, "pdfinfo is not installed (apt-get install poppler-utils)")
    base, _ = long_site
    pdf = base / "handover.pdf"
    pdf.write_bytes(export_handover(Project.at(str(base / "content"), base), "kestrel-shop", "pdf", BuildOptions()))
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout, re.M).group(1))
    assert 20 < pages < 100, pages


def test_postmortems_option_is_checked(long_site) -> None:
    base, _ = long_site
    result = CliRunner().invoke(cli, ["export", "kestrel-shop", "--content", str(base / "content"), "--postmortems", "some"])
    assert result.exit_code == 2 and "'some' is not 'all', 'since YYYY-MM-DD' or 'last N'" in result.output
