"""Targets: MkDocs Material. Markdown pages plus the nav, then the real MkDocs build.

The engine is this package: `settings` (the user's mkdocs.yml, merged with what the pages need), `nav` (the
navigation and the tree's layout), `runner` (the MkDocs build), `split` (one site per engagement); this module
renders the pages and registers the engine. Each imports only the ones before it.
"""

from __future__ import annotations

import html

import jinja2

from ...escape import HTML_INLINE, HTML_TEXT, Escaper
from ...model.site import Site
from ...pages import Page, Plan, RenderContext
from ...project import BuildOptions, Project
from .. import Engine, register, render_pages, write_front_matter
from .nav import relink, relocate
from .runner import build_html, locate, memo_key
from .split import build_split


def render(plan: Plan, env: jinja2.Environment, context: RenderContext, options: BuildOptions, site: Site) -> dict[str, bytes]:
    def head(page: Page) -> str:
        # MkDocs and Material put these into HTML unescaped (nav, <title>, <meta>).
        return write_front_matter([("title", html.escape(page.title)), ("description", page.description and html.escape(page.description))])

    files = {}
    for old, data in render_pages(plan, env, head, context).items():
        new = relocate(old)
        text = data.decode("utf-8")
        fixed = relink(text, old, new) if "templates/" in text or new != old else text
        files[new] = fixed.encode("utf-8")
    return files


def callout(kind: str, title: str, body: str) -> str:
    """Material's admonition: `!!! kind "title"` and the body indented."""
    indented = "\n".join(f"    {line}" if line else "" for line in body.split("\n"))
    label = title.replace('"', "&quot;")
    return f'!!! {kind} "{label}"\n\n{indented}'


def folded(title: str, body: str) -> str:
    """Material's collapsible admonition (pymdownx.details): `??? note "title"`, closed until clicked."""
    return callout("note", title, body).replace("!!!", "???", 1)


def mermaid_asset(project: Project) -> dict[str, bytes]:
    """mermaid from the npm package, served from the site itself: diagrams are drawn offline."""
    mermaid = project.mermaid_js()
    return {"javascripts/mermaid.min.js": mermaid.read_bytes()} if mermaid else {}


ENGINE = register(Engine(
    name="mkdocs",
    escaper=Escaper(text_map=HTML_TEXT, inline_map=HTML_INLINE, python_markdown=True),
    render=render,
    callout=callout,
    folded=folded,
    default_out="docs",
    help="a MkDocs Material site: Markdown in docs/, HTML in site/",
    assets=mermaid_asset,
    html=build_html,
    locate=locate,
    split_html=build_split,
    memo_key=memo_key,
))
