"""Build: render each target and write it, redoing only what changed since the last build.

A full build renders every page and swaps the new tree in whole. With a valid
cache, only the engagements whose files changed are read and rendered (plus
the handbook pages, home and portfolio, which are few); then:

- for an HTML build, the new docs tree is staged from the old one (unchanged
  files hard-linked, not copied), MkDocs builds from it, and both trees are
  swapped in: all or nothing, as a full build;
- for a Markdown-only build (`--no-html`, Docusaurus), only the files whose
  bytes changed are rewritten in place, each atomically, so MkDocs' and
  Docusaurus' own watchers see the least. The cache is dropped before the
  first write and saved after the last, so a build killed in between is
  followed by a full one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .build import BuildOptions, Prepared, environment_for, prepare, read_content, template_globals
from .cache import (
    BuildCache, EngagementEntry, build_key, cache_path, digest_files, digest_tree, folder_signature, forget_cache,
    load_cache, save_cache, sha,
)
from .errors import OpsdocsError, did_you_mean
from .load import ID_RE
from .pages import Page, Plan, engagement_positions, plan_engagement, plan_handbook
from .project import Project
from .write import MARKER, Staging, check_output_dir, write_in_place


@dataclass(frozen=True)
class Report:
    target: str
    pages: int  # pages in the site
    rendered: int  # pages rendered by this build
    written: int  # files whose bytes were written
    removed: int
    incremental: bool


def engagement_ids(project: Project, only: str | None) -> list[str]:
    folder = project.content_dir / "engagements"
    ids = sorted(p.name for p in folder.iterdir() if p.is_dir() and ID_RE.match(p.name)) if folder.is_dir() else []
    if only is not None:
        if only not in ids:
            raise OpsdocsError("--engagement", 0, 0, f"no engagement '{only}'", did_you_mean(only, ids))
        ids = [only]
    return ids


def _key(project: Project, name: str, options: BuildOptions) -> str:
    tiers = project.template_tiers(options.templates)
    mermaid = project.mermaid_js()
    return build_key(
        name, options.audience, options.as_of, options.engagement,
        digest_tree(tiers), digest_tree([project.content_dir / "site.yaml", project.content_dir / "handbook"]),
        (mermaid.stat().st_size, mermaid.stat().st_mtime_ns) if mermaid else None,
    )


def _changed(project: Project, ids: list[str], cache: BuildCache | None) -> tuple[list[str], dict]:
    """The engagements to read again, and every engagement's signature."""
    root = project.content_dir / "engagements"
    signatures = {eid: folder_signature(root / eid) for eid in ids}
    if cache is None:
        return ids, signatures
    changed = []
    for eid in ids:
        entry = cache.engagements.get(eid)
        if entry is None:
            changed.append(eid)
        elif entry.signature != signatures[eid]:
            names = [name for name, _, _ in signatures[eid]]
            if digest_files(root / eid, names) == entry.digest:
                entry.signature = signatures[eid]  # touched, not changed
            else:
                changed.append(eid)
    return changed, signatures


def _files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def _outputs_of(cache: BuildCache) -> set[str]:
    found = set(cache.outputs)
    for entry in cache.engagements.values():
        found.update(entry.outputs)
    return found


def build_target(project: Project, name: str, options: BuildOptions, progress: Callable[[str], None]) -> Report:
    from .compute import newest_date
    from .targets import asset_files, get_target

    target = get_target(name)
    out_dir = (options.out if options.out and len(options.targets) == 1 else project.root / target.default_out).resolve()
    check_output_dir(out_dir, project.protected())
    html = name == "mkdocs" and options.html
    site_dir = (options.site_dir or project.root / "site").resolve() if html else None
    if site_dir:
        check_output_dir(site_dir, project.protected())

    ids = engagement_ids(project, options.engagement)
    cpath = cache_path(project.root / ".opsdocs-cache", out_dir, name)
    key = _key(project, name, options)
    cache = load_cache(cpath, key) if (out_dir / MARKER).is_file() else None
    present = _files_in(out_dir) if cache is not None else set()
    if cache is not None and not _outputs_of(cache) <= present:  # someone removed generated files: build in full
        cache = None
    changed, signatures = _changed(project, ids, cache)
    checked = read_content(project, only=set(changed))
    newest = [d for d in [newest_date(checked.content)] if d]
    if cache is not None:
        newest += [cache.engagements[e].newest for e in ids if e not in changed and cache.engagements[e].newest]
    as_of = options.as_of or max(newest, default=date(1970, 1, 1))
    if cache is not None and cache.as_of != as_of:  # every figure moves with the date: start again, in full
        cache = None
        changed, signatures = _changed(project, ids, None)
        checked = read_content(project, only=set(changed))
    ready = prepare(checked.content, options, as_of)

    summaries = {eid: cache.engagements[eid].summary for eid in ids if eid not in changed} if cache else {}
    summaries.update(ready.summaries)
    positions = engagement_positions(ids)
    to_render = plan_handbook(ready.content, [summaries[e] for e in ids])
    site_plan = Plan(list(to_render.pages), dict(to_render.folders))
    parts: dict[str, Plan] = {}
    for eid in ids:
        if eid in ready.content.engagements:
            parts[eid] = plan_engagement(ready.content.engagements[eid], positions[eid])
            to_render.pages.extend(parts[eid].pages)
            site_plan.pages.extend(parts[eid].pages)
        else:
            entry = cache.engagements[eid]  # type: ignore[union-attr]
            site_plan.pages.extend(entry.pages)
            site_plan.folders.update(entry.folders)
        site_plan.folders.update(parts[eid].folders if eid in parts else {})
    to_render.folders.update(site_plan.folders)

    env = environment_for(project, name, options, template_globals(ready))
    assets = asset_files(project.template_tiers(options.templates), name)
    assets.update(project.engine_assets(name))
    files = target.render(to_render, env, assets).files
    progress(f"{name}: rendered {len(to_render.pages)} of {len(site_plan.pages)} pages" + (" (incremental)" if cache else ""))

    # What the new tree holds: the files just made, and the unchanged engagements' files as they are.
    outputs = {path: sha(data) for path, data in files.items()}
    kept: dict[str, str] = {}
    if cache is not None:
        for eid in ids:
            if eid not in changed:
                kept.update(cache.engagements[eid].outputs)
    previous: dict[str, str] = {}
    if cache is not None:
        previous = dict(cache.outputs)
        for entry in cache.engagements.values():
            previous.update(entry.outputs)
    changed_files = {p: d for p, d in files.items() if previous.get(p) != outputs[p] or not (out_dir / p).is_file()}
    # Files the last build made that are gone from the site, and files opsdocs did not make at all.
    removed = sorted((set(previous) | present) - set(outputs) - set(kept) - {MARKER})

    new_cache = BuildCache(key=key, as_of=as_of)
    for eid in ids:
        if eid in parts:
            own = {p: h for p, h in outputs.items() if p.startswith(f"engagements/{eid}/")}
            meta = [replace(page, context={}) for page in parts[eid].pages]
            newest_one = newest_date(replace(ready.content, engagements={eid: ready.content.engagements[eid]}))
            new_cache.engagements[eid] = EngagementEntry(signatures[eid], digest_files(project.content_dir / "engagements" / eid,
                                                         [n for n, _, _ in signatures[eid]]), summaries[eid], newest_one, meta,
                                                         parts[eid].folders, own)
        else:
            new_cache.engagements[eid] = cache.engagements[eid]  # type: ignore[union-attr]
    new_cache.outputs = {p: h for p, h in outputs.items() if not any(p in e.outputs for e in new_cache.engagements.values())}

    incremental = cache is not None
    if html:
        from .targets.mkdocs import build_html, nav_of

        with Staging(out_dir) as docs:
            if incremental:
                docs.link_from(out_dir, keep=set(kept))
            docs.write(files)
            with Staging(site_dir) as site:
                progress(f"mkdocs: building HTML into {project.rel(site_dir)}/")
                build_html(project.mkdocs_config, docs.path, site.path, nav_of(site_plan), ready.content.site.site.title,
                           ready.content.site.site.url)
                forget_cache(cpath)
                docs.commit()
                site.commit()
        written = len(files)
    elif incremental:
        forget_cache(cpath)
        write_in_place(out_dir, changed_files, removed)
        written = len(changed_files)
    else:
        with Staging(out_dir) as docs:
            docs.write(files)
            forget_cache(cpath)
            docs.commit()
        written = len(files)
    save_cache(cpath, new_cache)
    progress(f"{name}: wrote {written} files" + (f", removed {len(removed)}" if removed else "") + f" in {project.rel(out_dir)}/")
    return Report(name, len(site_plan.pages), len(to_render.pages), written, len(removed), incremental)


def build_site(project: Project, options: BuildOptions, progress: Callable[[str], None]) -> list[Report]:
    """Check the content, then build every target asked for."""
    return [build_target(project, name, options, progress) for name in options.targets]
