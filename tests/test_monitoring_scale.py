"""The operate page with a real monitoring stack: kube-prometheus' complete rule set (139 alerts in 18 rule groups)
and a routing tree that pages for a few of them. It must say what matters in one screen and let a reader drill
down: rule groups in the table of contents, findings counted by kind before any item, every alert still there."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.browser import chromium_path, launch
from tests.conftest import EXAMPLE, ROOT, need
from tests.kube import ENGAGEMENT, add_kube_engagement, kube_alerts
from tests.serve import serve

PAGE = f"engagements/{ENGAGEMENT}/operate"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with the kube-prometheus engagement, built with MkDocs (the project's mkdocs.yml)."""
    base = tmp_path_factory.mktemp("kube")
    shutil.copytree(EXAMPLE, base / "content")
    add_kube_engagement(base / "content")
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build", "--content", str(base / "content"), "--out", str(base / "docs"),
                                      "--site-dir", str(base / "site")])
    assert result.exit_code == 0, result.output
    return base


def _section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    end = markdown.find("\n### ", start + len(heading))
    return markdown[start:end if end > 0 else None]


def test_the_table_of_contents_shows_rule_groups_not_alerts(built: Path) -> None:
    html = (built / "site" / PAGE / "index.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>\s*</div>', html, re.S)
    assert toc, "no table of contents"
    entries = re.findall(r'<a href="#([^"]+)" class="md-nav__link">', toc.group())
    assert 20 <= len(entries) <= 40, entries
    groups = {group for _, group, _ in kube_alerts()}
    assert len(groups) == 18
    shown = re.sub(r"<[^>]+>", "", toc.group())
    assert all(group in shown for group in groups)  # each rule group is an entry
    assert "KubePodCrashLooping" not in shown  # no alert is


def test_every_alert_keeps_its_anchor_and_is_found_by_search(built: Path) -> None:
    html = (built / "site" / PAGE / "index.html").read_text(encoding="utf-8")
    anchors = re.findall(r'<a id="(alert-[a-z0-9-]+)"></a>', html)
    alerts = kube_alerts()
    assert len(anchors) == len(set(anchors)) >= len(alerts)  # kestrel's own rules besides
    for _, _, name in alerts:
        assert f'id="alert-{name.lower()}"' in html, name
    # The alerts table links each alert to its rule, also where one name has several rules (a warning and a critical).
    assert html.count('href="#alert-kubeapierrorbudgetburn-4"') >= 1
    index = json.loads((built / "site/search/search_index.json").read_text(encoding="utf-8"))
    text = " ".join(d["text"] + " " + d["title"] for d in index["docs"] if d["location"].startswith(PAGE + "/"))
    missing = sorted({name for _, _, name in alerts if name not in text})
    assert missing == []


def test_findings_are_counted_by_kind_before_any_item_and_the_most_severe_first(built: Path) -> None:
    markdown = (built / "docs" / f"{PAGE}.md").read_text(encoding="utf-8")
    found = _section(markdown, "### Gaps found in the data")
    rows = re.findall(r"^\| (.+?) \| (\d+) \|$", found, re.M)
    kinds = [kind for kind, _ in rows]
    assert kinds[0] == "sev1 alerts whose route pages nobody, though the terms promise a sev1 response window"
    assert kinds.index("Alerts that reach only Alertmanager's default receiver") > 0
    first_item = found.index("\n- ")
    last_row = max(found.index(f"| {kind} |") for kind in kinds)
    assert last_row < first_item  # every kind with its count, then the items
    counts = dict(rows)
    assert int(counts["sev1 alerts whose route pages nobody, though the terms promise a sev1 response window"]) == 29
    assert int(counts["Alerts that reach only Alertmanager's default receiver"]) == 112
    # A long kind shows its first items and folds the rest.
    assert '??? note "107 more items"' in found
    # The loop diagram says the most severe kind, not a bare total.
    assert "29 sev1 alerts page nobody #40;151 findings in all#41;" in markdown  # ( and ) as mermaid writes them


def test_check_strict_closes_with_the_same_summary(built: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--strict", "--content", str(built / "content")])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith(f"findings in {ENGAGEMENT}: "))
    assert line.startswith(f"findings in {ENGAGEMENT}: 29 sev1 alerts page nobody; 1 incident lacks its post-mortem; ")
    assert "112 alerts reach only the default receiver" in line


def test_the_portfolio_counts_findings_per_engagement(built: Path) -> None:
    portfolio = (built / "docs/engagements/index.md").read_text(encoding="utf-8")
    assert "| 151 | 29 sev1 alerts page nobody |" in portfolio
    assert "KubePodCrashLooping" not in portfolio


@pytest.mark.engine
def test_no_horizontal_scroll_at_1280_pixels(built: Path) -> None:
    """In Chromium at a 1280-pixel window the page does not scroll sideways and no table is wider than the
    content column: long PromQL, label sets and file names wrap inside their cells."""
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from tests.test_browser import open_page

    with serve(built / "site") as url, sync_playwright() as pw:
        browser = launch(pw)
        page, problems = open_page(browser, f"{url}/{PAGE}/")
        widths = page.evaluate("""() => {
            const column = document.querySelector('article').getBoundingClientRect().width;
            return {page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth, column,
                    tables: [...document.querySelectorAll('article table')].map(t => t.getBoundingClientRect().width)};
        }""")
        folded = page.locator("details").count()
        page.close()
        browser.close()
    assert problems == []
    assert widths["page"] <= widths["window"], widths
    assert len(widths["tables"]) > 100
    assert max(widths["tables"]) <= widths["column"] + 1, widths
    assert folded >= 1
