"""Targets: one module per engine, each turning the page plan into files (path → bytes)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import jinja2

from ..errors import OpsdocsError
from ..pages import Page, Plan
from ..escape import yaml_scalar
from ..render import template_error


@dataclass
class Rendered:
    """What a target made: the files of its docs tree and what its engine needs to build them."""

    files: dict[str, bytes]
    nav: list[Any] = field(default_factory=list)


class Target(Protocol):
    name: str
    default_out: str

    def render(self, plan: Plan, env: jinja2.Environment, assets: dict[str, bytes]) -> Rendered: ...


def front_matter(fields: Iterable[tuple[str, Any]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if value is None or value == () or value == []:
            continue
        if isinstance(value, (list, tuple)):
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def render_pages(plan: Plan, env: jinja2.Environment, head: Callable[[Page], str], globals_: dict[str, Any]) -> dict[str, bytes]:
    """Render every page; the first template error stops the build, located in its template."""
    files: dict[str, bytes] = {}
    for page in plan.pages:
        try:
            template = env.get_template(page.template)
            body = template.render({**globals_, **page.context, "page": page})
        except (jinja2.TemplateError, TypeError) as exc:  # a broken template (often an override), not bad data
            raise template_error(exc, str) from None
        text = head(page) + "\n" + body.strip("\n") + "\n"
        if page.path in files:
            raise OpsdocsError(page.path, 0, 0, "two pages would be written to the same path")
        files[page.path] = text.encode("utf-8")
    return files


def asset_files(tiers: list[Path], engine: str) -> dict[str, bytes]:
    """Static files shipped beside the templates (`<tier>/<engine>/assets/`), overridable like them."""
    files: dict[str, bytes] = {}
    for tier in reversed(tiers):  # later tiers first, so earlier ones override
        base = tier / engine / "assets"
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    files[path.relative_to(base).as_posix()] = path.read_bytes()
    return files


def get_target(name: str) -> Target:
    if name == "mkdocs":
        from .mkdocs import MkDocsTarget

        return MkDocsTarget()
    if name == "docusaurus":
        from .docusaurus import DocusaurusTarget

        return DocusaurusTarget()
    if name == "export":
        from .export import ExportTarget

        return ExportTarget()
    raise OpsdocsError("--target", 0, 0, f"unknown target '{name}'", "use mkdocs, docusaurus or all")
