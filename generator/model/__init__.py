"""Model: validate the loaded documents into typed, frozen models, collecting every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import OpsdocsError, did_you_mean
from ..load import Document, RawContent
from .engagement import Engagement
from .incident import Incident
from .runbook import Runbook
from .site import Phase, Pricing, Site

M = TypeVar("M", bound=BaseModel)

# The document kinds that have a JSON Schema for editors, by schema file name.
DOCUMENT_MODELS: dict[str, type[BaseModel]] = {
    "engagement": Engagement,
    "runbook": Runbook,
    "incident": Incident,
    "site": Site,
    "phase": Phase,
    "pricing": Pricing,
}


@dataclass(frozen=True)
class EngagementData:
    """One engagement folder: the engagement and its runbooks and post-mortems, by id."""

    id: str
    engagement: Engagement
    runbooks: dict[str, Runbook]
    incidents: dict[str, Incident]
    sources: dict[str, Document] = field(default_factory=dict, repr=False, compare=False)

    def documents(self) -> list[tuple[Document, BaseModel | None]]:
        """Each file of the engagement with its model (None where the file did not validate)."""
        models = {"engagement": {"": self.engagement}, "runbook": self.runbooks, "incident": self.incidents}
        result = []
        for key, doc in self.sources.items():
            kind, _, ident = key.partition(":")
            result.append((doc, models[kind].get(ident)))
        return result

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
    pages: dict[str, str]
    engagements: dict[str, EngagementData]
    sources: dict[str, Document] = field(default_factory=dict, repr=False, compare=False)


def validate_document(doc: Document, model: type[M], errors: list[OpsdocsError]) -> M | None:
    """One document against its model; each pydantic error becomes an OpsdocsError at its line."""
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


def _convert(doc: Document, model: type[BaseModel], error: Any) -> OpsdocsError:
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
    if "datetime" in message.lower() or "timezone" in message.lower():
        return "write a full datetime with an offset, e.g. 2026-03-14T09:12:00+01:00"
    if "valid date" in message.lower():
        return "write dates as YYYY-MM-DD, e.g. 2026-03-14"
    return None


def validate_content(raw: RawContent) -> tuple[Content | None, list[OpsdocsError]]:
    """Validate every loaded document and the references between them."""
    from .checks import check_content

    errors: list[OpsdocsError] = []
    site = validate_document(raw.site, Site, errors) if raw.site else None
    phases = {pid: m for pid, d in raw.phases.items() if (m := validate_document(d, Phase, errors))}
    pricing = validate_document(raw.pricing, Pricing, errors) if raw.pricing else None
    engagements: dict[str, EngagementData] = {}
    for eid, rawe in raw.engagements.items():
        engagement = validate_document(rawe.engagement, Engagement, errors) if rawe.engagement else None
        runbooks = {rid: m for rid, d in rawe.runbooks.items() if (m := validate_document(d, Runbook, errors))}
        incidents = {iid: m for iid, d in rawe.incidents.items() if (m := validate_document(d, Incident, errors))}
        if engagement is None:
            continue
        sources = {"engagement": rawe.engagement}
        sources.update({f"runbook:{k}": v for k, v in rawe.runbooks.items()})
        sources.update({f"incident:{k}": v for k, v in rawe.incidents.items()})
        engagements[eid] = EngagementData(eid, engagement, runbooks, incidents, sources)
    if site is None:
        return None, errors
    sources = {"site": raw.site} if raw.site else {}
    sources.update({f"phase:{k}": v for k, v in raw.phases.items()})
    if raw.pricing:
        sources["pricing"] = raw.pricing
    content = Content(site, phases, pricing, dict(raw.pages), engagements, sources)
    errors.extend(check_content(content))
    return content, errors
