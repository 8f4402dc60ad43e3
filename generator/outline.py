"""Compute: the blank Operate Template, walked from the operate plan's models."""

from __future__ import annotations

import typing
from dataclasses import dataclass

from .i18n import N_
from .model import inner_model
from .model.engagement import Operate, Terms

OPERATE_STEPS = [
    (N_("O1 — Monitor"), "monitor", N_("What we watch, where, and what wakes someone up.")),
    (N_("O2 — Fix"), "fix", N_("How incidents are classified and who is called, in what order.")),
    (N_("O3 — Improve"), "improve", N_("What we will make better, and the evidence for it.")),
    (N_("O4 — Optimize"), "optimize", N_("What the system costs, and how we will lower it.")),
]
TERMS = (N_("Engagement terms"), N_("How the client buys Operate: the model, the hours, the response windows."))

# The heading of each part of the plan (a field of the operate plan or the terms).
TITLES = {
    "logs": N_("Logs"), "metrics": N_("Metrics"), "tracing": N_("Tracing"), "dashboards": N_("Dashboards"),
    "uptime_checks": N_("Uptime checks"), "slos": N_("Service level objectives"), "alerts": N_("Alerts"),
    "quality_signals": N_("Quality signals"), "severity_levels": N_("Severity levels"), "escalation": N_("Escalation path"),
    "review_cadence": N_("Review cadence"), "backlog": N_("Backlog"), "costs": N_("Monthly costs"), "ai_usage": N_("AI usage"),
    "actions": N_("Optimization actions"), "model": N_("Engagement model"), "currency": N_("Currency"),
    "hourly_rate": N_("Hourly rate"), "retainer": N_("Retainer"), "coverage": N_("Coverage"),
    "response_windows": N_("Response windows"), "reporting": N_("Reporting"), "notice_period": N_("Notice period"),
    "review": N_("Review"),
}
ONE_ROW = N_("One row per item.")


@dataclass(frozen=True)
class Guide:
    """What to write in a field: its description (a message), and whether it is required."""

    description: str | None
    required: bool

    def text(self, lang) -> str:
        words = ["…"]
        if self.description:
            words.append(lang.gettext(self.description))
        if self.required:
            words.append(lang.gettext("(required)"))
        return " ".join(words)


@dataclass(frozen=True)
class Column:
    name: str
    guide: Guide


@dataclass(frozen=True)
class PlanPart:
    title: str
    description: str | None
    columns: list[Column]
    guide: Guide | None


@dataclass(frozen=True)
class PlanSection:
    title: str
    intro: str
    parts: list[PlanPart]


def _guide(info) -> Guide:
    return Guide(info.description, info.is_required())


def _part(name: str, info) -> PlanPart:
    title = TITLES[name]
    annotation = info.annotation
    inner = inner_model(annotation)
    is_list = typing.get_origin(annotation) is list or any(typing.get_origin(a) is list for a in typing.get_args(annotation))
    if inner is None:
        return PlanPart(title, None, [], _guide(info))
    fields = [(n, f) for n, f in inner.model_fields.items() if n != "visibility"]
    columns = [Column(n, _guide(f)) for n, f in fields]
    return PlanPart(title, ONE_ROW if is_list else None, columns, None)


def operate_outline() -> list[PlanSection]:
    """Every section of the operate plan, and the engagement terms, with placeholder guidance (messages, translated
    where the page is written)."""
    sections = []
    for title, key, intro in OPERATE_STEPS:
        model = inner_model(Operate.model_fields[key].annotation)
        # The client's monitoring files (`sources`) are set up once, not a part of the plan to fill in.
        sections.append(PlanSection(title, intro, [_part(n, f) for n, f in model.model_fields.items() if n != "sources"]))
    sections.append(PlanSection(*TERMS, [_part(n, f) for n, f in Terms.model_fields.items()]))
    return sections
