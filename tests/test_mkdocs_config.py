"""The user's own mkdocs.yml: what they set wins, opsdocs adds only what its pages need, and says so."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.browser import chromium_path, dump_dom
from tests.conftest import ROOT, need

POSTMORTEM = "engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage"
OPERATE = "engagements/kestrel-shop/operate"

MINIMAL = "site_name: Acme Operations\ntheme: material\n"

# A rich Material site, the way well-kept projects write theirs: a base file inherited, a palette toggle,
# tabs, the blog plugin, URLs as files, a value from the environment, and a nav of its own.
BASE = """theme:
  name: material
  features:
    - navigation.tabs
    - navigation.sections
    - navigation.prune
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: teal
      toggle: {icon: material/brightness-7, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: teal
      toggle: {icon: material/brightness-4, name: Switch to light mode}
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.highlight
  - pymdownx.superfences
"""
RICH = """INHERIT: base.yml
site_name: Lighthouse Ops Handbook
site_url: !ENV [OPS_SITE_URL, "https://ops.lighthouse.example/"]
use_directory_urls: false
plugins:
  - search
  - blog
nav:
  - Start: index.md
  - On call: on-call.md
  - Blog: blog/index.md
"""
BLOG_INDEX = "# Blog\n"
BLOG_POST = "---\ndate: 2026-10-01\n---\n\n# Autumn sale readiness\n\nWe load-tested checkout.\n"
FOLDERS = "site_name: Docs in their own folders\ntheme:\n  name: material\ndocs_dir: documentation\nsite_dir: public\n"


def build(project: Path, config: str, *args: str, files: dict[str, str] | None = None):
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for rel, text in (files or {}).items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["build", *args])


def diagrams_drawn(html: Path) -> tuple[int, int]:
    """(diagrams drawn, diagrams left as source) in a page opened from disk."""
    dom = dump_dom(html.as_uri())
    return len(re.findall(r'<div class="mermaid"', dom)), len(re.findall(r'<pre class="mermaid"', dom))


def test_a_minimal_mkdocs_yml_gets_what_the_pages_need(project: Path) -> None:
    result = build(project, MINIMAL)
    assert result.exit_code == 0, result.output
    assert result.output.count("added for this build") == 1
    for added in ("admonition", "pymdownx.details", "tables", "pymdownx.superfences with the mermaid fence", "javascripts/mermaid.min.js",
                  "stylesheets/opsdocs.css"):
        assert added in result.output
    page = (project / "site" / POSTMORTEM / "index.html").read_text(encoding="utf-8")
    assert "<title>" in page and "Acme Operations</title>" in page  # their site name, not site.yaml's title
    assert 'class="admonition success"' in page and "!!! success" not in page
    assert (project / "mkdocs.yml").read_text() == MINIMAL  # never written back
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need((ROOT / "node_modules/mermaid/dist/mermaid.min.js").is_file(), "node_modules/mermaid is missing (npm ci)")
    assert diagrams_drawn(project / "site" / OPERATE / "index.html") == (2, 0)


def test_a_rich_material_config_keeps_every_setting(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPS_SITE_URL", "https://handbook.lighthouse.example/ops/")
    result = build(project, RICH, files={
        "base.yml": BASE,
        "content/handbook/pages/blog/index.md": BLOG_INDEX,
        "content/handbook/pages/blog/posts/autumn-sale.md": BLOG_POST,
    })
    assert result.exit_code == 0, result.output
    site = project / "site"
    operate = (site / f"{OPERATE}.html").read_text(encoding="utf-8")  # use_directory_urls: false
    assert "Lighthouse Ops Handbook</title>" in operate
    assert 'data-md-color-scheme="slate"' in operate and "Switch to dark mode" in operate  # the palette toggle
    assert 'class="md-tabs"' in operate  # navigation.tabs, from the inherited file
    assert 'href="https://handbook.lighthouse.example/ops/engagements/kestrel-shop/operate.html"' in operate  # !ENV
    assert (site / "blog/index.html").is_file()  # the blog plugin ran
    home = (site / "index.html").read_text(encoding="utf-8")
    # Their nav first, as they wrote it; opsdocs' sections after it, without repeating their pages.
    tabs = re.findall(r'<a href="[^"]*" class="md-tabs__link">\s*(.*?)\s*</a>', home)
    assert tabs[:3] == ["Start", "On call", "Blog"] and "Engagements" in tabs
    assert tabs.count("Start") == 1 and "Home" not in tabs
    # opsdocs added its mermaid fence to their superfences, keeping the extension as they configured it.
    assert "the mermaid fence of pymdownx.superfences" in result.output
    postmortem = (site / f"{POSTMORTEM}.html").read_text(encoding="utf-8")
    assert 'class="admonition success"' in postmortem
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need((ROOT / "node_modules/mermaid/dist/mermaid.min.js").is_file(), "node_modules/mermaid is missing (npm ci)")
    assert diagrams_drawn(site / f"{OPERATE}.html") == (2, 0)


def test_docs_dir_and_site_dir_from_mkdocs_yml_decide_where_output_goes(project: Path) -> None:
    result = build(project, FOLDERS)
    assert result.exit_code == 0, result.output
    assert (project / "documentation/engagements/kestrel-shop/operate.md").is_file()
    assert "Docs in their own folders</title>" in (project / "public/index.html").read_text(encoding="utf-8")
    assert not (project / "docs").exists() and not (project / "site").exists()
    result = build(project, FOLDERS, "--out", "elsewhere", "--site-dir", "html")  # options still win
    assert result.exit_code == 0, result.output
    assert (project / "elsewhere/index.md").is_file() and (project / "html/index.html").is_file()


def test_their_own_docs_folder_is_never_written_into(project: Path) -> None:
    (project / "documentation").mkdir()
    (project / "documentation/notes.md").write_text("# Our notes\n", encoding="utf-8")
    result = build(project, FOLDERS)
    assert result.exit_code == 1
    assert "not empty and was not made by opsdocs" in result.output
    assert (project / "documentation/notes.md").read_text() == "# Our notes\n"


def test_another_theme_builds_with_a_warning(project: Path) -> None:
    result = build(project, "site_name: Plain\ntheme: mkdocs\n")
    assert result.exit_code == 0, result.output
    assert "made for the Material theme; with 'mkdocs'" in result.output
    assert 'class="admonition success"' in (project / "site" / POSTMORTEM / "index.html").read_text(encoding="utf-8")


def test_the_shipped_mkdocs_yml_needs_nothing_added(project: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    assert "added for this build" not in result.output


def test_init_names_the_new_site_after_the_consultancy(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "new"), "--consultancy", "Lighthouse Ops", "--no-input"])
    assert result.exit_code == 0, result.output
    config = (tmp_path / "new/mkdocs.yml").read_text(encoding="utf-8")
    assert "\nsite_name: Lighthouse Ops Handbook\n" in config and "Northwind" not in config


def test_the_preview_watches_the_files_mkdocs_yml_inherits(tmp_path: Path) -> None:
    from generator.targets.mkdocs.settings import config_files

    (tmp_path / "base.yml").write_text(BASE, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(RICH, encoding="utf-8")
    assert config_files(tmp_path / "mkdocs.yml") == [tmp_path / "mkdocs.yml", tmp_path / "base.yml"]
