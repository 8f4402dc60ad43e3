"""`build --split`: one MkDocs site per engagement. Each client's files hold that client alone, every link and
asset across the sites resolves, the internal root searches everything, and an incremental split build gives a
full split build's bytes after every kind of edit."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE, ROOT
from tests.test_incremental import KESTREL, RUNBOOK, SCENARIOS, tree

ZEBRA = Path("content/engagements/zebrafin-shop")


def add_second_client(project: Path) -> None:
    """A second client made from the first, every name of it changed, so any string of one is told from the other."""
    shutil.copytree(project / KESTREL, project / ZEBRA)
    for path in (project / ZEBRA).rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub("kestrel", "zebrafin", text, flags=re.I), encoding="utf-8")


def make_project(root: Path) -> Path:
    shutil.copytree(EXAMPLE, root / "content")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    add_second_client(root)
    return root


def build(project: Path, *args: str) -> str:
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(cli, ["build", "--split", *args])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def client_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("split"))
    build(project)
    return project / "site"


def test_the_engagement_sites_share_one_copy_of_the_theme(client_site: Path) -> None:
    theme = [p for p in (client_site / "assets").rglob("*") if p.is_file()]
    assert len(theme) > 20  # Material's scripts, styles, fonts and images
    for eid in ("kestrel-shop", "zebrafin-shop"):
        site = client_site / "engagements" / eid
        for path in theme:
            copy = site / path.relative_to(client_site)
            assert copy.is_file() and copy.samefile(path), copy  # a hard link to the root's: one copy on disk
        own = site / "search" / "search_index.json"
        assert not own.samefile(client_site / "search" / "search_index.json")  # its own search index
    inodes = {p.stat().st_ino for p in client_site.rglob("*") if p.is_file()}
    every = [p for p in client_site.rglob("*") if p.is_file()]
    assert len(inodes) < len(every) - 2 * len(theme) + 5


def texts(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(folder.rglob("*")) if p.suffix in (".html", ".json", ".xml", ".md", ".txt")}


def test_each_client_site_holds_that_client_alone(client_site: Path) -> None:
    sites = {"kestrel-shop": "zebrafin", "zebrafin-shop": "kestrel"}
    for eid, other in sites.items():
        files = texts(client_site / "engagements" / eid)
        assert "index.html" in files and "search/search_index.json" in files and "sitemap.xml" in files
        leaked = [path for path, text in files.items() if other in text.lower()]
        assert leaked == [], f"{eid}: {leaked}"
    index = json.loads((client_site / "engagements/kestrel-shop/search/search_index.json").read_text())
    assert {doc["location"].split("/")[0] for doc in index["docs"]} >= {"", "runbooks", "postmortems", "operate"}
    root = json.loads((client_site / "search/search_index.json").read_text())
    assert not [d for d in root["docs"] if d["location"].startswith(("engagements/kestrel-shop/", "engagements/zebrafin-shop/"))]


def links_of(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return [html.unescape(m) for m in re.findall(r'(?:href|src)="([^"]+)"', text)]


def dead_links(site: Path) -> list[str]:
    """Every relative href and src of every page that does not lead to a file of the built site."""
    dead = []
    for page in sorted(site.rglob("*.html")):
        for link in links_of(page):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "/", "data:", "mailto:")) or not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or site.resolve() not in target.parents:
                dead.append(f"{page.relative_to(site)} → {link}")
    return dead


def test_every_link_and_asset_across_the_sites_resolves(client_site: Path) -> None:
    assert dead_links(client_site) == []
    terms = client_site / "engagements/kestrel-shop/terms/index.html"
    hrefs = links_of(terms)
    assert "../../../on-call/" in hrefs  # the engagement's link to a hand-written handbook page, across the boundary
    assert "../../../" in hrefs and "../../" in hrefs  # back to the home page and the portfolio
    assert "../../../javascripts/mermaid.min.js" in links_of(client_site / "engagements/kestrel-shop/operate/index.html")
    assert not (client_site / "engagements/kestrel-shop/javascripts").exists()  # mermaid is the root's, not copied
    home = links_of(client_site / "index.html")
    assert "engagements/kestrel-shop/" in home and "engagements/zebrafin-shop/" in home


def test_without_directory_urls(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n", encoding="utf-8")
    build(project)
    site = project / "site"
    assert (site / "engagements/kestrel-shop/terms.html").is_file()
    assert dead_links(site) == []


def test_the_internal_root_searches_every_engagement(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    build(project, "--audience", "internal")
    root = json.loads((project / "site/search/search_index.json").read_text())
    locations = [d["location"] for d in root["docs"]]
    assert "engagements/kestrel-shop/runbooks/payment-webhook-backlog/" in locations
    assert "engagements/zebrafin-shop/runbooks/payment-webhook-backlog/" in locations
    assert "delivery/pricing/" in locations
    own = json.loads((project / "site/engagements/zebrafin-shop/search/search_index.json").read_text())
    assert not [d for d in own["docs"] if "kestrel" in json.dumps(d).lower()]


def test_a_link_to_a_page_no_site_has_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    path = project / ZEBRA / "engagement.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("(../../on-call.md)", "(../../on-cal.md)"), encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["build", "--split"])
    assert result.exit_code == 1
    assert "engagements/zebrafin-shop/terms.md: a link to ../../on-cal.md" in result.output
    assert not (project / "site").exists()


def test_site_yaml_can_ask_for_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path)
    site_yaml = project / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "sites: per-engagement\n", encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert (project / "site/engagements/kestrel-shop/search/search_index.json").is_file()


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project")
    (project / KESTREL / "runbooks/spare.yaml").write_text(RUNBOOK.replace("Cache cluster down", "A spare runbook"), encoding="utf-8")
    build(project)
    return project


def full_split_build(project: Path, tmp: Path) -> dict[str, bytes]:
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("docs", "site", ".opsdocs-cache"))
    build(fresh)
    return tree(fresh / "site")


def without_gzip_dates(files: dict[str, bytes]) -> dict[str, bytes]:
    """sitemap.xml.gz carries the time it was compressed; its sitemap.xml is compared instead."""
    return {path: data for path, data in files.items() if not path.endswith("sitemap.xml.gz")}


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s != "template edit"])
def test_incremental_split_equals_full(built: Path, tmp_path: Path, scenario: str) -> None:
    SCENARIOS[scenario](built)
    output = build(built)
    if scenario in ("content edit", "monitoring file edited"):
        assert "building 1 of 2 engagement sites, the root kept" in output
    if scenario == "touched only":
        assert "engagement sites" not in output  # nothing to build: every site is the last build's
    assert without_gzip_dates(tree(built / "site")) == without_gzip_dates(full_split_build(built, tmp_path))


def test_an_edit_rebuilds_one_site_and_leaves_the_others_as_they_were(built: Path) -> None:
    before = tree(built / "site/engagements/zebrafin-shop")
    SCENARIOS["content edit"](built)
    output = build(built)
    assert "building 1 of 2 engagement sites, the root kept" in output
    assert tree(built / "site/engagements/zebrafin-shop") == before


@pytest.fixture(scope="module")
def internal_split(tmp_path_factory: pytest.TempPathFactory):
    """An internal split build of two clients, served over HTTP, with a browser ready."""
    from tests.browser import chromium_path, launch
    from tests.conftest import need
    from tests.serve import serve

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need((ROOT / "node_modules/mermaid/dist/mermaid.min.js").is_file(), "node_modules/mermaid is missing (npm ci)")
    from playwright.sync_api import sync_playwright

    project = make_project(tmp_path_factory.mktemp("split-browser"))
    build(project, "--audience", "internal")
    with serve(project / "site") as url, sync_playwright() as pw:
        browser = launch(pw)
        yield project / "site", url, browser
        browser.close()


def search(page, words: str) -> list[str]:
    """The links of Material's search results for `words`, typed as a reader types them."""
    box = page.locator("input.md-search__input")
    box.click()
    box.type(words, delay=20)
    page.locator(".md-search-result__item a").first.wait_for(timeout=10000)
    page.wait_for_timeout(300)
    return [a.get_attribute("href") for a in page.locator(".md-search-result__item > a").all()]


def matches(page, words: str) -> str:
    """What Material's search says it found for `words`: "No matching documents", "3 matching documents"."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.type(words, delay=20)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("() => /matching/.test(document.querySelector('.md-search-result__meta')?.textContent || '')",
                           timeout=10000)
    page.wait_for_timeout(300)
    text = meta.inner_text().strip()
    page.keyboard.press("Escape")
    return text


@pytest.mark.engine
def test_split_sites_in_a_browser(internal_split) -> None:
    from tests.browser import count_diagrams
    from tests.test_browser import heading, open_page

    site, url, browser = internal_split
    page, problems = open_page(browser, url + "/")
    page.locator('.md-content a[href*="engagements/kestrel-shop/"]').first.click()  # home → the client's own site
    page.wait_for_load_state("networkidle")
    assert page.url == url + "/engagements/kestrel-shop/" and heading(page) == "Kestrel Shop operations"
    page.locator(".md-nav a", has_text="Operate plan").first.click()
    page.wait_for_load_state("networkidle")
    expected = (site / "../docs/engagements/kestrel-shop/operate.md").read_text(encoding="utf-8").count("```mermaid")
    assert expected == 2 and count_diagrams(page, expected) == (expected, 0)  # the O1→O4 loop and the escalation path
    page.locator(".md-nav a", has_text="Portfolio").first.click()  # back across the boundary
    page.wait_for_load_state("networkidle")
    assert page.url == url + "/engagements/" and heading(page) == "Portfolio"
    page.goto(url + "/engagements/zebrafin-shop/runbooks/")
    page.locator(".md-nav a", has_text="Home").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == url + "/"
    # A client's site searches its own pages: its runbook, nothing of the other client.
    page.goto(url + "/engagements/zebrafin-shop/", wait_until="networkidle")
    found = search(page, "Payment webhooks piling up")
    assert found and all("/engagements/zebrafin-shop/" in href for href in found), found
    page.locator(".md-search-result__item > a").first.click()
    page.wait_for_load_state("networkidle")
    assert heading(page) == "Payment webhooks piling up" and "/engagements/zebrafin-shop/runbooks/" in page.url
    page.goto(url + "/engagements/zebrafin-shop/", wait_until="networkidle")
    assert matches(page, "Kestrel") == "No matching documents"  # every page of the other client says Kestrel
    page.goto(url + "/engagements/kestrel-shop/", wait_until="networkidle")
    assert matches(page, "Zebrafin") == "No matching documents" and matches(page, "Kestrel") != "No matching documents"
    # The internal root searches the whole portfolio.
    page.goto(url + "/", wait_until="networkidle")
    found = search(page, "Payment webhooks piling up")
    assert any("engagements/kestrel-shop/runbooks/payment-webhook-backlog" in h for h in found), found
    assert any("engagements/zebrafin-shop/runbooks/payment-webhook-backlog" in h for h in found), found
    assert problems == []
    page.close()


def docs_page(docs: Path, path: str) -> Path:
    """The Markdown page a URL path was built from: `/a/b/` → `a/b.md` or `a/b/index.md`."""
    rel = path.strip("/")
    return docs / f"{rel}.md" if rel and (docs / f"{rel}.md").is_file() else docs / rel / "index.md"


@pytest.mark.engine
def test_every_page_of_every_site_loads_and_draws_every_diagram(internal_split) -> None:
    from tests.browser import count_diagrams
    from tests.test_browser import open_page, pages_of

    site, url, browser = internal_split
    paths = pages_of(site)
    assert len(paths) >= 36 and "/engagements/zebrafin-shop/handover/" in paths
    drawn_in_all = 0
    for path in paths:
        page, problems = open_page(browser, url + path)
        expected = docs_page(site.parent / "docs", path).read_text(encoding="utf-8").count("```mermaid")
        if expected:
            assert count_diagrams(page, expected) == (expected, 0), path
            drawn_in_all += expected
        page.close()
        assert problems == [], f"{path}: {problems}"
    assert drawn_in_all == 15  # the phase steps; per client: the O1→O4 loop, escalation, incidents per month, 4 timelines


@pytest.mark.parametrize("target, page, directory_urls, link", [
    ("engagements/k/", "index.md", True, "engagements/k/"),
    ("engagements/k/index.html", "index.md", False, "engagements/k/index.html"),
    ("on-call/", "engagements/k/terms.md", True, "../../../on-call/"),
    ("on-call.html", "engagements/k/terms.md", False, "../../on-call.html"),
    ("", "engagements/index.md", True, "../"),
    ("engagements/k/", "engagements/index.md", True, "k/"),
])
def test_a_url_across_sites_is_relative_to_the_page(target: str, page: str, directory_urls: bool, link: str) -> None:
    from generator.targets.mkdocs.split import relative_url

    assert relative_url(target, page, directory_urls) == link


def test_a_change_to_mkdocs_yml_rebuilds_every_site(built: Path, tmp_path: Path) -> None:
    config = built / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: Northwind Delivery Handbook",
                                                                 "site_name: Northwind Handbook"), encoding="utf-8")
    output = build(built)
    assert "building 2 of 2 engagement sites" in output and "the root kept" not in output
    assert "Northwind Handbook" in (built / "site/engagements/zebrafin-shop/index.html").read_text(encoding="utf-8")
    assert without_gzip_dates(tree(built / "site")) == without_gzip_dates(full_split_build(built, tmp_path))


def test_a_rich_user_config_splits_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Their own nav, the blog plugin, URLs as files, an inherited file and `!ENV`: the root keeps all of it, and the
    engagement sites get none of their nav (its pages are the root's) and a URL under their `site_url`."""
    from tests.test_mkdocs_config import BASE, BLOG_INDEX, BLOG_POST, RICH

    shutil.copytree(EXAMPLE, tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text(RICH, encoding="utf-8")
    (tmp_path / "base.yml").write_text(BASE, encoding="utf-8")
    for rel, text in {"blog/index.md": BLOG_INDEX, "blog/posts/autumn-sale.md": BLOG_POST}.items():
        (tmp_path / "content/handbook/pages" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content/handbook/pages" / rel).write_text(text, encoding="utf-8")
    monkeypatch.setenv("OPS_SITE_URL", "https://handbook.lighthouse.example/ops/")
    build(tmp_path)
    site = tmp_path / "site"
    assert dead_links(site) == []
    assert (site / "blog/index.html").is_file()  # the blog plugin ran in the root
    operate = (site / "engagements/kestrel-shop/operate.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://handbook.lighthouse.example/ops/engagements/kestrel-shop/operate.html"' in operate
    tabs = re.findall(r'<a href="[^"]*" class="md-tabs__link">\s*(.*?)\s*</a>', operate)
    assert tabs[:2] == ["Home", "Portfolio"] and "On call" not in tabs and "Blog" not in tabs


def test_each_engagement_site_speaks_its_clients_language(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    path = project / ZEBRA / "engagement.yaml"
    path.write_text(re.sub(r"(?m)^schema_version: 1$", "schema_version: 1\nlanguage: de", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    build(project)
    german = (project / "site/engagements/zebrafin-shop/operate/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in german and "Betriebsplan" in german and 'placeholder="Suche"' in german
    english = (project / "site/engagements/kestrel-shop/operate/index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and "Operate plan" in english
    assert json.loads((project / "site/engagements/zebrafin-shop/search/search_index.json").read_text())["config"]["lang"] == ["de"]
