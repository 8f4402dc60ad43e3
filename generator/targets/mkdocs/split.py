"""Targets: a MkDocs site as one site per engagement (`build --split`, or `sites: per-engagement` in site.yaml).

The root site holds the handbook, the home page and the portfolio; each engagement is a MkDocs site of its own
under `engagements/<id>/`, built with the same mkdocs.yml. So an edit rebuilds one small site, the sites build
in parallel, and a client's site, search index and sitemap hold that client alone.

Links across the boundary are written as URLs relative to the page (MkDocs checks only links between the pages
of one build, so opsdocs checks these itself: a link to a page no site has fails the build). Each engagement
site's navigation starts with the way back to the home page and the portfolio, and it uses the root's copy of
mermaid and of opsdocs' stylesheet. For an internal build the root's search index also holds every
engagement's pages, so the consultancy searches its whole portfolio from the home page.

Files an engagement site has with the same bytes at the same place as the root (Material's scripts, styles and
fonts) are hard links to the root's, so the whole tree holds one copy of the theme.

An incremental build rebuilds the engagement sites whose Markdown changed, and the root only when its own pages
changed; everything else is taken from the last build as hard links. The whole site is staged and swapped in at
once, as for a single site.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ...cache import files_under, sha
from ...errors import OpsdocsError
from ...i18n import language
from ...links import relative_path, rewrite_relative_links
from ...pages import Plan
from ...parallel import parallel_map
from ...write import MARKER, link_file, link_tree, move_into
from ..htmlcheck import check_assets
from .nav import nav_of, relocate_plan, url_of
from .runner import run_mkdocs, user_settings
from .settings import for_build

BASE = "engagements/"
ROOT_JOB = ""  # the root site among the build jobs: built alongside the engagements' sites


def home(eid: str) -> str:
    return f"{BASE}{eid}/"


def relative_url(target: str, page: str, directory_urls: bool) -> str:
    """`target` (a URL from the site's root) as a link written on the page at `page` (a docs path)."""
    here = url_of(page, directory_urls)
    folder = here.rstrip("/") if here.endswith("/") else posixpath.dirname(here)  # the folder the page is served from
    rel = relative_path(target, folder)
    if rel == ".":
        return "./"
    return rel + "/" if target.endswith("/") or not target else rel


def rewrite_links(text: str, page: str, inside: Callable[[str], bool], files: set[str], directory_urls: bool) -> str:
    """Links from `page` (a full-tree docs path) to files outside its own site, as relative URLs; an error for a
    link to a file that no site has."""

    def fix(target: str, written: str, fragment: str) -> str | None:
        if inside(target) and (target in files or not target.endswith(".md")):
            return None
        if target not in files:
            raise OpsdocsError(f"{page}: a link to {written}, which no page or file of the site is",
                               "fix the link in the content or template it comes from")
        return relative_url(url_of(target, directory_urls), page, directory_urls) + fragment

    return rewrite_relative_links(text, page, fix)


def stage_docs(source: Path, target: Path, files: list[str], strip: str, inside: Callable[[str], bool], every: set[str],
               directory_urls: bool) -> None:
    """One site's docs folder: its files from the full tree (`strip` taken off their paths), pages with their links
    across the boundary rewritten, other files hard-linked."""
    for rel in files:
        out = target / rel[len(strip):]
        out.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".md"):
            text = (source / rel).read_text(encoding="utf-8")
            out.write_text(rewrite_links(text, rel, inside, every, directory_urls), encoding="utf-8")
        else:
            link_file(source / rel, out)


def merge_search(site: Path, ids: list[str]) -> None:
    """The root's search index with every engagement site's pages added, their locations under `engagements/<id>/`."""
    index_path = site / "search" / "search_index.json"
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    prefixes = tuple(home(eid) for eid in ids)
    docs = [doc for doc in index["docs"] if not doc["location"].startswith(prefixes)]  # the root's own pages
    for eid in ids:
        sub = site / home(eid) / "search" / "search_index.json"
        if sub.is_file():
            docs += [{**doc, "location": home(eid) + doc["location"]} for doc in json.loads(sub.read_text(encoding="utf-8"))["docs"]]
    index["docs"] = docs
    index_path.unlink()  # it may be a hard link to the last build's file: write a new one
    index_path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


OWN_FILES = (".html", ".xml", ".gz", ".json")  # pages, sitemaps and search indexes: each site's own


def share_theme_files(site_dir: Path, ids: list[str]) -> int:
    """Each file of an engagement site (the theme's scripts, styles, fonts and images) that the root site has at the
    same place with the same bytes becomes a hard link to the root's: 200 sites hold one copy of the theme, and each
    is still whole when copied elsewhere. Returns the files linked now."""
    root_files: dict[str, tuple[int, int, str | None]] = {}
    linked = 0
    for eid in ids:
        base = site_dir / home(eid)
        for path in base.rglob("*"):
            if path.suffix in OWN_FILES or not path.is_file():
                continue
            rel = path.relative_to(base).as_posix()
            twin = site_dir / rel
            if rel not in root_files:
                root_files[rel] = (twin.stat().st_size, twin.stat().st_ino, None) if twin.is_file() else (-1, -1, None)
            size, inode, digest = root_files[rel]
            mine = path.stat()
            if size != mine.st_size or inode == mine.st_ino:
                continue  # not the root's file, or already linked to it
            if digest is None:
                digest = sha(twin.read_bytes())
                root_files[rel] = (size, inode, digest)
            if sha(path.read_bytes()) == digest:
                temporary = path.with_name(f".{path.name}.link")
                try:
                    os.link(twin, temporary)
                except OSError:
                    continue  # a file system without hard links: the copy stays
                os.replace(temporary, path)
                linked += 1
    return linked


def scratch(near: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=".opsdocs-split-", dir=near.parent))


def across_sites(overrides: dict[str, Any], settings_values: dict[str, Any], directory_urls: bool) -> dict[str, Any]:
    """Both kinds of site link to pages of the other by URL, which MkDocs cannot see: such links are not MkDocs
    warnings (opsdocs checked every Markdown link to a page, in a site and across, when it staged the docs). Without
    directory URLs they end in `.html`, which MkDocs looks for among the pages: then that check is opsdocs' alone.
    The user's other validation settings stay."""
    validation = dict(settings_values.get("validation") or {})
    validation["nav"] = {**(validation.get("nav") or {}), "not_found": "info"}
    links = {**(validation.get("links") or {}), "unrecognized_links": "info"}
    validation["links"] = links if directory_urls else {**links, "not_found": "info"}
    return {**overrides, "validation": validation}


def sub_site_overrides(overrides: dict[str, Any], eid: str, nav: list[Any], site_url: str | None) -> dict[str, Any]:
    """What an engagement's site changes in the root's build settings: its own nav (the user's nav lists the root's
    pages), assets from the root, search alone among the plugins (the user's plugins are the root site's
    business), and its own URL under the root's (mkdocs.yml's `site_url`, else site.yaml's)."""
    changed = {**overrides, "nav": nav, "plugins": ["search"]}
    for key in ("extra_javascript", "extra_css"):
        changed[key] = [_up(item) for item in overrides.get(key) or []]
    base = overrides.get("site_url") or site_url
    if base:
        changed["site_url"] = base.rstrip("/") + "/" + home(eid)
    return changed


def _up(item: Any) -> Any:
    """An asset path of the root site, as an engagement site two levels down reaches it."""
    path = item.get("path") if isinstance(item, dict) else item
    if not isinstance(path, str) or re.match(r"^([a-z][a-z0-9+.-]*:|/)", path):
        return item
    moved = "../../" + path
    return {**item, "path": moved} if isinstance(item, dict) else moved


def _rebuilt(rel: str, sub_sites: tuple[str, ...], to_build: list[str], build_root: bool) -> bool:
    owner = _owner(rel) if rel.startswith(sub_sites) else None
    return owner in to_build if owner else build_root


def _owner(path: str) -> str | None:
    """The engagement whose site a path of the full tree (or of the built site) belongs to; None for the root."""
    if path.startswith(BASE) and path.count("/") >= 2:
        return path.split("/")[1]
    return None


def _root_nav(plan, ids: list[str], titles: dict[str, str], directory_urls: bool) -> list[Any]:
    """The root site's nav: the handbook's, with a link to each engagement's site in the engagements section."""

    root = Plan([p for p in plan.pages if _owner(p.path) is None],
                {k: f for k, f in plan.folders.items() if _owner(k + "/") is None})
    nav = nav_of(relocate_plan(root))
    links = [{titles[eid]: url_of(home(eid) + "index.md", directory_urls)} for eid in ids]
    for entry in nav:
        if isinstance(entry, dict):
            (label, children), = entry.items()
            if isinstance(children, list) and f"{BASE}index.md" in children:
                entry[label] = children + links
                return nav
    return nav + links


def _sub_nav(part, eid: str, lang, directory_urls: bool) -> list[Any]:
    """An engagement site's nav: back to the home page and the portfolio, then its own pages."""

    cut = len(home(eid))
    pages = [replace(p, path=p.path[cut:]) for p in part.plan.pages]
    folders = {k[cut:]: replace(f, path=f.path[cut:]) for k, f in part.plan.folders.items() if k.startswith(home(eid))}
    back = [{lang.gettext("Home"): "../../" if directory_urls else "../../index.html"},
            {lang.gettext("Portfolio"): "../" if directory_urls else "../index.html"}]
    return back + nav_of(Plan(pages, folders))


def build_split(project, docs_dir: Path, site_dir: Path, made, previous: Path | None, changed: set[str], audience: str,
                progress: Callable[[str], None]) -> int:
    """Build the root site and each engagement's into `site_dir` (a staging folder); `previous` is the last build's
    site for an incremental build, `changed` the docs files that changed since. Returns the sites built."""

    settings = user_settings(project)
    directory_urls = settings.values.get("use_directory_urls", True) is not False
    every = files_under(docs_dir) - {MARKER}
    ids = sorted(made.parts, key=lambda eid: (made.parts[eid].plan.folders[home(eid)[:-1]].position, eid))
    stale = {_owner(path) for path in changed}
    to_build = [eid for eid in ids if previous is None or eid in stale or not (previous / home(eid)).is_dir()]
    build_root = previous is None or None in stale
    title, url = made.site.site.title, made.site.site.url
    work = scratch(site_dir)

    def build_one(job: str) -> None:
        if job == ROOT_JOB:
            nav = _root_nav(made.plan, ids, {eid: made.parts[eid].summary.title for eid in ids}, directory_urls)
            stage_docs(docs_dir, work / "root-docs", sorted(p for p in every if _owner(p) is None), "",
                       lambda t: _owner(t) is None, every, directory_urls)
            overrides = across_sites(for_build(settings, nav, title, url, made.language)[0], settings.values, directory_urls)
            run_mkdocs(settings.path, work / "root-docs", work / "root", overrides)
            return
        part, mine = made.parts[job], home(job)
        lang = language(part.language)
        stage_docs(docs_dir, work / "docs" / job, sorted(p for p in every if p.startswith(mine)), mine,
                   lambda t: t.startswith(mine), every, directory_urls)
        overrides = for_build(settings, [], title, url, lang.tag)[0]
        overrides = sub_site_overrides(overrides, job, _sub_nav(part, job, lang, directory_urls), settings.values.get("site_url") or url)
        overrides = across_sites(overrides, settings.values, directory_urls)
        run_mkdocs(settings.path, work / "docs" / job, work / "sites" / job, overrides)

    try:
        if to_build:
            progress(f"mkdocs: building {len(to_build)} of {len(ids)} engagement sites" + ("" if build_root else ", the root kept"))
        parallel_map(build_one, ([ROOT_JOB] if build_root else []) + to_build, at_least=2)
        if build_root:
            move_into(work / "root", site_dir)
        else:
            link_tree(previous, site_dir, lambda rel: _owner(rel) is None)  # type: ignore[arg-type]
        for eid in ids:
            if eid in to_build:
                move_into(work / "sites" / eid, site_dir / home(eid))
            else:
                link_tree(previous / home(eid), site_dir / home(eid), lambda rel: True)  # type: ignore[operator]
        share_theme_files(site_dir, ids)
        if audience == "internal":
            merge_search(site_dir, ids)
        # The sites built now: the kept ones were checked when they were built.
        sub_sites = tuple(home(eid) for eid in ids)
        check_assets(site_dir, [page for page in site_dir.rglob("*.html") if _rebuilt(page.relative_to(site_dir).as_posix(), sub_sites, to_build, build_root)])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return len(to_build) + (1 if build_root else 0)
