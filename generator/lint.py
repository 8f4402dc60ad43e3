"""Lint (`check --strict`): problems in valid content that a reader would still see. Pure functions."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from markdown_it import MarkdownIt
from pydantic import BaseModel

from .errors import Problem
from .load import Document
from .model import Content
from .model.types import MarkdownText
from .pages import plan_site

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ENCODINGS = ("cp1252", "latin-1", "mac_roman")


def find_mojibake(text: str) -> list[tuple[str, str]]:
    """Garbled runs and what they meant: UTF-8 that was read as Windows-1252, Latin-1 or Mac Roman."""
    found = []
    for run in _NON_ASCII_RUN.findall(text):
        for encoding in _ENCODINGS:
            try:
                meant = run.encode(encoding).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if meant != run:
                found.append((run, meant))
                break
    return found


def unbalanced_fence(markdown: str) -> bool:
    opened: str | None = None
    for line in markdown.split("\n"):
        match = _FENCE_LINE.match(line)
        if not match:
            continue
        marker = match.group(1)
        if opened is None:
            opened = marker
        elif marker[0] == opened[0] and len(marker) >= len(opened) and not line.strip()[len(marker):].strip():
            opened = None
    return opened is not None


def _values(model: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from _values(getattr(model, name), loc + (name,))
    elif isinstance(model, list):
        for i, item in enumerate(model):
            yield from _values(item, loc + (i,))
    elif isinstance(model, str):
        yield loc, model


def _links(markdown: str) -> list[str]:
    hrefs = []
    for token in MarkdownIt("commonmark").parse(markdown):
        for child in token.children or []:
            if child.type == "link_open":
                hrefs.append(str(child.attrs.get("href", "")))
    return hrefs


def lint_document(doc: Document, model: BaseModel, page_folder: str, pages: set[str]) -> Iterator[Problem]:
    for loc, value in _values(model):
        garbled = find_mojibake(value)
        if garbled:
            bad, meant = garbled[0]
            yield doc.error(loc, f"'{bad}' looks like garbled text (UTF-8 read with the wrong encoding)",
                            f"it probably should be '{meant}'; re-copy the text from its source")
        if not isinstance(value, MarkdownText):
            continue
        if unbalanced_fence(value):
            yield doc.error(loc, "a code fence (``` or ~~~) is opened here and never closed", "add the closing fence line")
        for href in _links(value):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href) or not href.split("#")[0].endswith(".md"):
                continue
            target = posixpath.normpath(posixpath.join(page_folder, href.split("#")[0]))
            if target not in pages:
                yield doc.error(loc, f"a link to a page that does not exist: {href}",
                                f"links are relative to {page_folder or 'the site root'}/; check the path")


def lint_content(content: Content) -> list[Problem]:
    pages = {page.path for page in plan_site(content).pages}
    found: list[Problem] = []
    for kind, doc, model in content.documents():
        if model is not None:
            found += lint_document(doc, model, kind.page_dir(""), pages)
    for eid, data in content.engagements.items():
        for kind, doc, model in data.documents():
            if model is not None:
                found += lint_document(doc, model, kind.page_dir(f"engagements/{eid}"), pages)
    return found
