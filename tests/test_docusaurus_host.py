"""opsdocs' tree as a guest in a site made by `create-docusaurus` (classic template, pinned by lock file).

The host (tests/.cache/docusaurus-host, made by `make test-setup`) is built in
three configurations, each through a small wrapper config that imports the
host's own: as created; with docs at the root (`routeBasePath: '/'`) and
duplicate routes fatal; and with `markdown.format: 'detect'` and mermaid
enabled, the one the browser checks.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE, ROOT, need
from tests.kube import ENGAGEMENT as KUBE_ENGAGEMENT
from tests.kube import add_kube_engagement, kube_alerts

HOST = ROOT / "tests/.cache/docusaurus-host"
GUEST = "docs/operations"  # where the consultancy puts opsdocs' tree in its site

# Imports the host's configuration and changes only what a variant needs.
WRAPPER = """import config from './docusaurus.config.js';

const variant = process.env.OPSDOCS_VARIANT;
if (variant === 'root') {
  config.presets[0][1].docs.routeBasePath = '/';
  config.onDuplicateRoutes = 'throw';
  // The host's own pages link to /docs/intro, which moves with routeBasePath: theirs to fix. The test
  // reads the warnings and fails on any broken link from or to opsdocs' pages.
  config.onBrokenLinks = 'warn';
}
if (variant === 'detect-mermaid') {
  config.markdown = {...(config.markdown || {}), format: 'detect', mermaid: true};
  config.themes = [...(config.themes || []), '@docusaurus/theme-mermaid'];
}
export default config;
"""
VARIANTS = {"default": "/docs/operations", "root": "/operations", "detect-mermaid": "/docs/operations"}


def _host_ready() -> None:
    need(shutil.which("npx") is not None, "Node.js and npm are not installed")
    need((HOST / "node_modules/.installed").is_file(), "the create-docusaurus host is not set up (make test-setup)")


@pytest.fixture(scope="module")
def guest_tree(tmp_path_factory) -> Path:
    """opsdocs' tree of the example, with an engagement that runs kube-prometheus' rules (tests/kube.py), written
    into the host's docs/operations/ the way a user would."""
    _host_ready()
    project = tmp_path_factory.mktemp("guest")
    shutil.copytree(EXAMPLE, project / "content")
    add_kube_engagement(project / "content")
    config_before = (HOST / "docusaurus.config.js").read_bytes()
    old = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(cli, ["build", "--target", "docusaurus", "--out", str(HOST / GUEST)])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    # The host's own config has no mermaid: opsdocs says exactly what to add.
    assert "npm install @docusaurus/theme-mermaid" in result.output and "mermaid: true" in result.output
    assert (HOST / "docusaurus.config.js").read_bytes() == config_before  # opsdocs never changes the host's config
    (HOST / "opsdocs-variant.config.js").write_text(WRAPPER, encoding="utf-8")
    return HOST / GUEST


@pytest.fixture(scope="module")
def host_builds(guest_tree, tmp_path_factory):
    """The host built in each configuration (cold: the cache is cleared first), made when first asked for."""
    out_root = tmp_path_factory.mktemp("host-builds")
    built: dict[str, Path] = {}
    logs: dict[str, str] = {}

    def build(variant: str) -> Path:
        if variant not in built:
            env = {**os.environ, "OPSDOCS_VARIANT": variant}
            subprocess.run(["npx", "--no-install", "docusaurus", "clear"], cwd=HOST, env=env, capture_output=True, check=True)
            out = out_root / variant
            done = subprocess.run(
                ["npx", "--no-install", "docusaurus", "build", "--config", "opsdocs-variant.config.js", "--out-dir", str(out)],
                cwd=HOST, env=env, capture_output=True, text=True, timeout=900,
            )
            assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
            built[variant] = out
            logs[variant] = done.stdout + done.stderr
        return built[variant]

    build.logs = logs  # type: ignore[attr-defined]

    return build


def _broken_links(log: str) -> list[tuple[str, str]]:
    """(source page, target) of every broken link Docusaurus reported as a warning."""
    pairs, source = [], None
    for line in log.splitlines():
        found = re.search(r"Broken link on source page path = (\S+?):?$", line)
        if found:
            source = found.group(1)
        elif source and (target := re.search(r"-> linking to (\S+)", line)):
            pairs.append((source, target.group(1)))
    return pairs


def _page_html(out: Path, route: str) -> Path | None:
    for candidate in (out / route.strip("/") / "index.html", out / (route.strip("/") + ".html")):
        if candidate.is_file():
            return candidate
    return None


def _routes(tree: Path, base: str) -> list[str]:
    routes = []
    for md in sorted(tree.rglob("*.md")):
        rel = md.relative_to(tree).with_suffix("").as_posix()
        routes.append(base if rel == "index" else f"{base}/{rel.removesuffix('/index')}")
    return routes


@pytest.mark.engine
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_host_builds_with_the_guest_tree_under_its_folder(guest_tree, host_builds, variant: str) -> None:
    out = host_builds(variant)
    ours = VARIANTS[variant]
    broken = _broken_links(host_builds.logs[variant])
    theirs = {target for source, target in broken if not source.startswith(ours)}
    assert [(s, t) for s, t in broken if t.startswith(ours) or (s.startswith(ours) and t not in theirs)] == []
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Dinosaurs are cool" in home  # the host's own home page (its tagline) is still its home page
    missing = [route for route in _routes(guest_tree, VARIANTS[variant]) if _page_html(out, route) is None]
    assert missing == []
    operate = _page_html(out, VARIANTS[variant] + "/engagements/kestrel-shop/operate").read_text(encoding="utf-8")
    # The tree's folder is labelled with the handbook's title in the sidebar, not "Home".
    assert "Northwind Delivery Handbook" in operate
    assert not re.search(r'class="[^"]*menu__link[^"]*"[^>]*>Home<', operate)
    # No tag of the client reaches the host's tag pages.
    assert [p for p in out.rglob("*") if "tags" in p.relative_to(out).parts and "kestrel" in p.name.lower()] == []


@pytest.mark.engine
def test_no_page_claims_a_route_outside_its_folder(guest_tree) -> None:
    for md in guest_tree.rglob("*.md"):
        assert not re.search(r"^slug:", md.read_text(encoding="utf-8"), re.M), md
    assert json.loads((guest_tree / "_category_.json").read_text())["label"] == "Northwind Delivery Handbook"


@pytest.mark.engine
def test_diagrams_and_tables_in_a_browser(guest_tree, host_builds) -> None:
    """With mermaid enabled every diagram is drawn as an SVG, and no table has an empty header row."""
    from playwright.sync_api import sync_playwright

    from tests.browser import chromium_path, count_diagrams, launch
    from tests.serve import serve
    from tests.test_browser import open_page

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    out = host_builds("detect-mermaid")
    expected = {route: md.read_text(encoding="utf-8").count("```mermaid")
                for route, md in zip(_routes(guest_tree, VARIANTS["detect-mermaid"]), sorted(guest_tree.rglob("*.md")))}
    assert sum(expected.values()) >= 5
    with serve(out) as url, sync_playwright() as pw:
        browser = launch(pw)
        for route, fences in expected.items():
            page, problems = open_page(browser, url + route)
            drawn, errors = count_diagrams(page, fences)
            empty_heads = page.evaluate("""() => [...document.querySelectorAll('article table thead tr')]
                .filter(tr => [...tr.children].every(th => !th.textContent.trim())).length""")
            page.close()
            assert (drawn, errors) == (fences, 0), route
            assert empty_heads == 0, route
            assert [p for p in problems if "ERR_ABORTED" not in p] == [], f"{route}: {problems}"
        browser.close()


@pytest.mark.engine
def test_a_real_monitoring_stack_s_operate_page_does_not_scroll_sideways(guest_tree, host_builds) -> None:
    """kube-prometheus' 139 alerts on one operate page, in Chromium at a 1280-pixel window: no horizontal scroll,
    every alert's anchor there, the long kinds of findings folded in <details>."""
    from playwright.sync_api import sync_playwright

    from tests.browser import chromium_path, launch
    from tests.serve import serve
    from tests.test_browser import open_page

    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    out = host_builds("detect-mermaid")
    route = f"{VARIANTS['detect-mermaid']}/engagements/{KUBE_ENGAGEMENT}/operate"
    with serve(out) as url, sync_playwright() as pw:
        browser = launch(pw)
        page, problems = open_page(browser, url + route)
        seen = page.evaluate("""() => ({page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth,
            anchors: [...document.querySelectorAll('article [id^="alert-"]')].map(a => a.id),
            folded: document.querySelectorAll('article details').length})""")
        page.close()
        browser.close()
    assert [p for p in problems if "ERR_ABORTED" not in p] == []
    assert seen["page"] <= seen["window"], seen
    assert {f"alert-{name.lower()}" for _, _, name in kube_alerts()} <= set(seen["anchors"])
    assert seen["folded"] >= 1


def test_the_mermaid_warning_names_what_is_missing_and_goes_when_it_is_there(tmp_path: Path) -> None:
    from generator.targets.docusaurus import host_warnings

    guest = tmp_path / "docs/operations"
    assert host_warnings(guest) == []  # not inside a Docusaurus site: nothing to say
    config = tmp_path / "docusaurus.config.ts"
    config.write_text("export default {title: 'x', // themes: ['@docusaurus/theme-mermaid']\n};\n", encoding="utf-8")
    (warning,) = host_warnings(guest)
    assert "npm install @docusaurus/theme-mermaid" in warning and str(tmp_path) in warning
    assert "markdown: {mermaid: true}" in warning and "docusaurus.config.ts" in warning
    config.write_text("export default {markdown: {mermaid: true}, themes: ['@docusaurus/theme-mermaid']};\n", encoding="utf-8")
    assert host_warnings(guest) == []
