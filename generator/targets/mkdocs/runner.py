"""MkDocs: the real MkDocs build, with the user's mkdocs.yml and what opsdocs' pages need."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...cache import digest_tree
from ...errors import OpsdocsError
from ...model.site import Site
from ...pages import Plan
from ...project import Project
from ..htmlcheck import check_assets
from .nav import nav_of, relocate_plan
from .settings import config_files, for_build, read_settings


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_html(project: Project, docs_dir: Path, site_dir: Path, plan: Plan, site: Site, progress: Callable[[str], None]) -> None:
    """Run the real MkDocs build with the user's mkdocs.yml and what opsdocs' pages need; any warning fails it."""
    settings = user_settings(project)
    overrides, added = for_build(settings, nav_of(relocate_plan(plan)), site.site.title, site.site.url, plan.language)
    if added:
        progress(f"mkdocs: added for this build what opsdocs' pages need and {settings.path.name} does not set: {', '.join(added)}")
    if settings.theme != "material":
        progress(f"mkdocs: warning: opsdocs' pages are made for the Material theme; with '{settings.theme}' admonitions and "
                 "tables take that theme's plain style, and diagrams are drawn only if the theme runs mermaid")
    run_mkdocs(settings.path, docs_dir, site_dir, overrides)
    check_assets(site_dir)


def user_settings(project: Project):
    """The project's mkdocs.yml, read as MkDocs reads it; an error if there is none."""
    if not project.mkdocs_config.is_file():
        raise OpsdocsError(f"{project.rel(project.mkdocs_config)} is missing", "run 'opsdocs init' to get one, or pass --no-html")
    return read_settings(project.mkdocs_config)


def run_mkdocs(config_file: Path, docs_dir: Path, site_dir: Path, overrides: dict[str, Any]) -> None:
    """One MkDocs build of `docs_dir` into `site_dir` with the user's config and `overrides`; a warning fails it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # the end-of-life banner is not ours to print
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), **overrides)
        build(config)
    except ConfigurationError as exc:
        raise OpsdocsError(f"{config_file.name}: MkDocs configuration error: {exc}") from None
    except Abort as exc:
        details = "; ".join(collect.messages) or str(exc)
        raise OpsdocsError(f"{config_file.name}: MkDocs build failed: {details}") from None
    finally:
        logger.removeHandler(collect)


def locate(project: Project) -> tuple[Path, Path]:
    """docs_dir and site_dir as mkdocs.yml sets them (docs/ and site/ without one)."""
    settings = read_settings(project.mkdocs_config)
    return settings.docs_dir(), settings.site_dir()


def memo_key(project: Project) -> tuple:
    """mkdocs.yml (and what it INHERITs), MkDocs' and Material's versions: a site is kept only if all are the same."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(package: str) -> str | None:
        try:
            return version(package)
        except PackageNotFoundError:
            return None

    return digest_tree(config_files(project.mkdocs_config)), installed("mkdocs"), installed("mkdocs-material")
