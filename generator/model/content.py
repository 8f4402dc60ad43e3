"""Model: the validated content as the later stages see it: the whole tree (`Content`) and each engagement
(`EngagementData`), with the documents of every kind, registered ones included."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from pydantic import BaseModel

from ..load import HandFile
from ..monitoring import Monitoring, SourceSlo
from ..parse import Document
from .engagement import Engagement, Slo
from .handwritten import HandPage
from .incident import Incident
from .kinds import KIND, DocKey, Kind
from .runbook import Runbook
from .site import Phase, Pricing, Site


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


def imported_slo(slo: SourceSlo) -> Slo:
    """An SLO of the client's files as the engagement's own SLOs are: budgets and incidents work alike."""
    described = slo.description or (f"{slo.spec} SLO of {slo.service}" if slo.service else f"{slo.spec} SLO")
    return Slo.model_construct(id=slo.id, name=slo.name, sli=described, objective=slo.objective, window=slo.window,
                               visibility="client")
