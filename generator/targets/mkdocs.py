"""Targets: MkDocs Material. Markdown pages plus the nav, then the real MkDocs build."""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2

from ..errors import OpsdocsError
from ..escape import HTML_INLINE, HTML_TEXT, Escaper
from ..model.site import Site
from ..pages import Page, Plan
from ..project import BuildOptions, Project
from . import Engine, front_matter, register, render_pages
from .htmlcheck import check_assets
from .mkdocs_settings import for_build, read_settings
from .mkdocs_split import build_split

# Zensical, Material's successor, reads docs/templates/ as theme templates, not pages; the
# handbook's templates live elsewhere in a MkDocs tree, and links to them follow.
RELOCATED = {"templates/": "handbook-templates/"}
_MD_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+?\.md)(#[^)\s]*)?\)")


def relocate(path: str) -> str:
    for old, new in RELOCATED.items():
        if path.startswith(old):
            return new + path[len(old):]
    return path


def relocate_plan(plan: Plan) -> Plan:
    pages = [replace(page, path=relocate(page.path)) for page in plan.pages]
    moved = {key: relocate(key + "/")[:-1] for key in plan.folders}
    folders = {moved[key]: replace(folder, path=moved[key]) for key, folder in plan.folders.items()}
    return Plan(pages, folders)


def relink(text: str, old_path: str, new_path: str) -> str:
    """Links written for the original layout, pointed at the relocated pages."""

    def fix(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(old_path), match.group(1)))
        moved = relocate(target)
        if moved == target and old_path == new_path:
            return match.group(0)
        href = posixpath.relpath(moved, posixpath.dirname(new_path) or ".")
        return f"]({href}{match.group(2) or ''})"

    return _MD_LINK.sub(fix, text)


def render(plan: Plan, env: jinja2.Environment, context: dict[str, Any], options: BuildOptions, site: Site) -> dict[str, bytes]:
    def head(page: Page) -> str:
        # MkDocs and Material put these into HTML unescaped (nav, <title>, <meta>).
        return front_matter([("title", html.escape(page.title)), ("description", page.description and html.escape(page.description))])

    files = {}
    for old, data in render_pages(plan, env, head, context).items():
        new = relocate(old)
        text = data.decode("utf-8")
        fixed = relink(text, old, new) if "templates/" in text or new != old else text
        files[new] = fixed.encode("utf-8")
    return files


def callout(kind: str, title: str, body: str) -> str:
    """Material's admonition: `!!! kind "title"` and the body indented."""
    indented = "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
    label = title.replace('"', "&quot;")
    return f'!!! {kind} "{label}"\n\n{indented}'


def mermaid_asset(project: Project) -> dict[str, bytes]:
    """mermaid from the npm package, served from the site itself: diagrams are drawn offline."""
    mermaid = project.mermaid_js()
    return {"javascripts/mermaid.min.js": mermaid.read_bytes()} if mermaid else {}


def nav_of(plan: Plan) -> list[Any]:
    """MkDocs' nav from the plan: folders and pages in their order, a folder's index page first."""
    children: dict[str, list[tuple[tuple[int, int, str], Any]]] = {}
    for page in plan.pages:
        is_index = page.path.rpartition("/")[2] == "index.md"
        title = html.escape(page.title)
        children.setdefault(page.folder, []).append(((0 if is_index else 1, page.position, page.title), page.path if is_index else {title: page.path}))
    subfolders: dict[str, list] = {}
    for sub in plan.folders.values():
        subfolders.setdefault(sub.path.rpartition("/")[0], []).append(sub)

    def entries(folder: str) -> list[Any]:
        items = list(children.get(folder, []))
        for sub in subfolders.get(folder, []):
            items.append(((1, sub.position, sub.label), {html.escape(sub.label): entries(sub.path)}))
        return [entry for _, entry in sorted(items, key=lambda item: item[0])]

    return entries("")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_html(project: Project, docs_dir: Path, site_dir: Path, plan: Plan, site: Site, progress: Callable[[str], None]) -> None:
    """Run the real MkDocs build with the user's mkdocs.yml and what opsdocs' pages need; any warning fails it."""
    settings = user_settings(project)
    overrides, added = for_build(settings, nav_of(relocate_plan(plan)), site.site.title, site.site.url, plan.language)
    if added:
        progress(f"mkdocs: added for this build what opsdocs' pages need and {settings.path.name} does not set: {', '.join(added)}")
    if settings.theme != "material":
        progress(f"mkdocs: warning: opsdocs' pages are made for the Material theme; with '{settings.theme}' admonitions and "
                 "tables take that theme's plain style, and diagrams are drawn only if the theme runs mermaid")
    run_mkdocs(settings.path, docs_dir, site_dir, overrides)
    check_assets(site_dir)


def user_settings(project: Project):
    """The project's mkdocs.yml, read as MkDocs reads it; an error if there is none."""
    if not project.mkdocs_config.is_file():
        raise OpsdocsError(f"{project.rel(project.mkdocs_config)} is missing", "run 'opsdocs init' to get one, or pass --no-html")
    return read_settings(project.mkdocs_config)


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, overrides: dict[str, Any]) -> None:
    """One MkDocs build of `docs_dir` into `site_dir` with the user's config and `overrides`; a warning fails it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the end-of-life banner is not ours to print
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), **overrides)
        build(config)
    except ConfigurationError as exc:
        raise OpsdocsError(f"{config_file.name}: MkDocs configuration error: {exc}") from None
    except Abort as exc:
        details = "; ".join(collect.messages) or str(exc)
        raise OpsdocsError(f"{config_file.name}: MkDocs build failed: {details}") from None
    finally:
        logger.removeHandler(collect)


def locate(project: Project) -> tuple[Path, Path]:
    """docs_dir and site_dir as mkdocs.yml sets them (docs/ and site/ without one)."""
    settings = read_settings(project.mkdocs_config)
    return settings.docs_dir(), settings.site_dir()


ENGINE = register(Engine(
    name="mkdocs",
    escaper=Escaper(text_map=HTML_TEXT, inline_map=HTML_INLINE, python_markdown=True),
    render=render,
    callout=callout,
    default_out="docs",
    help="a MkDocs Material site: Markdown in docs/, HTML in site/",
    assets=mermaid_asset,
    html=build_html,
    locate=locate,
    split_html=build_split,
))
