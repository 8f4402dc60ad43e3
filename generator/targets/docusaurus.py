"""Targets: Docusaurus 3. A docs tree with front matter and `_category_.json` per folder."""

from __future__ import annotations

import json
from typing import Any

import jinja2

from ..escape import MARKDOWN_TEXT, Escaper
from ..pages import Page, Plan
from . import Engine, front_matter, register, render_pages


def render(plan: Plan, env: jinja2.Environment, context: dict[str, Any]) -> dict[str, bytes]:
    def head(page: Page) -> str:
        return front_matter(
            [
                ("sidebar_position", page.position),
                ("title", guard_script(page.title)),
                ("description", page.description and guard_script(page.description)),
                ("slug", "/" if page.path == "index.md" else None),
                ("tags", [guard_script(tag) for tag in page.tags]),
            ]
        )

    files = render_pages(plan, env, head, context)
    for path in sorted(plan.folders):
        folder = plan.folders[path]
        category = {"label": folder.label, "position": folder.position}
        files[f"{path}/_category_.json"] = (json.dumps(category, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def callout(kind: str, title: str, body: str) -> str:
    """Docusaurus' admonition: `:::kind[title]`."""
    return f":::{kind}[{title}]\n\n{body}\n\n:::"


def guard_script(text: str) -> str:
    """Keep a front matter value from closing a <script> element.

    Docusaurus 3.10 writes page titles unescaped into the JSON-LD breadcrumb
    script of every page, so a title containing `</script><script>...` would
    run as code. An invisible word joiner after each `<` breaks every tag the
    HTML parser could see there, while the title still reads as written.
    """
    return text.replace("<", "<\u2060")


ENGINE = register(Engine(
    name="docusaurus",
    # MDX reads `<` and `{` as JSX and JavaScript, `~` as strikethrough, `&` as an entity.
    escaper=Escaper(
        text_map={**MARKDOWN_TEXT, **{c: "\\" + c for c in "<>{}~&"}},
        inline_map={"<": "\\<", "{": "\\{", "}": "\\}"},
        mdx=True,
    ),
    render=render,
    callout=callout,
    default_out="docusaurus/docs",
    help="a docs tree for a Docusaurus 3 site",
))
