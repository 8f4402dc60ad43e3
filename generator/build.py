"""Build: the pipeline's last two stages. Diff a rendered site against the last build, then commit it.

A full build stages the new tree beside the old one and swaps it in whole. An
incremental build (a memo whose files are all still in place) renders only the
engagements whose files changed, then:

- for an HTML build, the new docs tree is staged from the old one (unchanged
  files hard-linked, not copied), the engine's HTML builder runs on it, and both
  trees are swapped in: all or nothing, as a full build;
- for a Markdown-only build (`--no-html`, Docusaurus), only the files whose
  bytes changed are rewritten in place, each atomically, so MkDocs' and
  Docusaurus' own watchers see the least. The memo is dropped before the first
  write and saved after the last, so a build killed in between is followed by
  a full one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .cache import Memo, digest_tree, memo_key, memo_path, sha
from .i18n import catalogs
from .lock import holding
from .pipeline import SiteRender, render_site
from .project import BuildOptions, Project
from .targets import get_engine
from .timings import lap
from .write import MARKER, Staging, check_output_dir, follow_umask, write_in_place


@dataclass(frozen=True)
class Report:
    target: str
    pages: int  # pages in the site
    rendered: int  # pages rendered by this build
    written: int  # files whose bytes were written
    removed: int
    incremental: bool
    html_dir: str | None = None  # where the HTML was built, as the user sees the path


@dataclass(frozen=True)
class Diff:
    """What a build changes in its output folder."""

    changed: dict[str, bytes]  # files to write: new, or with other bytes than the last build's
    kept: set[str]  # files of unchanged engagements, left as they are
    removed: list[str]  # files of the last build (or of nobody) that the new one does not have
    outputs: dict[str, str]  # the other files: path → digest (handbook, home, portfolio, assets)


def diff(made: SiteRender, memo: Memo) -> Diff:
    """Compare the rendered site with what the last build left in the output folder."""
    previous = memo.last.all_outputs() if memo.last else {}
    kept = {path for eid, part in made.parts.items() if eid not in made.stale for path in part.outputs}
    changed = {p: d for p, d in made.files.items() if p not in kept and (previous.get(p) != sha(d) or p not in memo.present)}
    every = set(made.files) | kept
    removed = sorted((set(previous) | memo.present) - every - {MARKER})
    engagement_files = {path for part in made.parts.values() for path in part.outputs}
    outputs = {p: sha(d) for p, d in made.files.items() if p not in engagement_files}
    return Diff(changed, kept, removed, outputs)


def open_memo(project: Project, name: str, options: BuildOptions, out_dir: Path) -> Memo:
    """The memo of one output folder, keyed by everything besides an engagement's own files that its pages depend on."""
    tiers = project.template_tiers(options.templates)
    mermaid = project.mermaid_js()
    key = memo_key(
        name, options.audience, options.as_of, options.engagement, options.engine_options, options.language, options.split,
        digest_tree(tiers), digest_tree([project.content_dir / "site.yaml", project.content_dir / "handbook"]), digest_tree(sorted(catalogs().values())),
        (mermaid.stat().st_size, mermaid.stat().st_mtime_ns) if mermaid else None,
        # What the HTML is built with: an engagement's site kept from the last split build must match the new ones.
        get_engine(name).memo_key(project),
    )
    path = memo_path(project.root / ".opsdocs-cache", out_dir, name)
    return Memo.open(path, key, project.content_dir / "engagements", out_dir, MARKER)


def output_dirs(project: Project, name: str, options: BuildOptions) -> tuple[Path, Path | None]:
    """Where one engine's docs tree goes, and its HTML (None without an HTML build); both checked as safe."""
    engine = get_engine(name)
    default_out, default_site = engine.locate(project) if engine.locate else (project.root / str(engine.default_out), project.root / "site")
    given = options.out if options.out and len(options.targets) == 1 else None
    out_dir = (given or default_out).resolve()
    check_output_dir(out_dir, project.protected())
    site_dir = None
    if engine.html is not None and options.html:
        site_dir = (options.site_dir or default_site).resolve()
        check_output_dir(site_dir, project.protected())
    return out_dir, site_dir


def build_target(project: Project, name: str, options: BuildOptions, progress: Callable[[str], None]) -> Report:
    """Render one engine's site (only what changed), then write it: all or nothing."""
    with lap("settings"):
        out_dir, site_dir = output_dirs(project, name, options)
        warnings = get_engine(name).host_warnings(out_dir)
    for warning in warnings:
        progress(f"{name}: warning: {warning}")
    with holding(project.root, [out_dir, *([site_dir] if site_dir else [])], "build", options.wait, progress, lambda p: project.rel(p) + "/"):
        return _build_locked(project, name, options, progress, out_dir, site_dir)


def _build_locked(project: Project, name: str, options: BuildOptions, progress: Callable[[str], None], out_dir: Path,
                  site_dir: Path | None) -> Report:
    with lap("memo"):
        memo = open_memo(project, name, options, out_dir)
    made = render_site(project, name, options, memo, progress)
    progress(f"{name}: rendered {made.rendered} of {len(made.plan.pages)} pages" + (" (incremental)" if memo.incremental else ""))
    for eid in made.stale:
        memo.remember(eid, made.parts[eid])
    with lap("diff"):
        changes = diff(made, memo)
    split = options.split or made.site.sites == "per-engagement"
    with lap("write"):
        written = commit(project, name, made, changes, memo, out_dir, site_dir, progress, split=split, audience=options.audience)
        memo.save(changes.outputs)
    removed = f", removed {len(changes.removed)}" if changes.removed else ""
    progress(f"{name}: wrote {written} files{removed} in {project.rel(out_dir)}/")
    html_dir = project.rel(site_dir) if site_dir else None
    return Report(name, len(made.plan.pages), made.rendered, written, len(changes.removed), memo.incremental, html_dir)


def commit(project: Project, name: str, made: SiteRender, changes: Diff, memo: Memo, out_dir: Path, site_dir: Path | None,
           progress: Callable[[str], None], split: bool = False, audience: str = "client") -> int:
    """Write the new tree (and build its HTML: one site, or with `split` one per engagement where the engine can);
    returns how many files were written."""
    engine = get_engine(name)
    if site_dir is not None and engine.html is not None:
        with Staging(out_dir) as docs:
            if memo.incremental:
                docs.link_from(out_dir, keep=changes.kept)
            docs.write(made.files)
            with Staging(site_dir) as site:
                progress(f"{name}: building HTML into {project.rel(site_dir)}/")
                with lap("html"):
                    if split and engine.split_html is not None:
                        previous = site_dir if memo.incremental and site_dir.is_dir() else None
                        engine.split_html(project, docs.path, site.path, made, previous, set(changes.changed) | set(changes.removed),
                                          audience, progress)
                    else:
                        engine.html(project, docs.path, site.path, made.plan, made.site, progress)
                follow_umask(site.path)
                memo.forget()
                docs.commit()
                site.commit()
        return len(made.files)
    if memo.incremental:
        memo.forget()
        write_in_place(out_dir, changes.changed, changes.removed)
        return len(changes.changed)
    with Staging(out_dir) as docs:
        docs.write(made.files)
        memo.forget()
        docs.commit()
    return len(made.files)


def build_site(project: Project, options: BuildOptions, progress: Callable[[str], None]) -> list[Report]:
    """Build every target asked for."""
    return [build_target(project, name, options, progress) for name in options.targets]
