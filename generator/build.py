"""Pipeline: load → model → compute → render → targets → write, as the commands call it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentErrors, OpsdocsError
from .load import load_content
from .model import Content, validate_content
from .project import Project

if TYPE_CHECKING:
    from .targets import Rendered


@dataclass(frozen=True)
class Checked:
    content: Content
    warnings: list[OpsdocsError]

    def drafts(self) -> dict[str, int]:
        """Each draft document's path and how many TODO placeholders it still holds."""
        from .model.checks import todo_locations

        found = {}
        for data in self.content.engagements.values():
            for doc, model in data.documents():
                if getattr(model, "status", None) == "draft":
                    found[doc.rel] = len(list(todo_locations(doc.data)))
        return dict(sorted(found.items()))


def read_content(project: Project, strict: bool = False, only: set[str] | None = None) -> Checked:
    """Load and validate the content tree; raise every error found, in one go.

    `strict` also lints valid content: mojibake, unclosed code fences, dead links.
    `only` limits the engagements read to those ids (an incremental build).
    """
    raw, problems = load_content(project.content_dir, project.root, only)
    content, more = validate_content(raw)
    problems.extend(more)
    if strict and content is not None and not any(not p.warning for p in problems):
        from .lint import lint_content

        problems.extend(lint_content(content))
    errors = [p for p in problems if not p.warning]
    if errors or content is None:
        raise ContentErrors(errors)
    return Checked(content, sorted(p for p in problems if p.warning))


@dataclass(frozen=True)
class BuildOptions:
    targets: tuple[str, ...] = ("mkdocs",)
    out: Path | None = None
    site_dir: Path | None = None
    html: bool = True
    engagement: str | None = None
    templates: Path | None = None
    audience: str = "client"
    as_of: date | None = None


def select(content: Content, engagement: str | None) -> Content:
    """The content with one engagement alone, for handing one client their docs."""
    if engagement is None:
        return content
    if engagement not in content.engagements:
        from .errors import unknown_engagement

        raise unknown_engagement(engagement, content.engagements)
    return replace(content, engagements={engagement: content.engagements[engagement]})


def environment_for(project: Project, name: str, options: BuildOptions, globals_: dict):
    """The Jinja environment of one engine, with the figures and diagram helpers as globals."""
    from .escape import COMMONMARK, MDX, MKDOCS
    from .render import make_environment

    escaper = {"mkdocs": MKDOCS, "docusaurus": MDX, "export": COMMONMARK}[name]
    env = make_environment(project.template_tiers(options.templates), escaper, project.rel)
    env.globals.update(globals_, audience=options.audience)
    return env


@dataclass
class Prepared:
    """Content ready to render for one audience: filtered, with its figures computed."""

    content: Content
    as_of: date
    insights: dict
    summaries: dict


def prepare(content: Content, options: BuildOptions, as_of: date) -> Prepared:
    from .audience import for_audience
    from .compute import portfolio_insights, summarise

    content = for_audience(content, options.audience)
    insights = portfolio_insights(content, as_of)
    summaries = {eid: summarise(data, insights[eid]) for eid, data in content.engagements.items()}
    return Prepared(content, as_of, insights, summaries)


def render_target(project: Project, content: Content, name: str, options: BuildOptions) -> "Rendered":
    """One engine's whole docs tree for the options' audience, in memory: nothing is written."""
    from .compute import newest_date
    from .pages import plan_site
    from .targets import asset_files, get_target

    as_of = options.as_of or newest_date(content) or date(1970, 1, 1)
    ready = prepare(content, options, as_of)
    env = environment_for(project, name, options, template_globals(ready))
    assets = asset_files(project.template_tiers(options.templates), name)
    assets.update(project.engine_assets(name))
    plan = plan_site(ready.content, [ready.summaries[k] for k in sorted(ready.summaries)])
    return get_target(name).render(plan, env, assets)


def export_handover(project: Project, engagement: str, fmt: str, options: BuildOptions, paper: str = "a4",
                    chromium: str | None = None, progress: Callable[[str], None] = lambda line: None) -> bytes:
    """One engagement's handover document as Markdown, HTML or PDF bytes."""
    from .compute import newest_date
    from .export import assemble, diagram_sources, handover_css, to_html

    checked = read_content(project)
    content = select(checked.content, engagement)
    as_of = options.as_of or newest_date(content) or date(1970, 1, 1)
    options = replace(options, as_of=as_of)
    pages = render_target(project, content, "export", options).files
    markdown = assemble(content, engagement, pages, as_of)
    if fmt == "md":
        return markdown.encode("utf-8")
    from .chromium import find_chromium, print_pdf, render_mermaid

    browser = find_chromium(chromium)
    sources = diagram_sources(markdown)
    mermaid = project.mermaid_js()
    if sources and mermaid is None:
        raise OpsdocsError("node_modules/mermaid", 0, 0, "mermaid is needed to draw the diagrams", "run 'npm install' in the project (package.json lists it)")
    progress(f"export: drawing {len(sources)} diagrams in Chromium")
    svgs = render_mermaid(browser, mermaid, sources) if sources else []
    title = content.engagements[engagement].title
    document = to_html(markdown, title, handover_css(project.template_tiers(options.templates)), svgs, paper)
    if fmt == "html":
        return document.encode("utf-8")
    progress("export: printing the PDF in Chromium")
    return print_pdf(browser, document)


def template_globals(ready: Prepared) -> dict:
    """What every template may use besides its page's own data: the site, the figures, the diagrams."""
    from . import diagrams
    from .outline import operate_outline

    return {
        "site": ready.content.site,
        "as_of": ready.as_of,
        "insights": ready.insights,
        "operate_outline": operate_outline(),
        "steps_flowchart": diagrams.steps_flowchart,
        "escalation_flowchart": diagrams.escalation_flowchart,
        "incident_gantt": diagrams.incident_gantt,
        "monthly_chart": diagrams.monthly_chart,
        "operate_loop": diagrams.operate_loop,
    }
