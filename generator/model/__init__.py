"""Model: validate the loaded documents into typed, frozen models, collecting every problem.

What the validated content is (`Content`, `EngagementData`) is in `content.py`, re-exported here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem, did_you_mean
from ..load import RawContent, RawEngagement
from ..monitoring import read_monitoring
from ..parse import Document
from .checks import check_documents
from .content import Content, EngagementData, documents_of, imported_slo, models_of, updated, with_extra
from .handwritten import read_pages
from .kinds import KIND, DocKey, Kind, kinds_in

__all__ = ["Content", "EngagementData", "documents_of", "imported_slo", "models_of", "updated", "with_extra"]

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: Document, model: type[M], errors: list[Problem]) -> M | None:
    """One document against its model; each pydantic error becomes a Problem at its line."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        found = exc.errors(include_url=False)
        # A misspelt key is reported once, as unknown with its suggestion, not also as missing.
        suggested = {
            (tuple(e["loc"][:-1]), hint)
            for e in found
            if e["type"] == "extra_forbidden"
            for hint in [did_you_mean(str(e["loc"][-1]), _fields_at(model, tuple(e["loc"][:-1])))]
            if hint and hint.startswith("did you mean")
        }
        for e in found:
            loc = tuple(e["loc"])
            if e["type"] == "missing" and (loc[:-1], f"did you mean '{loc[-1]}'?") in suggested:
                continue
            errors.append(_convert(doc, model, e))
        return None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys a model accepts at `loc`, for 'did you mean'."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = inner_model(info.annotation)
    return list(getattr(current, "model_fields", {}))


def inner_model(annotation: Any) -> Any:
    """The model class inside an annotation (`list[Step]`, `Tool | None`), or None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def _convert(doc: Document, model: type[BaseModel], error: Any) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    given = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = did_you_mean(key, _fields_at(model, loc[:-1]))
        if " " in key.strip() or key.endswith(")"):
            hint = "inside {...} a ',' ends a value: put the value that contains the comma in quotes"
        return doc.error(loc, f"unknown key '{key}'", hint, key=True)
    if kind == "missing":
        parent = loc[:-1]
        where = f" in '{parent[-1]}'" if parent and isinstance(parent[-1], str) else ""
        return doc.error(parent, f"missing required key '{loc[-1]}'{where}", f"add '{loc[-1]}: ...'")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        hint = did_you_mean(str(given), [s.strip().strip("'") for s in expected.replace(" or ", ",").split(",")])
        return doc.error(loc, f"'{given}' is not allowed for '{name}': expected {expected}", hint)
    if kind == "too_short":
        return doc.error(loc, f"'{name}' needs at least one item", f"add an item under '{name}'")
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    hint = _scalar_hint(given, message)
    if isinstance(given, str) and given and not message.startswith("'"):
        message = f"{message[0].lower()}{message[1:]} (got '{_short(given)}')"
    return doc.error(loc, f"invalid value for '{name}': {message}", hint)


def _short(text: str, limit: int = 60) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _scalar_hint(given: Any, message: str) -> str | None:
    if isinstance(given, dict):
        return 'a plain value containing ": " becomes a mapping; put the whole value in quotes'
    if isinstance(given, list) and "expected text" in message:
        return "a value starting with '[' or '- ' is a list; put it in quotes if you meant text"
    if given is None:
        return "the value is empty; write it after the ':' or remove the key"
    lowered = message.lower()
    if "not a date" in lowered or re.search(r"valid date\b", lowered):
        return "write dates as YYYY-MM-DD, e.g. 2026-03-14"
    if "valid datetime" in lowered or "timezone info" in lowered:
        return "write a full datetime with an offset, e.g. 2026-03-14T09:12:00+01:00"
    return None


def _validate_all(documents: dict[DocKey, Document], kinds: tuple[Kind, ...], errors: list[Problem]) -> dict[str, Any]:
    """The models of `kinds`, as keyword arguments for Content or EngagementData; invalid documents left out."""
    fields: dict[str, Any] = {kind.attr: {} if kind.many else None for kind in kinds}
    for (name, ident), doc in documents.items():
        kind = KIND[name]
        model = validate_document(doc, kind.model, errors)
        if model is None:
            continue
        if kind.many:
            fields[kind.attr][ident] = model
        else:
            fields[kind.attr] = model
    return fields


def validate_engagement(raw: RawEngagement) -> tuple[EngagementData | None, list[Problem]]:
    """One engagement folder: each document against its model, then the rules across its files."""
    errors: list[Problem] = []
    fields = _validate_all(raw.documents, kinds_in("engagement"), errors)
    if fields["engagement"] is None:
        return None, errors
    data = with_extra(EngagementData, id=raw.id, sources=dict(raw.documents), unreadable=raw.unreadable, **fields)
    monitor = data.engagement.operate.monitor
    if monitor.sources is not None and raw.folder is not None:
        display = _display(raw.display_root or raw.folder)
        severities = [s.id for s in data.engagement.operate.fix.severity_levels]
        monitoring, problems = read_monitoring(raw.folder, monitor.sources, raw.documents[("engagement", "")], severities, display)
        errors.extend(problems)
        data = replace(data, monitoring=monitoring)
    errors.extend(check_documents(data))
    return data, errors


def _display(root: Path):
    def rel(path: Path) -> str:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()

    return rel


def validate_content(raw: RawContent) -> tuple[Content | None, list[Problem]]:
    """Validate every loaded document and the references between them."""
    errors: list[Problem] = []
    fields = _validate_all(raw.documents, kinds_in("site"), errors)
    engagements: dict[str, EngagementData] = {}
    for eid, rawe in raw.engagements.items():
        data, problems = validate_engagement(rawe)
        errors.extend(problems)
        if data is not None:
            engagements[eid] = data
    pages, problems = read_pages(raw.handwritten)
    errors.extend(problems)
    assets = {path: file for path, file in raw.handwritten.items() if not file.is_page}
    if fields["site"] is None:
        return None, errors
    return with_extra(Content, pages=pages, assets=assets, engagements=engagements, sources=dict(raw.documents), **fields), errors
