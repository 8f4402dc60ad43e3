"""Model: the rules across files of each built-in kind of engagement document, as its `Kind.check`.

Each gets one document (its `Document`, for positions, and its model), the ids every reference may name
(`known`: each kind's by its name, and the engagement's alerts, SLOs and severities) and the engagement's data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

from ..errors import Problem, did_you_mean
from ..parse import Document


def unknown(doc: Document, loc: tuple, what: str, value: str, known: list[str]) -> Problem:
    hint = did_you_mean(value, known) if known else f"there is no {what} yet; define one first"
    return doc.error(loc, f"unknown {what} '{value}'", hint)


def missing(value: str | None, known: list[str] | None) -> bool:
    """A reference to an id that does not exist; never when the ids are in doubt (a duplicate is their own error)."""
    return bool(value) and known is not None and value not in known


def check_runbook(doc: Document, runbook, known: dict[str, list[str] | None], data) -> Iterator[Problem]:
    """A runbook's references: the alerts it answers and the component it is about."""
    for i, alert in enumerate(runbook.alerts):
        if missing(alert, known["alert"]):
            yield unknown(doc, ("alerts", i), "alert", alert, known["alert"])  # type: ignore[arg-type]
    components = [c.name for c in data.engagement.system.components]
    if runbook.service and components and runbook.service not in components:
        yield unknown(doc, ("service",), "component", runbook.service, components)


def check_incident(doc: Document, incident, known: dict[str, list[str] | None], data) -> Iterator[Problem]:
    """A post-mortem's references (severity, SLO, runbooks, alerts) and the order of its times."""
    for what, value in (("severity", incident.severity), ("SLO", incident.slo)):
        if missing(value, known[what]):
            yield unknown(doc, (what.lower(),), what, value, known[what])  # type: ignore[arg-type]
    for what, values in (("runbook", incident.related.runbooks), ("alert", incident.related.alerts)):
        for i, value in enumerate(values):
            if missing(value, known[what]):
                yield unknown(doc, ("related", what + "s", i), what, value, known[what])  # type: ignore[arg-type]

    order = ["started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at"]
    previous: tuple[str, datetime] | None = None
    for name in order:
        moment = getattr(incident, name)
        if moment is None:
            continue
        if previous and moment < previous[1]:
            yield doc.error(
                (name,), f"'{name}' is before '{previous[0]}'",
                "timestamps run started ≤ detected ≤ acknowledged ≤ mitigated ≤ resolved; check the date and the offset",
            )
        previous = (name, moment)

    last = None
    for i, moment in enumerate(incident.timeline_moments()):
        if last is not None and moment < last:
            yield replace(
                doc.error(
                    ("timeline", i, "at"),
                    "this timeline entry is earlier than the one before it",
                    "entries are shown as written; a timeline that crosses midnight needs full datetimes",
                ),
                severity="warning",
            )
        last = moment
