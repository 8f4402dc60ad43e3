"""Model: the document kinds. One table says where each kind's files are, which model reads them, and where its pages go.

Loading, validation, audience filtering, pages, lint, schema and scaffolding all
loop over `KINDS`; a new kind of document is one more row here, its model, and
its templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..i18n import N_
from .engagement import Engagement
from .incident import Incident
from .runbook import Runbook
from .site import Phase, Pricing, Site

# A document is named by its kind and its id (the file's stem; "" for a kind with one file).
DocKey = tuple[str, str]


@dataclass(frozen=True)
class Kind:
    """One kind of content document."""

    name: str  # also the name of its JSON Schema file
    model: type[BaseModel]
    scope: str  # "site": under content/; "engagement": under engagements/<id>/
    source: str  # one file ("engagement.yaml"), or a folder with one file per document ("runbooks/")
    attr: str  # the attribute of Content or EngagementData that holds the models
    page_folder: str | None = None  # where its pages go, below the scope's page folder
    page_template: str | None = None  # one page per document (for a folder kind)
    index_template: str | None = None  # the folder's index page
    label: str = ""  # the folder's label in the navigation
    position: int = 0  # the folder's place in its parent's navigation
    id_var: str = "id"  # the name a page template knows the document's id by
    order: Callable[[str, Any], Any] | None = None  # sort key of (id, model) for the pages; None: by id
    reverse: bool = False  # pages in descending order of `order` (post-mortems: newest first)
    tags: Callable[[Any], tuple[str, ...]] = lambda model: ()
    scaffold: str | None = None  # the skeleton `opsdocs new` writes
    missing_hint: str | None = None  # a kind with one file: set if the file is required ("{id}": the engagement)

    @property
    def many(self) -> bool:
        return self.source.endswith("/")

    def page_dir(self, base: str) -> str:
        """The folder of this kind's pages, below `base` (the scope's page folder, "" for the site root)."""
        return "/".join(part for part in (base, self.page_folder or "") if part)

    def source_rel(self, ident: str = "") -> str:
        """The file of one document, relative to its scope's folder."""
        return f"{self.source}{ident}.yaml" if self.many else self.source


KINDS: tuple[Kind, ...] = (
    Kind("site", Site, "site", "site.yaml", "site", page_folder="",
         missing_hint="every content folder starts with site.yaml: the consultancy's name, the site title and the currency"),
    Kind("phase", Phase, "site", "handbook/phases/", "phases", page_folder="phases", page_template="phase.md.j2",
         label=N_("Phases"), position=2, order=lambda pid, phase: (phase.position, pid)),
    Kind("pricing", Pricing, "site", "handbook/pricing.yaml", "pricing", page_folder="delivery", page_template="pricing.md.j2",
         label=N_("Delivery"), position=3),
    Kind("engagement", Engagement, "engagement", "engagement.yaml", "engagement", page_folder="", scaffold="engagement.yaml.j2",
         missing_hint="every folder under engagements/ is one engagement; run 'opsdocs new engagement {id}'"),
    Kind("runbook", Runbook, "engagement", "runbooks/", "runbooks", page_folder="runbooks",
         page_template="engagement/runbook.md.j2", index_template="engagement/runbooks.md.j2", label=N_("Runbooks"), position=3,
         id_var="rid", order=lambda rid, runbook: (runbook.title, rid), tags=lambda runbook: ("runbook",),
         scaffold="runbook.yaml.j2"),
    Kind("incident", Incident, "engagement", "incidents/", "incidents", page_folder="postmortems",
         page_template="engagement/postmortem.md.j2", index_template="engagement/postmortems.md.j2", label=N_("Post-mortems"),
         position=4, id_var="iid", order=lambda iid, incident: (incident.started_at, iid), reverse=True,
         tags=lambda incident: ("post-mortem", incident.severity), scaffold="incident.yaml.j2"),
)
KIND = {kind.name: kind for kind in KINDS}


def kinds_in(scope: str) -> tuple[Kind, ...]:
    return tuple(kind for kind in KINDS if kind.scope == scope)
