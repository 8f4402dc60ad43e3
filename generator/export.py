"""Export: one handover document per engagement, as CommonMark, self-contained HTML, or PDF."""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt

from .escape import COMMONMARK
from .model import Content
from .pages import Page, plan_site

FORMATS = ("md", "html", "pdf")
PAPERS = {"a4": "A4", "letter": "letter"}
_LINK = re.compile(r"\]\(([^)\s]+?\.md)(#[^)\s]*)?\)")
_FENCE = re.compile(r"^```mermaid\n(.*?)\n```$", re.M | re.S)


@dataclass(frozen=True)
class Section:
    page: Page
    anchor: str
    level: int  # 1 for the engagement's own pages, 2 for each runbook and post-mortem

    @property
    def title(self) -> str:
        # The overview page is headed with the engagement's title, which is the document's title here.
        return "Overview" if self.anchor == "overview" else self.page.title


def sections_of(content: Content, engagement_id: str) -> list[Section]:
    """The handover's parts in reading order: overview, operate, runbooks, post-mortems, terms."""
    base = f"engagements/{engagement_id}/"
    sections = []
    for page in plan_site(content).pages:
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


def assemble(content: Content, engagement_id: str, pages: dict[str, bytes], as_of: date) -> str:
    """The handover as one CommonMark document: title page, contents, then every part in order."""
    data = content.engagements[engagement_id]
    e = data.engagement
    sections = sections_of(content, engagement_id)
    anchors = {s.page.path: s.anchor for s in sections}
    text = COMMONMARK.text
    provider = e.provider.name or content.site.consultancy.name
    period = f"{e.period.start.isoformat()} – {e.period.end.isoformat() if e.period.end else 'open-ended'}"
    out = [
        f"# {text(data.title)}",
        "",
        '<div class="title-page">',
        "",
        "Operations handover",
        "",
        "| | |",
        "| --- | --- |",
        f"| Client | {text(e.client.name)} |",
        f"| System | {text(e.system.name)} |",
        f"| Provider | {text(provider)} |",
        f"| Period | {period} |",
        f"| As of | {as_of.isoformat()} |",
        "",
        "</div>",
        "",
        "## Contents",
        "",
    ]
    number = 0
    for s in sections:
        if s.level == 1:
            number += 1
            out.append(f"{number}. [{text(s.title)}](#{s.anchor})")
        else:
            out.append(f"    - [{text(s.title)}](#{s.anchor})")
    for s in sections:
        body = _strip_front_matter(pages[s.page.path].decode("utf-8")).strip("\n")
        body = _rewrite_links(body, s.page.path, anchors)
        if s.anchor == "overview":
            body = re.sub(r"\A# .*", "# Overview", body)
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


def to_html(markdown: str, title: str, css: str, svgs: list[str], paper: str) -> str:
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
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>\n{css}\n{page}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def handover_css(templates_dirs: list[Path]) -> str:
    """The export's stylesheet: the first `export/handover.css` in the template tiers."""
    for tier in templates_dirs:
        path = tier / "export" / "handover.css"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""
