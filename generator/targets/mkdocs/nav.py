"""MkDocs: the navigation from the page plan, and the layout of a MkDocs docs tree (the relocated templates)."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import replace
from typing import Any

from ...links import relative_path, rewrite_relative_links
from ...pages import Plan

# Zensical, Material's successor, reads docs/templates/ as theme templates, not pages; the
# handbook's templates live elsewhere in a MkDocs tree, and links to them follow.
RELOCATED = {"templates/": "handbook-templates/"}


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

    def fix(target: str, written: str, fragment: str) -> str | None:
        moved = relocate(target)
        if not target.endswith(".md") or (moved == target and old_path == new_path):
            return None
        return relative_path(moved, posixpath.dirname(new_path)) + fragment

    return rewrite_relative_links(text, old_path, fix)


BY_YEAR = 60  # dated pages in one folder past which the navigation groups them by year
_YEAR = re.compile(r"^\d{4}-\d{2}-\d{2}")


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
        return _by_year([entry for _, entry in sorted(items, key=lambda item: item[0])])

    return entries("")


def _by_year(entries: list[Any]) -> list[Any]:
    """A folder of more than BY_YEAR dated pages (`2024-03-01-...`) in one section per year, in their order: with
    Material's navigation.prune a page then carries its own year's entries, not five hundred."""
    dated = [e for e in entries if isinstance(e, dict) and isinstance(path := next(iter(e.values())), str)
             and _YEAR.match(path.rpartition("/")[2])]
    if len(dated) <= BY_YEAR or len(dated) < len(entries) - 1:
        return entries
    years: dict[str, list[Any]] = {}
    for entry in dated:
        years.setdefault(next(iter(entry.values())).rpartition("/")[2][:4], []).append(entry)
    return [e for e in entries if e not in dated] + [{year: items} for year, items in years.items()]


def url_of(path: str, directory_urls: bool) -> str:
    """The URL MkDocs gives a docs file, from the site's root: `a/b.md` → `a/b/`, `a/index.md` → `a/`."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5] if directory_urls else stem + ".html"
    return stem + "/" if directory_urls else stem + ".html"
