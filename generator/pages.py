"""Compute: the page plan. Which pages the site has, where, in what order, from which template."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import Content, EngagementData


@dataclass(frozen=True)
class Page:
    """One page of the site, engine-independent. `path` is a POSIX path ending in .md."""

    path: str
    template: str
    title: str
    position: int
    context: dict[str, Any] = field(default_factory=dict, compare=False)
    description: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]


@dataclass(frozen=True)
class Folder:
    """A folder of pages: its label and place in the navigation."""

    path: str
    label: str
    position: int


@dataclass(frozen=True)
class Plan:
    pages: list[Page]
    folders: dict[str, Folder]


def plan_handbook(content: Content, summaries: list) -> Plan:
    """The pages that are not one engagement's: home, handbook, templates, portfolio."""
    pages: list[Page] = []
    folders: dict[str, Folder] = {}
    site = content.site
    pages.append(Page("index.md", "home.md.j2", "Home", 1, {"content": content, "summaries": summaries}, site.site.description))
    if content.phases:
        folders["phases"] = Folder("phases", "Phases", 2)
        for pid, phase in sorted(content.phases.items(), key=lambda kv: (kv[1].position, kv[0])):
            pages.append(Page(f"phases/{pid}.md", "phase.md.j2", phase.title, phase.position, {"phase": phase, "id": pid}, phase.description))
    if content.pricing is not None:
        folders["delivery"] = Folder("delivery", "Delivery", 3)
        pages.append(Page("delivery/pricing.md", "pricing.md.j2", content.pricing.title, 1, {"pricing": content.pricing}))
    folders["templates"] = Folder("templates", "Templates", 4)
    pages.append(Page("templates/operate-template.md", "operate-template.md.j2", "Operate Template", 1, {},
                      "The blank operate plan to fill in for a new client"))
    if summaries:
        folders["engagements"] = Folder("engagements", "Engagements", 5)
        pages.append(Page("engagements/index.md", "portfolio.md.j2", "Portfolio", 1, {"summaries": summaries},
                          "Every engagement's operations figures side by side"))
    return Plan(pages, folders)


def plan_engagement(data: EngagementData, position: int) -> Plan:
    """One engagement's pages: overview, operate plan, runbooks, post-mortems, terms."""
    pages: list[Page] = []
    base = f"engagements/{data.id}"
    ctx = {"data": data, "e": data.engagement, "id": data.id}
    folders = {
        base: Folder(base, data.title, position),
        f"{base}/runbooks": Folder(f"{base}/runbooks", "Runbooks", 3),
        f"{base}/postmortems": Folder(f"{base}/postmortems", "Post-mortems", 4),
    }
    tags = (data.engagement.client.name,)
    pages.append(Page(f"{base}/index.md", "engagement/overview.md.j2", data.title, 1, ctx,
                      f"Operations handover for {data.engagement.system.name}", tags))
    pages.append(Page(f"{base}/operate.md", "engagement/operate.md.j2", "Operate plan", 2, ctx, None, tags))
    pages.append(Page(f"{base}/runbooks/index.md", "engagement/runbooks.md.j2", "Runbooks", 1, ctx, None, tags))
    for m, (rid, runbook) in enumerate(sorted(data.runbooks.items(), key=lambda kv: (kv[1].title, kv[0])), start=2):
        pages.append(Page(f"{base}/runbooks/{rid}.md", "engagement/runbook.md.j2", runbook.title, m,
                          {**ctx, "runbook": runbook, "rid": rid}, None, tags + ("runbook",)))
    pages.append(Page(f"{base}/postmortems/index.md", "engagement/postmortems.md.j2", "Post-mortems", 1, ctx, None, tags))
    newest_first = sorted(data.incidents.items(), key=lambda kv: (kv[1].started_at, kv[0]), reverse=True)
    for m, (iid, incident) in enumerate(newest_first, start=2):
        pages.append(Page(f"{base}/postmortems/{iid}.md", "engagement/postmortem.md.j2", incident.title, m,
                          {**ctx, "incident": incident, "iid": iid}, None, tags + ("post-mortem", incident.severity)))
    pages.append(Page(f"{base}/terms.md", "engagement/terms.md.j2", "Engagement terms", 5, ctx, None, tags))
    return Plan(pages, folders)


def engagement_positions(ids) -> dict[str, int]:
    """Engagements are ordered by id in the navigation."""
    return {eid: n for n, eid in enumerate(sorted(ids), start=1)}


def plan_site(content: Content, summaries: list | None = None) -> Plan:
    """Every page of the site in navigation order: handbook first, then each engagement."""
    if summaries is None:
        summaries = [{"id": eid} for eid in sorted(content.engagements)]
    plan = plan_handbook(content, summaries)
    positions = engagement_positions(content.engagements)
    for eid, data in sorted(content.engagements.items()):
        part = plan_engagement(data, positions[eid])
        plan.pages.extend(part.pages)
        plan.folders.update(part.folders)
    return plan
