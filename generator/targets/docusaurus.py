"""Targets: Docusaurus 3. A docs tree with front matter and `_category_.json` per folder."""

from __future__ import annotations

import json

import jinja2

from ..pages import Page, Plan
from . import Rendered, front_matter, render_pages


class DocusaurusTarget:
    name = "docusaurus"
    default_out = "docusaurus/docs"

    def render(self, plan: Plan, env: jinja2.Environment, assets: dict[str, bytes]) -> Rendered:
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

        files = render_pages(plan, env, head)
        for path in sorted(plan.folders):
            folder = plan.folders[path]
            category = {"label": folder.label, "position": folder.position}
            files[f"{path}/_category_.json"] = (json.dumps(category, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        for rel, data in assets.items():
            files.setdefault(rel, data)
        return Rendered(files)


def guard_script(text: str) -> str:
    """Keep a front matter value from closing a <script> element.

    Docusaurus 3.10 writes page titles unescaped into the JSON-LD breadcrumb
    script of every page, so a title containing `</script><script>...` would
    run as code. An invisible word joiner after each `<` breaks every tag the
    HTML parser could see there, while the title still reads as written.
    """
    return text.replace("<", "<\u2060")
