"""Model: the rules that span fields and files (references, ordering), checked after validation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

from ..errors import Problem, did_you_mean
from ..load import Document
from . import EngagementData

TODO = re.compile(r"\bTODO\b")


def check_documents(data: EngagementData) -> list[Problem]:
    """The rules across one engagement's files, and TODOs left outside drafts."""
    problems: list[Problem] = list(check_engagement(data))
    for _, doc, model in data.documents():
        if model is not None:  # a file that did not validate has its own errors already
            problems.extend(check_todos(doc, getattr(model, "status", None)))
    return problems


def todo_locations(data: object, loc: tuple = ()) -> Iterator[tuple]:
    """Where a document still says TODO."""
    if isinstance(data, str):
        if TODO.search(data):
            yield loc
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from todo_locations(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from todo_locations(value, loc + (i,))


def check_todos(doc: Document, status: str | None) -> Iterator[Problem]:
    """TODO placeholders are fine in a draft and an error anywhere else."""
    if status == "draft":
        return
    for loc in todo_locations(doc.data):
        yield doc.error(loc, "a TODO placeholder is left in a document that is not a draft",
                        "fill it in, or mark the document 'status: draft' until it is finished")


def _ids(data: EngagementData, kind: str) -> list[str]:
    """Ids of the files of one kind that exist, valid or not, so one broken file does not cascade."""
    return [ident for name, ident in data.sources if name == kind]


def _unknown(doc: Document, loc: tuple, what: str, value: str, known: list[str]) -> Problem:
    hint = did_you_mean(value, known) if known else f"there is no {what} yet; define one first"
    return doc.error(loc, f"unknown {what} '{value}'", hint)


def check_engagement(data: EngagementData) -> Iterator[Problem]:
    doc = data.sources[("engagement", "")]
    e = data.engagement
    op = e.operate
    severities = [s.id for s in op.fix.severity_levels]
    slos = [s.id for s in op.monitor.slos]
    alerts = [a.id for a in op.monitor.alerts]
    runbooks = _ids(data, "runbook")
    incidents = _ids(data, "incident")

    for loc, items in (
        (("operate", "monitor", "slos"), op.monitor.slos),
        (("operate", "monitor", "alerts"), op.monitor.alerts),
        (("operate", "fix", "severity_levels"), op.fix.severity_levels),
        (("operate", "improve", "backlog"), op.improve.backlog),
    ):
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            if item.id in seen:
                yield doc.error(loc + (i, "id"), f"duplicate id '{item.id}'", f"item {seen[item.id] + 1} of '{loc[-1]}' already uses it")
            seen.setdefault(item.id, i)

    for i, alert in enumerate(op.monitor.alerts):
        base = ("operate", "monitor", "alerts", i)
        if alert.severity not in severities:
            yield _unknown(doc, base + ("severity",), "severity", alert.severity, severities)
        if alert.slo and alert.slo not in slos:
            yield _unknown(doc, base + ("slo",), "SLO", alert.slo, slos)
        if alert.runbook and alert.runbook not in runbooks:
            yield _unknown(doc, base + ("runbook",), "runbook", alert.runbook, runbooks)
    for i, item in enumerate(op.improve.backlog):
        if item.incident and item.incident not in incidents:
            yield _unknown(doc, ("operate", "improve", "backlog", i, "incident"), "incident", item.incident, incidents)

    yield from check_terms(doc, e, severities)
    yield from check_runbooks(data, alerts)
    for iid, incident in data.incidents.items():
        yield from check_incident(data.sources[("incident", iid)], incident, severities, slos, alerts, runbooks)


def check_terms(doc: Document, e, severities: list[str]) -> Iterator[Problem]:
    """Response windows (one per severity) and the fields each engagement model needs."""
    op = e.operate
    windows: dict[str, int] = {}
    for i, window in enumerate(e.terms.response_windows):
        loc = ("terms", "response_windows", i, "severity")
        if window.severity not in severities:
            yield _unknown(doc, loc, "severity", window.severity, severities)
        elif window.severity in windows:
            yield doc.error(loc, f"a second response window for '{window.severity}'", "each severity has exactly one response window")
        windows.setdefault(window.severity, i)
    for i, level in enumerate(op.fix.severity_levels):
        if level.id not in windows:
            yield doc.error(
                ("operate", "fix", "severity_levels", i, "id"),
                f"severity '{level.id}' has no response window",
                f"add '- {{severity: {level.id}, response: 4h}}' under terms.response_windows",
            )

    terms = e.terms
    if terms.model == "hourly" and terms.hourly_rate is None:
        yield doc.error(("terms", "model"), "an hourly engagement needs 'hourly_rate'", "add 'hourly_rate: 150' under terms")
    if terms.model == "retainer" and terms.retainer is None:
        yield doc.error(("terms", "model"), "a retainer engagement needs 'retainer'", "add 'retainer: {monthly_fee: 2800, included_hours: 20}' under terms")
    if e.period.end and e.period.end < e.period.start:
        yield doc.error(("period", "end"), "the period ends before it starts", f"'end' must be on or after {e.period.start.isoformat()}")


def check_runbooks(data: EngagementData, alerts: list[str]) -> Iterator[Problem]:
    components = [c.name for c in data.engagement.system.components]
    for rid, runbook in data.runbooks.items():
        rdoc = data.sources[("runbook", rid)]
        for i, alert in enumerate(runbook.alerts):
            if alert not in alerts:
                yield _unknown(rdoc, ("alerts", i), "alert", alert, alerts)
        if runbook.service and components and runbook.service not in components:
            yield _unknown(rdoc, ("service",), "component", runbook.service, components)


def check_incident(doc, incident, severities, slos, alerts, runbooks) -> Iterator[Problem]:
    if incident.severity not in severities:
        yield _unknown(doc, ("severity",), "severity", incident.severity, severities)
    if incident.slo and incident.slo not in slos:
        yield _unknown(doc, ("slo",), "SLO", incident.slo, slos)
    for i, rid in enumerate(incident.related.runbooks):
        if rid not in runbooks:
            yield _unknown(doc, ("related", "runbooks", i), "runbook", rid, runbooks)
    for i, aid in enumerate(incident.related.alerts):
        if aid not in alerts:
            yield _unknown(doc, ("related", "alerts", i), "alert", aid, alerts)

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
