"""Export: one handover document per engagement, as CommonMark, self-contained HTML, or PDF.

The pages come from the pipeline like any site's, rendered by the `export`
engine (plain CommonMark); this module puts them together into one document.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt

from .errors import OpsdocsError
from .i18n import Language, language
from .model import EngagementData
from .pages import Page, Plan
from .pipeline import read_content, render_site
from .project import PAPERS, BuildOptions, Project

_LINK = re.compile(r"\]\(([^)\s]+?\.md)(#[^)\s]*)?\)")
_FENCE = re.compile(r"^```mermaid\n(.*?)\n```$", re.M | re.S)


@dataclass(frozen=True)
class Section:
    page: Page
    anchor: str
    level: int  # 1 for the engagement's own pages, 2 for each runbook and post-mortem

    def title(self, lang: Language) -> str:
        # The overview page is headed with the engagement's title, which is the document's title here.
        return lang.gettext("Overview") if self.anchor == "overview" else self.page.title


def sections_of(plan: Plan, engagement_id: str) -> list[Section]:
    """The handover's parts in reading order: overview, operate, runbooks, post-mortems, terms."""
    base = f"engagements/{engagement_id}/"
    sections = []
    for page in plan.pages:
        if not page.path.startswith(base):
            continue
        rel = page.path[len(base):-3]
        anchor = "overview" if rel == "index" else rel.replace("/index", "").replace("/", "-")
        sections.append(Section(page, anchor, 2 if "/" in rel and not rel.endswith("/index") else 1))
    return sections


def _shift_headings(markdown: str, by: int) -> str:
    """Every ATX heading `by` levels deeper (outside code, found by markdown-it)."""
    lines = markdown.split("\n")
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "heading_open" and token.map and token.markup.startswith("#"):
            line = token.map[0]
            lines[line] = "#" * by + lines[line]
    return "\n".join(lines)


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def assemble(data: EngagementData, consultancy: str, plan: Plan, pages: dict[str, bytes], as_of: date, lang: Language) -> str:
    """The handover as one CommonMark document: title page, contents, then every part in order, in `lang`."""
    from .targets import get_engine

    e = data.engagement
    sections = sections_of(plan, data.id)
    anchors = {s.page.path: s.anchor for s in sections}
    text = get_engine("export").escaper.text
    provider = e.provider.name or consultancy
    _ = lang.gettext
    end = lang.date(e.period.end) if e.period.end else _("open-ended")
    rows = [
        (_("Handover"), _("Details")), ("---", "---"),
        (_("Client"), text(e.client.name)), (_("System"), text(e.system.name)), (_("Provider"), text(provider)),
        (_("Period"), text(f"{lang.date(e.period.start)} – {end}")), (_("As of"), text(lang.date(as_of))),
    ]
    out = [f"# {text(data.title)}", "", '<div class="title-page">', "", text(_("Operations handover")), ""]
    out += [f"| {label if label == '---' else text(label)} | {value} |" for label, value in rows]
    out += ["", "</div>", "", "## " + text(_("Contents")), ""]
    number = 0
    for s in sections:
        if s.level == 1:
            number += 1
            out.append(f"{number}. [{text(s.title(lang))}](#{s.anchor})")
        else:
            out.append(f"    - [{text(s.title(lang))}](#{s.anchor})")
    for s in sections:
        body = _strip_front_matter(pages[s.page.path].decode("utf-8")).strip("\n")
        body = _rewrite_links(body, s.page.path, anchors)
        if s.anchor == "overview":
            body = re.sub(r"\A# .*", lambda _m: f"# {text(s.title(lang))}", body)
        body = _shift_headings(body, s.level)  # the document's title is the only level-1 heading
        out += ["", f'<a id="{s.anchor}"></a>', "", body]
    return "\n".join(out).rstrip("\n") + "\n"


def _rewrite_links(markdown: str, page_path: str, anchors: dict[str, str]) -> str:
    """Links between pages become links within the document; links out of it become plain text."""
    folder = posixpath.dirname(page_path)

    def replace(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(1)))
        return f"](#{anchors[target]})" if target in anchors else match.group(0)

    rewritten = _LINK.sub(replace, markdown)
    # A link to a page outside the handover keeps its text only.
    return re.sub(r"\[([^\]]*)\]\((?![#a-z]+:|#)[^)\s]+\.md(#[^)\s]*)?\)", r"\1", rewritten)


def diagram_sources(markdown: str) -> list[str]:
    return [m.group(1) for m in _FENCE.finditer(markdown)]


def page_footer(lang: Language) -> str:
    """The printed page's footer, `Page 1 of 20` in the document's language, as CSS."""
    parts = re.split(r"%\((page|pages)\)s", lang.gettext("Page %(page)s of %(pages)s"))
    pieces = [f"counter({part})" if n % 2 else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
              for n, part in enumerate(parts) if part or n % 2]
    return f"@page {{ @bottom-center {{ content: {' '.join(pieces)}; }} }}"


def to_html(markdown: str, title: str, css: str, svgs: list[str], paper: str, lang: Language) -> str:
    """A self-contained HTML document: styles inline, diagrams as inline SVG, no script, no network."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    drawn = iter(svgs)

    def fence(self, tokens, idx, options, env):  # mermaid fences become their drawn SVG
        token = tokens[idx]
        if token.info.strip() == "mermaid":
            return f'<figure class="diagram">{next(drawn)}</figure>\n'
        return default_fence(tokens, idx, options, env)

    default_fence = parser.renderer.rules["fence"]
    parser.add_render_rule("fence", fence)
    body = parser.render(markdown)
    page = f"@page {{ size: {PAPERS[paper]}; }}"
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang.html)}">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>\n{page_footer(lang)}\n{css}\n{page}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def handover_css(templates_dirs: list[Path]) -> str:
    """The export's stylesheet: the first `export/handover.css` in the template tiers."""
    for tier in templates_dirs:
        path = tier / "export" / "handover.css"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def export_handover(project: Project, engagement: str, fmt: str, options: BuildOptions, paper: str = "a4",
                    chromium: str | None = None, progress: Callable[[str], None] = lambda line: None) -> bytes:
    """One engagement's handover document as Markdown, HTML or PDF bytes."""
    options = replace(options, engagement=engagement)
    made = render_site(project, "export", options)
    data = read_content(project, only={engagement}).content.engagements[engagement]
    lang = language(made.parts[engagement].language)
    markdown = assemble(data, made.site.consultancy.name, made.plan, made.files, made.parts[engagement].as_of, lang)
    if fmt == "md":
        return markdown.encode("utf-8")
    from .chromium import find_chromium, print_pdf, render_mermaid

    browser = find_chromium(chromium)
    sources = diagram_sources(markdown)
    mermaid = project.mermaid_js()
    if sources and mermaid is None:
        raise OpsdocsError("mermaid is needed to draw the diagrams, and node_modules/mermaid is missing",
                           "run 'npm install' in the project (package.json lists it)")
    progress(f"export: drawing {len(sources)} diagrams in Chromium")
    svgs = render_mermaid(browser, mermaid, sources) if sources else []
    document = to_html(markdown, data.title, handover_css(project.template_tiers(options.templates)), svgs, paper, lang)
    if fmt == "html":
        return document.encode("utf-8")
    progress("export: printing the PDF in Chromium")
    return print_pdf(browser, document)
