"""Model: the document kinds. One registry says where each kind's files are, which model reads them, where its pages
go, how `opsdocs new` starts one and whether "changes since" lists it.

Loading, validation, audience filtering, pages, lint, schema, the handover
export, "changes since" and `new` all loop over `kinds()`. The built-in kinds
are the rows below; another package adds one through the `opsdocs.kinds` entry
point group (a module that calls `register_kind`), or a test calls
`register_kind` itself: a kind is its model, its `Kind`, its templates and its
messages, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..i18n import N_
from ..plugins import KINDS, load_modules
from .engagement import Engagement
from .incident import Incident
from .questions import incident_id, incident_questions, incident_skeleton, runbook_questions, runbook_skeleton
from .rules import check_incident, check_runbook
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
    # `opsdocs new <name>`: the questions (a function of the engagement's data, or None to list the options), the
    # values the skeleton gets besides the answers, and the id when none is given (None: the id is required)
    questions: Callable[[Any], list[Any]] | None = None
    skeleton_values: Callable[[Any, dict], dict] = lambda data, answers: answers
    new_id: Callable[[Any, dict], str] | None = None
    new_help: str = ""  # the command's help: what it starts, and an example
    changes: bool = True  # listed in "changes since" (a folder kind with pages)
    # The rules across files of one document: (its Document, its model, the ids references may name, the
    # engagement's data) → problems at their place (model/rules.py has the built-in kinds')
    check: Callable[[Any, Any, dict, Any], Iterator[Any]] | None = None

    @property
    def many(self) -> bool:
        return self.source.endswith("/")

    def page_dir(self, base: str) -> str:
        """The folder of this kind's pages, below `base` (the scope's page folder, "" for the site root)."""
        return "/".join(part for part in (base, self.page_folder or "") if part)

    def source_rel(self, ident: str = "") -> str:
        """The file of one document, relative to its scope's folder."""
        return f"{self.source}{ident}.yaml" if self.many else self.source


BUILT_IN: tuple[Kind, ...] = (
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
         scaffold="runbook.yaml.j2", questions=runbook_questions, skeleton_values=runbook_skeleton, check=check_runbook,
         new_help="Start engagements/ENGAGEMENT/runbooks/ID.yaml.\n\n"
                  "Example: opsdocs new runbook kestrel-shop cache-outage --title \"Cache cluster down\" --alerts cache-errors"),
    Kind("incident", Incident, "engagement", "incidents/", "incidents", page_folder="postmortems",
         page_template="engagement/postmortem.md.j2", index_template="engagement/postmortems.md.j2", label=N_("Post-mortems"),
         position=4, id_var="iid", order=lambda iid, incident: (incident.started_at, iid), reverse=True,
         tags=lambda incident: ("post-mortem", incident.severity), scaffold="incident.yaml.j2",
         questions=incident_questions, skeleton_values=incident_skeleton, new_id=incident_id, check=check_incident,
         new_help="Start a post-mortem: engagements/ENGAGEMENT/incidents/ID.yaml.\n\n"
                  "ID defaults to '<date>-<title as words>'. The timeline is filled in from the times given, and the "
                  "engagement's alerts and runbooks are listed in comments, ready to link.\n\n"
                  "Example: opsdocs new incident kestrel-shop --title \"Checkout down\" --severity sev1 "
                  "--started-at 2026-03-14T09:12+01:00 --no-input"),
)
KIND: dict[str, Kind] = {kind.name: kind for kind in BUILT_IN}
# The pages of an engagement that are no kind's: a kind's folder may not take their place in the navigation.
ENGAGEMENT_PAGES = {"overview": 1, "operate": 2, "handover": 5, "terms": 6}
_loaded = False


def kinds() -> tuple[Kind, ...]:
    """Every kind: the built-in ones, then those of installed packages and of `register_kind`, in that order."""
    global _loaded
    if not _loaded:
        _loaded = True
        load_modules(KINDS)  # each module registers its kind
    return tuple(KIND.values())


def register_kind(kind: Kind) -> Kind:
    """Add a kind of document; its name, files, pages and place in the navigation must be its own."""
    taken = [k for k in KIND.values() if k.scope == kind.scope and k.name != kind.name]
    for other in taken:
        for what, mine, theirs in (("name", kind.attr, other.attr), ("files", kind.source, other.source),
                                   ("page folder", kind.page_folder, other.page_folder if other.page_folder else None)):
            if mine and mine == theirs:
                raise ValueError(f"kind '{kind.name}': its {what} '{mine}' is the kind '{other.name}'s")
        if kind.page_template and other.page_template and kind.position == other.position:
            raise ValueError(f"kind '{kind.name}': navigation position {kind.position} is the kind '{other.name}'s")
    fixed = {page: n for page, n in ENGAGEMENT_PAGES.items() if n == kind.position}
    if kind.scope == "engagement" and kind.page_template and fixed:
        raise ValueError(f"kind '{kind.name}': navigation position {kind.position} is the {next(iter(fixed))} page's; "
                         f"take one between them, e.g. 4.5 (taken: {sorted(ENGAGEMENT_PAGES.values())})")
    KIND[kind.name] = kind
    return kind


def kinds_in(scope: str) -> tuple[Kind, ...]:
    return tuple(kind for kind in kinds() if kind.scope == scope)
