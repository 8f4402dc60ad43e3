"""The built example site in a real browser (Playwright driving Debian's Chromium), served on 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.pipeline import read_content
from generator.project import Project
from tests.browser import OPEN_SHADOW_ROOTS, chromium_path, launch
from tests.conftest import EXAMPLE, ROOT, need
from tests.serve import serve

ARTIFACTS = Path(__file__).parent / "artifacts"
pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    """The example built as a client would get it, served over HTTP, with a browser ready."""
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need((ROOT / "node_modules/mermaid/dist/mermaid.min.js").is_file(), "node_modules/mermaid is missing (npm ci)")
    from playwright.sync_api import sync_playwright

    base = tmp_path_factory.mktemp("browser")
    shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build", "--content", str(EXAMPLE), "--out", str(base / "docs"), "--site-dir", str(base / "site")])
    assert result.exit_code == 0, result.output
    with serve(base / "site") as url, sync_playwright() as pw:
        browser = launch(pw)
        yield base / "site", url, browser
        browser.close()


def pages_of(site_dir: Path) -> list[str]:
    """Every page's URL path: `engagements/x/index.html` → `/engagements/x/`."""
    paths = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.relative_to(site_dir).parent.as_posix()
        paths.append("/" if rel == "." else f"/{rel}/")
    return paths


def heading(page) -> str:
    """The page's title as a reader sees it (without the permalink sign)."""
    return page.locator("h1").first.inner_text().rstrip("¶").strip()


def open_page(browser, url: str):
    """A new page with every console error and failed request recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(OPEN_SHADOW_ROOTS)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed ({r.failure}): {r.url}"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return page, problems


def test_every_page_loads_without_errors_or_failed_requests(site) -> None:
    site_dir, url, browser = site
    paths = pages_of(site_dir)
    assert len(paths) >= 18
    for path in paths:
        page, problems = open_page(browser, url + path)
        assert page.locator("h1").count() >= 1, path
        page.close()
        assert problems == [], f"{path}: {problems}"


def test_search_finds_a_runbook(site) -> None:
    _, url, browser = site
    page, problems = open_page(browser, url + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.type("Payment webhooks piling up", delay=20)  # typed, as Material searches on key events
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10000)
    assert "engagements/kestrel-shop/runbooks/payment-webhook-backlog/" in result.get_attribute("href")
    result.click()
    page.wait_for_load_state()
    assert heading(page) == "Payment webhooks piling up"
    assert problems == []
    page.close()


def test_navigation_reaches_every_engagement(site) -> None:
    _, url, browser = site
    content = read_content(Project(ROOT, EXAMPLE)).content
    page, problems = open_page(browser, url + "/")
    for eid, data in content.engagements.items():
        page.goto(url + "/")
        page.locator(f'.md-content a[href*="engagements/{eid}/"]').first.click()
        page.wait_for_load_state()
        assert heading(page) == data.title
        page.locator(".md-nav a", has_text="Operate plan").first.click()
        page.wait_for_load_state()
        assert heading(page) == "Operate plan"
    assert problems == []
    page.close()


def test_a_client_build_shows_no_internal_text(site) -> None:
    from tests.test_audience import internal_strings

    site_dir, url, browser = site
    secrets = internal_strings()
    for path in pages_of(site_dir):
        page, _ = open_page(browser, url + path)
        text = page.evaluate("() => document.documentElement.innerText + document.documentElement.outerHTML")
        page.close()
        assert [s for s in secrets if s in text] == [], path


def test_screenshots(site) -> None:
    _, url, browser = site
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {
        "mkdocs-home": "/",
        "mkdocs-operate": "/engagements/kestrel-shop/operate/",
        "mkdocs-postmortem": "/engagements/kestrel-shop/postmortems/2026-07-19-order-export-stall/",
    }
    for name, path in shots.items():
        page, problems = open_page(browser, url + path)
        page.wait_for_timeout(500)  # let the diagrams settle
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        page.close()
        assert problems == []
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000


def test_hostile_monitoring_files_run_nothing_in_the_browser(site, tmp_path: Path) -> None:
    """The example with hostile text everywhere and javascript:, data: and vbscript: runbook URLs in the client's rule
    files, built by MkDocs: on every page of the engagement no dialog opens, no element carries an event handler or
    a URL that is not safe to follow, and no script from the content runs."""
    from tests.hostile import unsafe, write_hostile_content
    from tests.test_docusaurus import DOM_URLS

    browser = site[2]
    write_hostile_content(EXAMPLE, tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "docs"),
                                      "--site-dir", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    handlers = "() => document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length"
    with serve(tmp_path / "site") as url:
        dialogs: list[str] = []
        paths = [p for p in pages_of(tmp_path / "site") if p.startswith("/engagements/kestrel-shop/")]
        assert len(paths) >= 10
        for path in paths:
            page, problems = open_page(browser, url + path)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            assert [u for a, u in page.evaluate(DOM_URLS) if unsafe(u, a)] == [], path
            assert page.evaluate(handlers) == 0, path
            page.close()
            assert problems == [], f"{path}: {problems}"
    assert dialogs == []
