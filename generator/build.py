"""Pipeline: load → model → compute → render → targets → write, as the commands call it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING
from pathlib import Path

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


def read_content(project: Project, strict: bool = False) -> Checked:
    """Load and validate the whole content tree; raise every error found, in one go.

    `strict` also lints valid content: mojibake, unclosed code fences, dead links.
    """
    raw, problems = load_content(project.content_dir, project.root)
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
        from .errors import did_you_mean

        raise OpsdocsError("--engagement", 0, 0, f"no engagement '{engagement}'", did_you_mean(engagement, content.engagements))
    return replace(content, engagements={engagement: content.engagements[engagement]})


def render_target(project: Project, content: Content, name: str, options: BuildOptions) -> "Rendered":
    """One engine's whole docs tree for the options' audience, in memory: nothing is written."""
    from .audience import for_audience
    from .escape import COMMONMARK, MDX, MKDOCS
    from .pages import plan_site
    from .render import make_environment
    from .targets import asset_files, get_target

    content = for_audience(content, options.audience)
    escaper = {"mkdocs": MKDOCS, "docusaurus": MDX, "export": COMMONMARK}[name]
    tiers = project.template_tiers(options.templates)
    env = make_environment(tiers, escaper, project.rel)
    env.globals.update(template_globals(content, options.as_of), audience=options.audience)
    assets = asset_files(tiers, name)
    assets.update(project.engine_assets(name))
    return get_target(name).render(plan_site(content), env, assets)


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


def build_site(project: Project, options: BuildOptions, progress: Callable[[str], None]) -> None:
    """Check, render every target in memory, then write and build each engine atomically."""
    from .targets import get_target
    from .write import Staging, check_output_dir

    checked = read_content(project)
    content = select(checked.content, options.engagement)
    for name in options.targets:
        rendered = render_target(project, content, name, options)
        default_out = project.root / get_target(name).default_out
        out_dir = options.out if options.out and len(options.targets) == 1 else default_out
        check_output_dir(out_dir, project.protected())
        progress(f"{name}: rendered {len(rendered.files)} files")
        if name == "mkdocs" and "javascripts/mermaid.min.js" not in rendered.files:
            progress("warning: node_modules/mermaid not found (run 'npm ci'); diagrams will need internet access")
        with Staging(out_dir) as docs:
            docs.write(rendered.files)
            if name == "mkdocs" and options.html:
                from .targets.mkdocs import build_html

                site_dir = options.site_dir or project.root / "site"
                check_output_dir(site_dir, project.protected())
                with Staging(site_dir) as site:
                    progress(f"mkdocs: building HTML into {project.rel(site_dir)}/")
                    build_html(project.mkdocs_config, docs.path, site.path, rendered.nav, content.site.site.title, content.site.site.url)
                    docs.commit()
                    site.commit()
            else:
                docs.commit()
        progress(f"{name}: wrote {project.rel(out_dir)}/")


def template_globals(content: Content, as_of: date | None) -> dict:
    """What every template may use besides its page's own data: the site, the figures, the diagrams."""
    from . import diagrams
    from .compute import newest_date, portfolio_insights
    from .outline import operate_outline

    as_of = as_of or newest_date(content) or date(1970, 1, 1)
    return {
        "site": content.site,
        "as_of": as_of,
        "insights": portfolio_insights(content, as_of),
        "operate_outline": operate_outline(),
        "steps_flowchart": diagrams.steps_flowchart,
        "escalation_flowchart": diagrams.escalation_flowchart,
        "incident_gantt": diagrams.incident_gantt,
        "monthly_chart": diagrams.monthly_chart,
        "operate_loop": diagrams.operate_loop,
    }
