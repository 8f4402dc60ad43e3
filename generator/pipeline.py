"""Pipeline: collect → plan → render, in memory. The one way every command makes a docs tree.

`render_site` is what `opsdocs build`, `serve`, `export` and the golden tests
all run. It reads and validates the handbook, then each engagement on its own
(in forked workers when there are many), plans each one's pages and renders
them through the engine's templates; then it plans and renders the handbook,
home and portfolio from the engagements' summaries. Nothing is written here:
`build.py` compares the result with the last build (diff) and writes it (commit).

An engagement's pages depend on its own files, the handbook, the templates and
the options, never on another engagement's data: its figures are as of the
newest date in its own files (or `--as-of`). So with a memo (`cache.Memo`),
an engagement whose files did not change is neither read nor rendered again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from . import diagrams
from .audience import engagement_for
from .cache import sha
from .compute import engagement_insights, engagement_newest_date, summarise
from .errors import ContentErrors, Problem, unknown_engagement
from .i18n import language
from .lint import SiteUrls, lint_content
from .load import engagement_folders, load_content, load_engagement
from .model import validate_content, validate_engagement
from .model.checks import todo_locations
from .model.kinds import kinds, kinds_in
from .outline import operate_outline
from .pages import Plan, collisions, engagement_positions, plan_engagement, plan_handbook, plan_site
from .parallel import parallel_map, worker_count
from .project import EPOCH, BuildOptions, Project
from .render import make_environment
from .targets import asset_files, get_engine
from .targets.mkdocs.nav import url_of
from .targets.mkdocs.settings import read_settings
from .timings import lap

if TYPE_CHECKING:
    import jinja2

    from .cache import Memo
    from .compute import EngagementSummary
    from .model import Content
    from .model.site import Site
    from .pages import Plan
    from .targets import Engine

# Below this many engagements to render, forking workers costs more than it saves.
PARALLEL_ENGAGEMENTS = 12


def _ignore(line: str) -> None:
    pass


@dataclass(frozen=True)
class Checked:
    content: "Content"
    warnings: list[Problem]
    published: SiteUrls | None = None  # where the site is published and its pages' URLs (read under `strict`)

    def drafts(self) -> dict[str, int]:
        """Each draft document's path and how many TODO placeholders it still holds."""
        found = {}
        for data in self.content.engagements.values():
            for _, doc, model in data.documents():
                if getattr(model, "status", None) == "draft":
                    found[doc.rel] = len(list(todo_locations(doc.data)))
        return dict(sorted(found.items()))


def read_content(project: Project, strict: bool = False, only: set[str] | None = None) -> Checked:
    """Collect: load and validate the content tree; raise every error found, in one go.

    `strict` also lints valid content: mojibake, unclosed code fences, dead links.
    `only` limits the engagements read to those ids (an empty set: the handbook alone).
    """
    raw, problems = load_content(project.content_dir, project.root, kinds(), only)
    content, more = validate_content(raw)
    problems.extend(more)
    if content is not None and only is None:
        problems.extend(collisions(content, plan_site(content)))
    where = None
    if strict and content is not None and not any(not p.warning for p in problems):
        where = published(project, content)
        problems.extend(lint_content(content, where))
    if content is None or any(not p.warning for p in problems):
        raise ContentErrors(problems)  # the warnings too: a reader fixing the errors wants to see everything at once
    return Checked(content, sorted(p for p in problems if p.warning), where)


def site_address(project: Project, site: "Site") -> tuple[str | None, bool]:
    """The site's address (mkdocs.yml's `site_url`, else site.yaml's `site.url`, ending with '/'; None when neither
    is set), and whether MkDocs writes directory URLs (`a/b/`, not `a/b.html`)."""
    settings = read_settings(project.mkdocs_config).values
    site_url = settings.get("site_url") or site.site.url
    return (site_url.rstrip("/") + "/" if site_url else None), settings.get("use_directory_urls", True) is not False


def published(project: Project, content: "Content") -> SiteUrls | None:
    """The site's address and the URL of every page and file the build writes, as MkDocs names them; None when no
    address is set."""
    site_url, directory_urls = site_address(project, content.site)
    if not site_url:
        return None
    urls = {url_of(page.path, directory_urls) for page in plan_site(content).pages} | set(content.assets)
    return SiteUrls(site_url, frozenset(urls))


def engagement_ids(project: Project, only: str | None) -> list[str]:
    """The engagements of the site: every folder under engagements/, or the one asked for."""
    ids = [folder.name for folder in engagement_folders(project.content_dir)]
    if only is not None:
        if only not in ids:
            raise unknown_engagement(only, ids)
        ids = [only]
    return ids


@dataclass
class EngagementPart:
    """What one engagement adds to a site: its files, and what the rest of the site needs to know of it."""

    files: dict[str, bytes]  # empty when recalled from the memo: the files are already in the output folder
    outputs: dict[str, str]  # every file's path → digest of its bytes
    summary: "EngagementSummary"  # its line on the home page and the portfolio
    plan: "Plan"  # its pages without their data, for the navigation
    as_of: date  # the date its figures are computed for
    newest: date | None  # the newest date in its files
    language: str  # the language its pages are written in


@dataclass(frozen=True)
class Job:
    """Everything rendering one engagement needs; forked workers inherit it, nothing is pickled."""

    project: Project
    engine: "Engine"
    options: BuildOptions
    site: "Site"
    envs: "Environments"
    positions: dict[str, int]


@dataclass
class Environments:
    """One engine's Jinja environments, one per language its pages are written in, each made when first asked for."""

    project: Project
    engine: "Engine"
    options: BuildOptions
    site: "Site"
    made: dict[str, "jinja2.Environment"] = field(default_factory=dict)

    def __call__(self, tag: str) -> "jinja2.Environment":
        if tag not in self.made:
            self.made[tag] = environment(self.project, self.engine, self.options, self.site, tag)
        return self.made[tag]


def environment(project: Project, engine: "Engine", options: BuildOptions, site: "Site", tag: str) -> "jinja2.Environment":
    """The Jinja environment of one engine and language, with what every template may use besides its page's data."""
    env = make_environment(project.template_tiers(options.templates), engine, project.rel, project.root / ".opsdocs-cache" / "jinja",
                           language(tag))
    env.globals.update(
        site=site,
        audience=options.audience,
        operate_outline=operate_outline(),
        steps_flowchart=diagrams.steps_flowchart,
        escalation_flowchart=diagrams.escalation_flowchart,
        incident_gantt=diagrams.incident_gantt,
        monthly_chart=diagrams.monthly_chart,
        operate_loop=diagrams.operate_loop,
    )
    return env


def render_engagement(job: Job, eid: str) -> EngagementPart | list[Problem]:
    """Read, check, plan and render one engagement: its part of the site, or its errors."""
    raw, problems = load_engagement(job.project.content_dir / "engagements" / eid, kinds_in("engagement"), job.project.root)
    data, more = validate_engagement(raw) if raw is not None else (None, [])
    errors = [p for p in problems + more if not p.warning]
    if errors or data is None:
        return errors
    newest = engagement_newest_date(data)
    as_of = job.options.as_of or newest or EPOCH
    data = engagement_for(replace(data, sources={}), job.options.audience)
    insights = engagement_insights(data, as_of, job.site)
    tag = job.options.language or data.engagement.language or job.site.site.language
    plan = plan_engagement(data, job.positions[eid], language(tag))
    files = job.engine.render(plan, job.envs(tag), {"as_of": as_of, "insights": {eid: insights}}, job.options, job.site)
    bare = replace(plan, pages=[replace(page, context={}) for page in plan.pages])
    return EngagementPart(files, {path: sha(blob) for path, blob in files.items()}, summarise(data, insights), bare, as_of, newest, tag)


def render_engagements(job: Job, ids: list[str], progress: Callable[[str], None]) -> dict[str, EngagementPart]:
    """Every engagement in `ids`, rendered; every error of every one raised together."""
    if len(ids) >= PARALLEL_ENGAGEMENTS:
        progress(f"{job.engine.name}: reading and rendering {len(ids)} engagements in {worker_count()} processes")
        env = job.envs(job.options.language or job.site.site.language)  # the language most pages are in
        for name in env.list_templates(filter_func=lambda name: name.startswith("engagement/")):
            env.get_template(name)  # compiled once here, inherited by every worker
    results = parallel_map(lambda eid: render_engagement(job, eid), ids, at_least=PARALLEL_ENGAGEMENTS)
    errors = [p for result in results if isinstance(result, list) for p in result]
    if errors:
        raise ContentErrors(errors)
    return dict(zip(ids, results))  # type: ignore[arg-type]


@dataclass
class SiteRender:
    """One engine's docs tree, in memory."""

    files: dict[str, bytes]  # every file rendered now (with a memo: the handbook and the changed engagements)
    parts: dict[str, EngagementPart]  # every engagement's part, by id
    plan: "Plan"  # every page of the site, for the navigation
    site: "Site"
    as_of: date  # the portfolio's date: the newest of the engagements'
    rendered: int  # pages rendered now
    stale: list[str] = field(default_factory=list)  # the engagements rendered now
    language: str = "en"  # the site's language: the handbook's pages and the engine's own words (search, theme)


def site_language(site: "Site", options: BuildOptions, parts: dict[str, EngagementPart]) -> str:
    """The language of a build's handbook pages and engine: `--language`, else the one engagement's of an
    `--engagement` build (a client's site speaks its language), else site.yaml's."""
    if options.language:
        return options.language
    if options.engagement and options.engagement in parts:
        return parts[options.engagement].language
    return site.site.language


def render_site(project: Project, engine_name: str, options: BuildOptions, memo: "Memo | None" = None,
                progress: Callable[[str], None] = _ignore) -> SiteRender:
    """Collect, plan and render one engine's whole docs tree; with a memo, only what changed since it was made."""
    engine = get_engine(engine_name)
    with lap("handbook read"):
        handbook = read_content(project, only=set()).content
        ids = engagement_ids(project, options.engagement)
        positions = engagement_positions(ids)
        job = Job(project, engine, options, handbook.site, Environments(project, engine, options, handbook.site), positions)
    with lap("signatures"):
        stale = memo.stale(positions) if memo is not None else ids
        parts: dict[str, Any] = {eid: memo.recall(eid) for eid in ids if eid not in stale} if memo is not None else {}
    with lap("engagements"):
        parts.update(render_engagements(job, stale, progress))
    with lap("handbook pages"):
        return _assemble(project, engine, options, handbook, job, ids, parts, stale)


def _assemble(project: Project, engine: "Engine", options: BuildOptions, handbook: "Content", job: Job, ids: list[str],
              parts: dict[str, Any], stale: list[str]) -> SiteRender:
    """The handbook's pages and the engines' assets, with every engagement's part: the whole docs tree."""
    as_of = options.as_of or max((p.newest for p in parts.values() if p.newest), default=EPOCH)
    lang = language(site_language(handbook.site, options, parts))
    handbook_plan = plan_handbook(handbook, [parts[eid].summary for eid in ids], lang)
    plan = Plan(list(handbook_plan.pages), dict(handbook_plan.folders), lang.tag)
    for eid in ids:
        plan.extend(parts[eid].plan)
    clashes = collisions(handbook, plan)
    if clashes:
        raise ContentErrors(clashes)
    files = engine.render(handbook_plan, job.envs(lang.tag), {"as_of": as_of, "insights": {}, "lang": lang}, options, handbook.site)
    for eid in ids:
        files.update(parts[eid].files)
    assets = asset_files(project.template_tiers(options.templates), engine.name)
    assets.update(engine.assets(project))
    for rel, data in assets.items():
        files.setdefault(rel, data)
    # The consultancy's own files (never pages: those are planned) win over the shipped ones, `_category_.json` too.
    files.update({path: file.data for path, file in handbook.assets.items()})
    rendered = len(handbook_plan.pages) + sum(len(parts[eid].plan.pages) for eid in stale)
    return SiteRender(files, {eid: parts[eid] for eid in ids}, plan, handbook.site, as_of, rendered, list(stale), lang.tag)
