"""The Docusaurus target: the seed page byte for byte, golden pages, and real Docusaurus builds."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE, ROOT, SHARED, need
from tests.hostile import check_site_shows_hostile_text, unsafe_references, write_hostile_content
from tests.test_build_mkdocs import compare_golden, rendered_example

SITE = ROOT / "docusaurus"
SEED = SHARED / "seeds" / "operate.md"


def _seed() -> bytes:
    need(SEED.is_file(), f"the seed page {SEED} is not beside this checkout")
    return SEED.read_bytes()


def test_operate_phase_is_byte_identical_to_the_seed() -> None:
    _seed()
    assert rendered_example("docusaurus")["phases/operate.md"] == SEED.read_bytes()


def test_operate_phase_through_the_command(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--target", "docusaurus", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert (project / "out/phases/operate.md").read_bytes() == _seed()


def test_a_second_phase_comes_out_in_the_same_shape(project: Path) -> None:
    phase = """title: Build
icon: 🛠️
position: 3
tagline: Turning the plan into working software
intro: |
  Build is where the system is made.
sections:
  - heading: What This Phase Is For
    body: |
      Build exists to:

      - Ship working increments

      Build is not about planning.
  - heading: The Build Steps (B1–B2)
    body: Each step ends with a demo.
    steps:
      - {id: B1, name: Develop, goal: Write the code., label: We deliver, items: [Features, Tests], outro: Small steps.}
      - {id: B2, name: Release, goal: Put it live., label: We deliver, items: [Releases], outro: Every week.}
links:
  - {label: Next, title: Operate, href: operate.md}
"""
    (project / "content/handbook/phases/build.yaml").write_text(phase, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--target", "docusaurus", "--out", "out"])
    assert result.exit_code == 0, result.output

    build, operate = (project / "out/phases/build.md").read_text(), _seed().decode()
    assert build.startswith("---\nsidebar_position: 3\ntitle: Build\n---\n\n# Build 🛠️\n**Turning the plan into working software**\n")
    assert 'B1["B1 Develop"] --> B2["B2 Release"]' in build and "B2 --> B1" not in build
    assert "## B2 — Release" in build and build.endswith("**Next:** [Operate](operate.md)\n")
    # Every block between horizontal rules has a shape the operate page also has.
    assert block_shapes(build) <= block_shapes(operate)
    assert len(block_shapes(build)) >= 4


def block_shapes(page: str) -> set[tuple[str, ...]]:
    """Each block between `---` rules as the sequence of its line kinds, runs of a kind folded."""

    def kind(line: str) -> str:
        for prefix, name in (("# ", "h1"), ("## ", "h2"), ("```", "fence"), ("**", "bold"), ("- ", "item")):
            if line.startswith(prefix):
                return name
        return "text"

    shapes = set()
    body = page.split("\n---\n", 2)[2]  # after the front matter
    for block in body.split("\n---\n"):
        kinds = [kind(line) for line in block.splitlines() if line.strip()]
        folded = tuple(k for i, k in enumerate(kinds) if i == 0 or k != kinds[i - 1] or k == "fence")
        shapes.add(folded)
    return shapes


def test_golden_pages(update_golden: bool) -> None:
    compare_golden("docusaurus", rendered_example("docusaurus"), update_golden)


def test_category_files_label_and_order_every_folder() -> None:
    files = rendered_example("docusaurus")
    assert files["engagements/kestrel-shop/runbooks/_category_.json"] == b'{\n  "label": "Runbooks",\n  "position": 3\n}\n'
    folders = {p.rpartition("/")[0] for p in files if p.endswith(".md") and "/" in p}
    assert all(f"{folder}/_category_.json" in files for folder in folders)


def _docusaurus_available() -> None:
    need(shutil.which("node") is not None and shutil.which("npx") is not None, "Node.js is not installed")
    need((SITE / "node_modules/@docusaurus/core").is_dir(), "Docusaurus is not installed: run 'npm ci' in docusaurus/ (make setup)")


@pytest.fixture(scope="module")
def hostile_docs(tmp_path_factory: pytest.TempPathFactory):
    """The example plus a copy of its engagement with hostile text in every field, as a Docusaurus tree; the example
    engagement also holds what `opsdocs import` made of kube-prometheus' runbooks, PagerDuty's template, Flutter's
    and Python Discord's post-mortems, and PagerDuty's and incident.io's API records."""
    from tests.test_import import FIXTURES, KUBE_RUNBOOKS, PAGERDUTY_TEMPLATE, PUBLISHED_POSTMORTEMS

    base = tmp_path_factory.mktemp("docusaurus")
    content = base / "content"
    hostile = base / "hostile"
    cycle = write_hostile_content(EXAMPLE, hostile)
    shutil.copytree(EXAMPLE, content)
    shutil.copytree(hostile / "engagements/kestrel-shop", content / "engagements/hostile-shop")
    old = Path.cwd()
    os.chdir(base)
    try:
        for args in (["runbook", *map(str, KUBE_RUNBOOKS)],
                     ["postmortem", str(PAGERDUTY_TEMPLATE), *map(str, PUBLISHED_POSTMORTEMS), "--severity", "sev2"],
                     ["pagerduty", *map(str, sorted((FIXTURES / "pagerduty-api").glob("*.json"))), "--severity", "sev1"],
                     ["incidentio", *map(str, sorted((FIXTURES / "incident-io-api").glob("*.json")))]):
            imported = CliRunner().invoke(cli, ["import", *args, "--engagement", "kestrel-shop"])
            assert imported.exit_code == 0, imported.output
        result = CliRunner().invoke(cli, ["build", "--target", "docusaurus", "--out", "docs"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return base, cycle


def _docusaurus_build(docs: Path, out: Path, markdown_format: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPSDOCS_DOCS_DIR": str(docs), "OPSDOCS_MARKDOWN_FORMAT": markdown_format}
    # The format is not part of Docusaurus' cache key: clear the cache between formats.
    subprocess.run(["npx", "--no-install", "docusaurus", "clear"], cwd=SITE, env=env, capture_output=True, check=True)
    return subprocess.run(
        ["npx", "--no-install", "docusaurus", "build", "--out-dir", str(out)],
        cwd=SITE, env=env, capture_output=True, text=True, timeout=1200,
    )


@pytest.fixture(scope="module")
def docusaurus_builds(hostile_docs):
    """Real Docusaurus builds of that tree, one per markdown format, made when first asked for."""
    base, _ = hostile_docs
    built: dict[str, Path] = {}

    def build(markdown_format: str) -> Path:
        if markdown_format not in built:
            _docusaurus_available()
            out = base / f"build-{markdown_format}"
            result = _docusaurus_build(base / "docs", out, markdown_format)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
            built[markdown_format] = out
        return built[markdown_format]

    return build


@pytest.mark.engine
@pytest.mark.parametrize("markdown_format", ["mdx", "detect"])
def test_real_docusaurus_build_shows_hostile_text(hostile_docs, docusaurus_builds, markdown_format: str) -> None:
    _, cycle = hostile_docs
    out = docusaurus_builds(markdown_format)
    assert (out / "phases/operate.html").is_file()
    pages = sorted((out / "engagements/hostile-shop").rglob("*.html")) + [out / "engagements/hostile-shop.html"]
    check_site_shows_hostile_text([p for p in pages if p.is_file()], cycle)
    # What `opsdocs import` made builds too.
    for page in ("runbooks/node-filesystem-space-filling-up", "runbooks/watchdog", "postmortems/post-mortem-template",
                 "postmortems/postmortem-flutter-dev-outage-on-august-26-2023", "postmortems/2015-10-06-the-server-is-on-fire",
                 "postmortems/2021-08-17-our-database-is-sad", "postmortems/2023-10-24-teal-ostrich"):
        assert (out / f"engagements/kestrel-shop/{page}.html").is_file(), page
    # The rule files' javascript:, data: and vbscript: runbook URLs are text, in the pages and in their scripts.
    assert unsafe_references(out) == []
    assert unsafe_references(hostile_docs[0] / "docs") == []


@pytest.mark.engine
def test_every_diagram_renders_to_svg_in_docusaurus(hostile_docs, docusaurus_builds) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import chromium_path, count_diagrams, launch
    from tests.serve import serve

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    base, _ = hostile_docs
    out = docusaurus_builds("mdx")
    expected = {}
    for md in sorted((base / "docs").rglob("*.md")):
        fences = md.read_text(encoding="utf-8").count("```mermaid")
        if fences:
            rel = md.relative_to(base / "docs").with_suffix("").as_posix()
            expected["/" + (rel[: -len("/index")] if rel.endswith("/index") else rel)] = fences
    assert sum(expected.values()) >= 10
    with serve(out) as url, sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page()
        for route, fences in expected.items():
            page.goto(url + route)
            assert count_diagrams(page, fences) == (fences, 0), route
        browser.close()


# Every URL an element of the page would follow or load, as the page's scripts left it.
DOM_URLS = """() => [...document.querySelectorAll('[href],[src],[action]')].flatMap(
    e => ['href', 'src', 'action'].filter(a => e.hasAttribute(a)).map(a => [a, e.getAttribute(a)]))"""


def _routes(docs: Path) -> list[str]:
    routes = []
    for md in sorted(docs.rglob("*.md")):
        rel = md.relative_to(docs).with_suffix("").as_posix()
        routes.append("/" if rel == "index" else "/" + rel.removesuffix("/index"))
    return routes


@pytest.mark.engine
def test_docusaurus_pages_in_a_browser(hostile_docs, docusaurus_builds) -> None:
    """Every page loads with no console error and no failed request; the nav reaches every engagement;
    nothing internal shows; and, on the hostile engagement's pages, no script of the content ran."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser import chromium_path, launch
    from tests.hostile import unsafe
    from tests.serve import serve
    from tests.test_audience import internal_strings
    from tests.test_browser import open_page

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    base, _ = hostile_docs
    out = docusaurus_builds("mdx")
    secrets = internal_strings()
    with serve(out) as url, sync_playwright() as pw:
        browser = launch(pw)
        alerts: list[str] = []
        for route in _routes(base / "docs"):
            page, problems = open_page(browser, url + route)
            page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
            text = page.evaluate("() => document.documentElement.innerText")
            assert [u for a, u in page.evaluate(DOM_URLS) if unsafe(u, a)] == [], route
            page.close()
            assert problems == [], f"{route}: {problems}"
            assert [s for s in secrets if s in text] == [], route
        assert alerts == []
        page, problems = open_page(browser, url + "/")
        for eid, title in (("kestrel-shop", "Kestrel Shop operations"), ("hostile-shop", None)):
            page.goto(url + "/")
            page.locator(f'article a[href*="/engagements/{eid}"]').first.click()
            page.wait_for_load_state()
            page.wait_for_url(f"**/engagements/{eid}")
            if title:
                expect(page.locator("h1").first).to_have_text(title)
            page.locator(".menu a", has_text="Operate plan").first.click()
            page.wait_for_url(f"**/engagements/{eid}/operate")
            # The address changes before the new page is drawn: wait for its heading, not just the URL.
            expect(page.locator("h1").first).to_have_text("Operate plan")
        # Leaving a page cancels the scripts it was still prefetching: that is not a failure.
        assert [p for p in problems if "ERR_ABORTED" not in p] == []
        browser.close()


def test_tags_only_when_asked_and_under_ops_and_the_label_of_the_tree(project: Path) -> None:
    import json

    plain = CliRunner().invoke(cli, ["build", "--target", "docusaurus", "--out", "plain"])
    assert plain.exit_code == 0, plain.output
    assert not any("\ntags:" in p.read_text() for p in (project / "plain").rglob("*.md"))
    tagged = CliRunner().invoke(cli, ["build", "--target", "docusaurus", "--out", "tagged", "--tags", "--label", "Operations"])
    assert tagged.exit_code == 0, tagged.output
    runbook = (project / "tagged/engagements/kestrel-shop/runbooks/checkout-errors.md").read_text()
    assert "tags:\n  - ops/Kestrel Outdoor GmbH\n  - ops/runbook\n" in runbook
    assert json.loads((project / "tagged/_category_.json").read_text()) == {"label": "Operations"}
