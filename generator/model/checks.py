"""Model: the rules that span fields and files (references, ordering), checked after validation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import Problem
from ..parse import Document
from .content import EngagementData, models_of
from .kinds import kinds_in
from .rules import missing, unknown

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
    """Ids of the files of one kind that exist, valid, invalid or unreadable: one broken file is one error, not more."""
    return sorted({ident for name, ident in (*data.sources, *data.unreadable) if name == kind})


def _unique_ids(doc: Document, loc: tuple, items: list) -> tuple[list[str] | None, list[Problem]]:
    """The ids of a list, or None when one is used twice (then references to them are not checked)."""
    seen: dict[str, int] = {}
    problems = []
    for i, item in enumerate(items):
        if item.id in seen:
            problems.append(doc.error(loc + (i, "id"), f"duplicate id '{item.id}'", f"item {seen[item.id] + 1} of '{loc[-1]}' already uses it"))
        seen.setdefault(item.id, i)
    return (None if problems else list(seen)), problems


def check_engagement(data: EngagementData) -> Iterator[Problem]:
    doc = data.sources[("engagement", "")]
    e = data.engagement
    op = e.operate
    known: dict[str, list[str] | None] = {kind.name: _ids(data, kind.name) for kind in kinds_in("engagement") if kind.many}
    for name, loc, items in (
        ("SLO", ("operate", "monitor", "slos"), op.monitor.slos),
        ("alert", ("operate", "monitor", "alerts"), op.monitor.alerts),
        ("severity", ("operate", "fix", "severity_levels"), op.fix.severity_levels),
        ("backlog item", ("operate", "improve", "backlog"), op.improve.backlog),
    ):
        known[name], problems = _unique_ids(doc, loc, items)
        yield from problems
    # The client's monitoring files add alerts (by their Prometheus name) and SLOs (by id) to refer to.
    imported = {"alert": [a.name for a in data.monitoring.alerts], "SLO": [s.id for s in data.monitoring.slos]}
    complete = {"alert": data.monitoring.rules_complete, "SLO": data.monitoring.slos_complete}
    for what, names in imported.items():
        if known[what] is not None:  # a file that could not be read has its own error: its names are in doubt
            known[what] = sorted(set(known[what]) | set(names)) if complete[what] else None  # type: ignore[arg-type]

    for i, alert in enumerate(op.monitor.alerts):
        base = ("operate", "monitor", "alerts", i)
        for what, value in (("severity", alert.severity), ("SLO", alert.slo), ("runbook", alert.runbook)):
            if missing(value, known[what]):
                yield unknown(doc, base + (what.lower(),), what, value, known[what])  # type: ignore[arg-type]
    for i, item in enumerate(op.improve.backlog):
        if missing(item.incident, known["incident"]):
            yield unknown(doc, ("operate", "improve", "backlog", i, "incident"), "incident", item.incident, known["incident"])

    for i, backup in enumerate(e.handover.backups if e.handover else []):
        if missing(backup.runbook, known["runbook"]):
            yield unknown(doc, ("handover", "backups", i, "runbook"), "runbook", backup.runbook, known["runbook"])  # type: ignore[arg-type]

    yield from check_terms(doc, e, known["severity"])
    for kind in kinds_in("engagement"):
        if kind.check is not None:
            for ident, model in models_of(data, kind).items():
                yield from kind.check(data.sources[(kind.name, ident)], model, known, data)


def check_terms(doc: Document, e, severities: list[str] | None) -> Iterator[Problem]:
    """Response windows (one per severity) and the fields each engagement model needs."""
    windows: dict[str, int] = {}
    misplaced = 0  # windows for an unknown severity, or a second one for a severity
    for i, window in enumerate(e.terms.response_windows):
        loc = ("terms", "response_windows", i, "severity")
        if missing(window.severity, severities):
            misplaced += 1
            yield unknown(doc, loc, "severity", window.severity, severities)  # type: ignore[arg-type]
        elif window.severity in windows:
            misplaced += 1
            yield doc.error(loc, f"a second response window for '{window.severity}'", "each severity has exactly one response window")
        windows.setdefault(window.severity, i)
    uncovered = [(i, level.id) for i, level in enumerate(e.operate.fix.severity_levels) if level.id not in windows]
    if len(uncovered) > misplaced:  # else each misplaced window is meant for an uncovered severity: one mistake, said once
        for i, level in uncovered:
            yield doc.error(
                ("operate", "fix", "severity_levels", i, "id"),
                f"severity '{level}' has no response window",
                f"add '- {{severity: {level}, response: 4h}}' under terms.response_windows",
            )

    terms = e.terms
    if terms.model == "hourly" and terms.hourly_rate is None:
        yield doc.error(("terms", "model"), "an hourly engagement needs 'hourly_rate'", "add 'hourly_rate: 150' under terms")
    if terms.model == "retainer" and terms.retainer is None:
        yield doc.error(("terms", "model"), "a retainer engagement needs 'retainer'", "add 'retainer: {monthly_fee: 2800, included_hours: 20}' under terms")
    if e.period.end and e.period.end < e.period.start:
        yield doc.error(("period", "end"), "the period ends before it starts", f"'end' must be on or after {e.period.start.isoformat()}")


