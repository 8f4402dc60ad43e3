"""Render: where templates come from (tiers of folders, first match wins) and how a template's error is reported.

Below both the page renderer (render.py), the engines (targets/) and the skeletons (scaffold.py), which all load
templates the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from .errors import ContentErrors

DEFAULT_PREFIX = "!default/"


class TieredLoader(jinja2.BaseLoader):
    """Templates by name from tiers, first match wins; within a tier, `folders` in order
    (for pages `<engine>/` before `common/`, for skeletons `scaffold/`).

    A name starting with `!default/` skips every tier but the last (the shipped
    defaults), so an override can `{% extends "!default/phase.md.j2" %}`.
    """

    def __init__(self, tiers: list[Path], folders: tuple[str, ...], display: Callable[[Path], str]):
        unique: list[Path] = []
        for tier in tiers:
            if tier.is_dir() and tier.resolve() not in unique:
                unique.append(tier.resolve())
        self.tiers = unique
        self.folders = folders
        self.display = display

    def locate(self, name: str) -> Path | None:
        tiers = self.tiers
        if name.startswith(DEFAULT_PREFIX):
            name, tiers = name[len(DEFAULT_PREFIX):], self.tiers[-1:]
        if ".." in Path(name).parts:
            return None
        for tier in tiers:
            for sub in self.folders:
                path = tier / sub / name
                if path.is_file():
                    return path
        return None

    def origin(self, name: str) -> tuple[int, Path] | None:
        """Which tier (index) and file a template name resolves to."""
        path = self.locate(name)
        if path is None:
            return None
        return next(i for i, tier in enumerate(self.tiers) if tier in path.parents), path

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.locate(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        mtime = path.stat().st_mtime_ns
        return path.read_text(encoding="utf-8"), self.display(path), lambda: path.stat().st_mtime_ns == mtime

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for tier in self.tiers:
            for sub in self.folders:
                base = tier / sub
                if base.is_dir():
                    names.update(p.relative_to(base).as_posix() for p in base.rglob("*.j2"))
        return sorted(names)


def template_error(exc: Exception) -> ContentErrors:
    """A Jinja error as `templates/...:line: message`."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ContentErrors.at(exc.filename or exc.name or "<template>", exc.lineno or 0, 0, f"template syntax error: {exc.message}")
    filename, line = "templates", 0
    tb = exc.__traceback__
    while tb is not None:  # Jinja maps template frames to the template's file and line
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateNotFound):
        return ContentErrors.at(filename, line, 0, f"template not found: {exc.name}", "check the name in {% extends %} or {% include %}")
    if isinstance(exc, jinja2.UndefinedError):
        return ContentErrors.at(filename, line, 0, f"undefined name in template: {exc.message}", "check the spelling against the data the page receives")
    return ContentErrors.at(filename, line, 0, f"template error: {exc}")


def environment(tiers: list[Path], folders: tuple[str, ...], display: Callable[[Path], str], finalize: Callable,
                extensions: tuple = (), cache: Path | None = None) -> jinja2.Environment:
    """The Jinja environment of pages and skeletons alike: templates from the tiers, an undefined name an error,
    the templates' own line breaks kept, and every value printed through `finalize` (never evaluated)."""
    return jinja2.Environment(
        loader=TieredLoader(tiers, folders, display),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=list(extensions),
        bytecode_cache=_bytecode_cache(cache),
    )


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in `folder` (keyed by template and checked against its source); none where the
    folder cannot be made, as in a read-only project."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))
