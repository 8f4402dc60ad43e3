"""Targets: plain CommonMark pages, the parts the handover document is assembled from."""

from __future__ import annotations

import jinja2

from ..pages import Page, Plan
from . import Rendered, front_matter, render_pages


class ExportTarget:
    name = "export"
    default_out = "handover"

    def render(self, plan: Plan, env: jinja2.Environment, assets: dict[str, bytes]) -> Rendered:
        def head(page: Page) -> str:
            return front_matter([("title", page.title)])

        return Rendered(render_pages(plan, env, head))
