"""Model: validate the loaded documents into typed, frozen models, collecting every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import Problem, did_you_mean
from ..load import HandFile, RawContent, RawEngagement
from ..monitoring import Monitoring, SourceSlo, read_monitoring
from ..parse import Document
from .engagement import Engagement, Slo
from .handwritten import HandPage, read_pages
from .incident import Incident
from .kinds import KIND, DocKey, Kind, kinds_in
from .runbook import Runbook
from .site import Phase, Pricing, Site

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class EngagementData:
    """One engagement folder: the engagement and its runbooks and post-mortems, by id."""

    id: str
    engagement: Engagement
    runbooks: dict[str, Runbook]
    incidents: dict[str, Incident]
    sources: dict[DocKey, Document] = field(default_factory=dict, repr=False, compare=False)
    unreadable: frozenset[DocKey] = field(default=frozenset(), repr=False, compare=False)  # their own errors said it
    monitoring: Monitoring = field(default_factory=Monitoring)  # what the client's monitoring files say
    extra: dict[str, Any] = field(default_factory=dict, repr=False)  # the documents of registered kinds, by their attr

    def __getattr__(self, name: str) -> Any:
        return _extra(self, name)

    @property
    def slos(self) -> list[Slo]:
        """Every SLO: those written in engagement.yaml, then those of the client's SLO files."""
        return list(self.engagement.operate.monitor.slos) + [imported_slo(s) for s in self.monitoring.slos]

    def documents(self) -> list[tuple[Kind, Document, BaseModel | None]]:
        """Each file of the engagement with its kind and model (None where the file did not validate)."""
        return documents_of(self, self.sources)

    @property
    def title(self) -> str:
        e = self.engagement
        return e.title or f"{e.client.name} — {e.system.name}"


@dataclass(frozen=True)
class Content:
    """The whole content tree, validated."""

    site: Site
    phases: dict[str, Phase]
    pricing: Pricing | None
    pages: dict[str, HandPage]  # hand-written pages (handbook/pages/**/*.md), by path in the docs tree
    assets: dict[str, HandFile]  # the other files under handbook/pages/: images, stylesheets, scripts
    engagements: dict[str, EngagementData]
    sources: dict[DocKey, Document] = field(default_factory=dict, repr=False, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)  # the documents of registered kinds, by their attr

    def __getattr__(self, name: str) -> Any:
        return _extra(self, name)

    def documents(self) -> list[tuple[Kind, Document, BaseModel | None]]:
        """Each file of the handbook (site.yaml too) with its kind and model."""
        return documents_of(self, self.sources)


def _extra(owner: object, name: str) -> Any:
    """A registered kind's documents, read like a built-in kind's attribute (`data.changes`)."""
    extra = owner.__dict__.get("extra")
    if extra is not None and name in extra:
        return extra[name]
    raise AttributeError(f"{type(owner).__name__} has no attribute '{name}'")


def with_extra(cls: type, **values: Any) -> Any:
    """`cls(**values)`, the attributes it does not declare (registered kinds') kept in its `extra`."""
    own = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in values.items() if k in own}, extra={k: v for k, v in values.items() if k not in own})


def updated(owner: Any, **values: Any) -> Any:
    """`dataclasses.replace` for Content and EngagementData: registered kinds' attributes go to `extra`."""
    own = {f.name for f in fields(owner)}
    extra = {k: v for k, v in values.items() if k not in own}
    return replace(owner, **{k: v for k, v in values.items() if k in own}, **({"extra": {**owner.extra, **extra}} if extra else {}))


def documents_of(owner: object, sources: dict[DocKey, Document]) -> list[tuple[Kind, Document, BaseModel | None]]:
    result = []
    for (name, ident), doc in sources.items():
        kind = KIND[name]
        held = getattr(owner, kind.attr)
        result.append((kind, doc, held.get(ident) if kind.many else held))
    return result


def models_of(owner: object, kind: Kind) -> dict[str, BaseModel]:
    """The valid documents of one kind, by id ("" for a kind with one file)."""
    held = getattr(owner, kind.attr)
    if kind.many:
        return held
    return {"": held} if held is not None else {}


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
    from .checks import check_documents

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


def imported_slo(slo: SourceSlo) -> Slo:
    """An SLO of the client's files as the engagement's own SLOs are: budgets and incidents work alike."""
    described = slo.description or (f"{slo.spec} SLO of {slo.service}" if slo.service else f"{slo.spec} SLO")
    return Slo.model_construct(id=slo.id, name=slo.name, sli=described, objective=slo.objective, window=slo.window,
                               visibility="client")


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
