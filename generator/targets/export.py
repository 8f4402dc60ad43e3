"""Targets: plain CommonMark pages, the parts the handover document (`opsdocs export`) is assembled from.

Not a target of `opsdocs build`: it has no output folder of its own.
"""

from __future__ import annotations

import jinja2

from ..escape import HTML_INLINE, HTML_TEXT, Escaper, table_code_pipes
from ..model.site import Site
from ..pages import Page, Plan, RenderContext
from ..project import BuildOptions
from . import Engine, register, render_pages, write_front_matter


def render(plan: Plan, env: jinja2.Environment, context: RenderContext, options: BuildOptions, site: Site) -> dict[str, bytes]:
    def head(page: Page) -> str:
        return write_front_matter([("title", page.title)])

    # The handover is read by markdown-it, whose tables split at pipes inside code spans too (as GFM's do).
    return {path: table_code_pipes(data.decode("utf-8")).encode("utf-8") for path, data in render_pages(plan, env, head, context).items()}


def callout(kind: str, title: str, body: str) -> str:
    """A callout as a block quote with a bold title: CommonMark has no admonitions."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.split("\n"))
    return f"> **{title}**\n>\n{quoted}"


ENGINE = register(Engine(
    name="export",
    escaper=Escaper(text_map=HTML_TEXT, inline_map=HTML_INLINE),
    render=render,
    callout=callout,
    help="the handover document's pages (opsdocs export)",
))
