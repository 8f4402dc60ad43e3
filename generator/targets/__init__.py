"""Targets: one module per engine, each turning the page plan into files (path → bytes)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2

from ..errors import OpsdocsError
from ..escape import yaml_scalar
from ..pages import Page, Plan
from ..render import template_error


@dataclass
class Rendered:
    """What a target made: the files of its docs tree (pages, folder files, assets)."""

    files: dict[str, bytes]


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


# Rendering is the bulk of a build; above this many pages it is shared among processes.
PARALLEL_PAGES = 400
_job: tuple | None = None  # what forked workers render from (inherited, never pickled)


def _render_one(env: jinja2.Environment, head: Callable[[Page], str], page: Page) -> bytes:
    try:
        body = env.get_template(page.template).render({**page.context, "page": page})
    except (jinja2.TemplateError, TypeError) as exc:  # a broken template (often an override), not bad data
        raise template_error(exc, str) from None
    return (head(page) + "\n" + body.strip("\n") + "\n").encode("utf-8")


def _render_share(share: tuple[int, int]) -> list[tuple[str, bytes]] | tuple:
    env, head, pages = _job  # type: ignore[misc]
    start, step = share
    try:
        return [(pages[i].path, _render_one(env, head, pages[i])) for i in range(start, len(pages), step)]
    except OpsdocsError as exc:  # sent back as its fields: the error is re-raised in the parent
        return (exc.path, exc.line, exc.column, exc.message, exc.hint)


def render_pages(plan: Plan, env: jinja2.Environment, head: Callable[[Page], str]) -> dict[str, bytes]:
    """Render every page; the first template error stops the build, located in its template.

    Large sites are rendered by forked worker processes (one per core), which
    inherit the loaded content instead of receiving it: only pages come back.
    """
    global _job
    paths = [page.path for page in plan.pages]
    if len(set(paths)) != len(paths):
        twice = next(p for p in paths if paths.count(p) > 1)
        raise OpsdocsError(twice, 0, 0, "two pages would be written to the same path")
    workers = min(os.cpu_count() or 1, 4)
    if len(plan.pages) < PARALLEL_PAGES or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return {page.path: _render_one(env, head, page) for page in plan.pages}
    _job = (env, head, plan.pages)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            shares = pool.map(_render_share, [(n, workers) for n in range(workers)])
    finally:
        _job = None
    rendered: dict[str, bytes] = {}
    for share in shares:
        if isinstance(share, tuple):
            raise OpsdocsError(*share)
        rendered.update(share)
    return {path: rendered[path] for path in paths}


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
