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
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from .build import BuildOptions, environment_for, prepare, read_content, template_globals
from .cache import (
    BuildCache,
    EngagementEntry,
    build_key,
    cache_path,
    digest_files,
    digest_tree,
    files_under,
    folder_signature,
    forget_cache,
    load_cache,
    save_cache,
    sha,
)
from .errors import OpsdocsError, unknown_engagement
from .load import ID_RE
from .pages import Plan, engagement_positions, plan_engagement, plan_handbook
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
            raise unknown_engagement(only, ids)
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


def _outputs_of(cache: BuildCache) -> set[str]:
    found = set(cache.outputs)
    for entry in cache.engagements.values():
        found.update(entry.outputs)
    return found


def build_target(project: Project, name: str, options: BuildOptions, progress: Callable[[str], None]) -> Report:
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
    present = files_under(out_dir) if cache is not None else set()
    if cache is not None and not _outputs_of(cache) <= present:  # someone removed generated files: build in full
        cache = None
    changed, signatures = _changed(project, ids, cache)
    cached_newest = {e: cache.engagements[e].newest for e in ids if e not in changed} if cache else {}
    generated = generate(project, name, options, changed, engagement_positions(ids), cached_newest)
    as_of = generated.as_of
    if cache is not None and cache.as_of != as_of:  # every figure moves with the date: start again, in full
        cache = None
        changed, signatures = _changed(project, ids, None)
        generated = generate(project, name, options, changed, engagement_positions(ids), {})

    summaries = {eid: cache.engagements[eid].summary for eid in ids if eid not in changed} if cache else {}
    summaries.update(generated.summaries)
    site_content = read_content(project, only=set()).content
    ready = prepare(site_content, options, as_of)
    to_render = plan_handbook(ready.content, [summaries[e] for e in ids])
    site_plan = Plan(list(to_render.pages), dict(to_render.folders))
    for eid in ids:
        part = generated.plans.get(eid) or Plan(cache.engagements[eid].pages, cache.engagements[eid].folders)  # type: ignore[union-attr]
        site_plan.pages.extend(part.pages)
        site_plan.folders.update(part.folders)
    to_render.folders.update(site_plan.folders)

    env = environment_for(project, name, options, template_globals(ready))
    assets = asset_files(project.template_tiers(options.templates), name)
    assets.update(project.engine_assets(name))
    files = target.render(to_render, env, assets).files
    files.update(generated.files)
    rendered = len(to_render.pages) + sum(len(p.pages) for p in generated.plans.values())
    progress(f"{name}: rendered {rendered} of {len(site_plan.pages)} pages" + (" (incremental)" if cache else ""))

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
    changed_files = {p: d for p, d in files.items() if previous.get(p) != outputs[p] or p not in present}
    # Files the last build made that are gone from the site, and files opsdocs did not make at all.
    removed = sorted((set(previous) | present) - set(outputs) - set(kept) - {MARKER})

    by_engagement: dict[str, dict[str, str]] = {}
    rest: dict[str, str] = {}
    for path, digest in outputs.items():
        parts = path.split("/", 2)
        if parts[0] == "engagements" and len(parts) == 3 and parts[1] in generated.plans:
            by_engagement.setdefault(parts[1], {})[path] = digest
        else:
            rest[path] = digest
    new_cache = BuildCache(key=key, as_of=as_of, outputs=rest)
    for eid in ids:
        if eid in generated.plans:
            own = by_engagement.get(eid, {})
            digest = digest_files(project.content_dir / "engagements" / eid, [n for n, _, _ in signatures[eid]])
            part = generated.plans[eid]
            new_cache.engagements[eid] = EngagementEntry(signatures[eid], digest, summaries[eid], generated.newest[eid],
                                                         part.pages, part.folders, own)
        else:
            new_cache.engagements[eid] = cache.engagements[eid]  # type: ignore[union-attr]

    incremental = cache is not None
    if html:
        from .targets.mkdocs import build_html, nav_of, relocate_plan

        with Staging(out_dir) as docs:
            if incremental:
                docs.link_from(out_dir, keep=set(kept))
            docs.write(files)
            with Staging(site_dir) as site:
                progress(f"mkdocs: building HTML into {project.rel(site_dir)}/")
                build_html(project.mkdocs_config, docs.path, site.path, nav_of(relocate_plan(site_plan)), ready.content.site.site.title,
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


@dataclass
class Generated:
    """The changed engagements, rendered: their files, and what the rest of the site needs of them."""

    as_of: date
    files: dict[str, bytes]
    summaries: dict
    plans: dict[str, Plan]  # each engagement's pages, without their data (for the navigation)
    newest: dict[str, date | None]


def _load(project: Project, ids: list[str]):
    """Read and check some engagements: (content, errors as plain tuples, newest date of each)."""
    from .compute import newest_date
    from .errors import ContentErrors

    try:
        content = read_content(project, only=set(ids)).content
    except ContentErrors as exc:
        return None, [(e.path, e.line, e.column, e.message, e.hint) for e in exc.errors], {}
    # Positions are only for errors; the rest of the build does not need them.
    content = replace(content, engagements={k: replace(v, sources={}) for k, v in content.engagements.items()})
    newest = {eid: newest_date(replace(content, engagements={eid: data})) for eid, data in content.engagements.items()}
    return content, [], newest


def _render(project: Project, name: str, options: BuildOptions, content, as_of: date, positions: dict[str, int]) -> tuple:
    from .targets import get_target

    ready = prepare(content, options, as_of)
    env = environment_for(project, name, options, template_globals(ready))
    plan = Plan([], {})
    plans = {}
    for eid, data in sorted(ready.content.engagements.items()):
        part = plan_engagement(data, positions[eid])
        plan.pages.extend(part.pages)
        plan.folders.update(part.folders)
        plans[eid] = Plan([replace(page, context={}) for page in part.pages], part.folders)
    files = get_target(name).render(plan, env, {}).files
    return files, ready.summaries, plans


def _worker(conn, project: Project, name: str, options: BuildOptions, ids: list[str], positions: dict[str, int]) -> None:
    """One forked process: read its share of the engagements, wait for the date, render them."""
    from . import targets

    targets.PARALLEL_PAGES = 10**9  # this process is one of the parallel ones already
    content, errors, newest = _load(project, ids)
    conn.send((errors, newest))
    as_of = conn.recv()
    if as_of is None or content is None:
        return
    conn.send(_render(project, name, options, content, as_of, positions))


# Above this many changed engagements, reading and rendering are shared among processes.
PARALLEL_ENGAGEMENTS = 12


def generate(project: Project, name: str, options: BuildOptions, changed: list[str], positions: dict[str, int],
             cached_newest: dict[str, date | None]) -> Generated:
    """Read, check and render the changed engagements: in forked processes for many, here for few."""
    import multiprocessing

    from .errors import ContentErrors

    workers = min(os.cpu_count() or 1, 4)
    parallel = len(changed) >= PARALLEL_ENGAGEMENTS and workers > 1 and "fork" in multiprocessing.get_all_start_methods()
    shares = [changed[n::workers] for n in range(workers)] if parallel else [changed]

    def date_for(newest: dict[str, date | None]) -> date:
        dates = [d for d in list(newest.values()) + list(cached_newest.values()) if d]
        return options.as_of or max(dates, default=date(1970, 1, 1))

    if not parallel:
        content, errors, newest = _load(project, changed)
        if errors:
            raise ContentErrors([OpsdocsError(*e) for e in errors])
        as_of = date_for(newest)
        files, summaries, plans = _render(project, name, options, content, as_of, positions)
        return Generated(as_of, files, summaries, plans, newest)

    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for share in shares:
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, project, name, options, share, positions))
        process.start()
        pipes.append(parent)
        processes.append(process)
    try:
        loaded = [pipe.recv() for pipe in pipes]
        errors = [e for errs, _ in loaded for e in errs]
        newest = {k: v for _, n in loaded for k, v in n.items()}
        as_of = None if errors else date_for(newest)
        for pipe in pipes:
            pipe.send(as_of)
        if errors:
            raise ContentErrors([OpsdocsError(*e) for e in errors])
        files, summaries, plans = {}, {}, {}
        for pipe in pipes:
            share_files, share_summaries, share_plans = pipe.recv()
            files.update(share_files)
            summaries.update(share_summaries)
            plans.update(share_plans)
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    return Generated(as_of, files, summaries, plans, newest)


def build_site(project: Project, options: BuildOptions, progress: Callable[[str], None]) -> list[Report]:
    """Check the content, then build every target asked for."""
    return [build_target(project, name, options, progress) for name in options.targets]
