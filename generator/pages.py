"""Compute: the page plan. Which pages the site has, where, in what order, from which template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from .errors import Problem
from .i18n import SOURCE, Language, language
from .model import Content, EngagementData, models_of
from .model.kinds import Kind, kinds_in


class RenderContext(TypedDict, total=False):
    """What every page of one render sees besides its own page's context (`Page.context`)."""

    as_of: date  # the date the figures are computed for
    insights: dict[str, Any]  # each engagement's figures (compute.EngagementInsights), by id
    lang: Language  # the language of the handbook's pages (an engagement's pages carry their own)


@dataclass(frozen=True)
class Page:
    """One page of the site, engine-independent. `path` is a POSIX path ending in .md."""

    path: str
    template: str | None  # None: a hand-written page, written as it is (its text in context["text"])
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
    language: str = "en"  # the site's language (the handbook's pages and the engine's own words)

    def extend(self, other: "Plan") -> None:
        self.pages.extend(other.pages)
        self.folders.update(other.folders)


def plan_documents(kind: Kind, owner: object, base: str, context: dict[str, Any], tags: tuple[str, ...] = (),
                   lang: Language = language(SOURCE)) -> Plan:
    """The pages of one document kind: a folder (with its index page, if the kind has one) and a page per document."""
    folder = kind.page_dir(base)
    pages: list[Page] = []
    if kind.index_template:
        pages.append(Page(f"{folder}/index.md", kind.index_template, lang.gettext(kind.label), 1, context, None, tags))
    models = models_of(owner, kind)
    order = sorted(models.items(), key=lambda kv: kind.order(*kv) if kind.order else kv[0], reverse=kind.reverse)
    first = 2 if kind.index_template else 1
    for n, (ident, model) in enumerate(order, start=first):
        path = f"{folder}/{ident}.md" if kind.many else f"{folder}/{kind.name}.md"
        position = getattr(model, "position", n) if kind.scope == "site" and kind.many else n
        pages.append(Page(path, kind.page_template, model.title, position, {**context, kind.name: model, kind.id_var: ident},
                          getattr(model, "description", None) if kind.scope == "site" else None, tags + kind.tags(model)))
    folders = {folder: Folder(folder, lang.gettext(kind.label), kind.position)} if pages else {}
    return Plan(pages, folders)


def plan_handbook(content: Content, summaries: list, lang: Language | None = None) -> Plan:
    """The pages that are not one engagement's: home, handbook, templates, portfolio (in `lang`, default the site's)."""
    site = content.site
    lang = lang or language(site.site.language)
    plan = Plan([Page("index.md", "home.md.j2", lang.gettext("Home"), 1, {"content": content, "summaries": summaries},
                      site.site.description)], {})
    for kind in kinds_in("site"):
        if kind.page_template:
            plan.extend(plan_documents(kind, content, "", {}, lang=lang))
    plan.folders["templates"] = Folder("templates", lang.gettext("Templates"), 4)
    plan.pages.append(Page("templates/operate-template.md", "operate-template.md.j2", lang.gettext("Operate Template"), 1, {},
                           lang.gettext("The blank operate plan to fill in for a new client")))
    if summaries:
        plan.folders["engagements"] = Folder("engagements", lang.gettext("Engagements"), 5)
        plan.pages.append(Page("engagements/index.md", "portfolio.md.j2", lang.gettext("Portfolio"), 1, {"summaries": summaries},
                               lang.gettext("Every engagement's operations figures side by side")))
    written = plan_handwritten(content)
    plan.pages.extend(written.pages)
    for path, folder in written.folders.items():
        plan.folders.setdefault(path, folder)  # a folder opsdocs makes keeps its own label
    return plan


def plan_handwritten(content: Content) -> Plan:
    """The hand-written pages, each at its own path, with a folder entry for every folder they are in."""
    plan = Plan([], {})
    for path, page in sorted(content.pages.items()):
        plan.pages.append(Page(path, None, page.title, page.position, {"text": page.text}))
        folder = page.path.rpartition("/")[0]
        while folder and folder not in plan.folders:
            name = folder.rpartition("/")[2]
            plan.folders[folder] = Folder(folder, name.replace("-", " ").replace("_", " ").capitalize(), 6)
            folder = folder.rpartition("/")[0]
    return plan


def collisions(content: Content, plan: Plan) -> list[Problem]:
    """Hand-written pages at a path where opsdocs writes a page of its own: each is an error naming both."""
    generated = {page.path: page for page in plan.pages if page.template is not None}
    return [
        Problem(page.rel, 0, 0, f"this page would be written to {path}, where opsdocs writes its page '{generated[path].title}'",
                "move or rename the hand-written page: generated pages cannot be replaced this way (override a template instead)")
        for path, page in sorted(content.pages.items()) if path in generated
    ]


def plan_engagement(data: EngagementData, position: int, lang: Language) -> Plan:
    """One engagement's pages: overview, operate plan, a folder for each kind of document in it, terms."""
    base = f"engagements/{data.id}"
    ctx = {"data": data, "e": data.engagement, "id": data.id, "lang": lang}
    tags = (data.engagement.client.name,)
    description = lang.gettext("Operations handover for %(system)s") % {"system": data.engagement.system.name}
    plan = Plan([
        Page(f"{base}/index.md", "engagement/overview.md.j2", data.title, 1, ctx, description, tags),
        Page(f"{base}/operate.md", "engagement/operate.md.j2", lang.gettext("Operate plan"), 2, ctx, None, tags),
    ], {base: Folder(base, data.title, position)})
    for kind in kinds_in("engagement"):
        if kind.page_template:
            plan.extend(plan_documents(kind, data, base, ctx, tags, lang))
    plan.pages.append(Page(f"{base}/handover.md", "engagement/handover.md.j2", lang.gettext("Handover"), 5, ctx, None, tags))
    plan.pages.append(Page(f"{base}/terms.md", "engagement/terms.md.j2", lang.gettext("Engagement terms"), 6, ctx, None, tags))
    return plan


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
        plan.extend(plan_engagement(data, positions[eid], language(data.engagement.language or content.site.site.language)))
    return plan
