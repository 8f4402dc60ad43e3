"""Import: what the importers of incident tools' records (PagerDuty, incident.io) share: reading their JSON, naming
the engagement's severity for theirs, and making a draft post-mortem from the times and events they hold.

A record holds times and events, never the narrative a post-mortem needs (impact, root causes, what was learned):
those are left as TODOs the draft rules know, and listed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..errors import OpsdocsError
from ..links import is_safe_url
from . import IMPACT_TODO, SUMMARY_TODO, TODO, Imported, incident_id, read_source

TIME_KEYS = ("started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at")


def read_json(path: Path) -> object:
    """A JSON file's value, or a clear error: not UTF-8, not JSON (at its line and column)."""
    data = read_source(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OpsdocsError(f"{path} is not UTF-8 text (byte {exc.start})", "export the JSON again as UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise OpsdocsError(f"{path}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}",
                           "give the API's response as it came, e.g. saved with curl -o") from None


def json_kind(value: object) -> str:
    """What a JSON value is, as an error message says it: 'an object with id, title', 'a list', 'a string'."""
    if isinstance(value, dict):
        return f"an object with {', '.join(sorted(map(str, value))[:6]) or 'nothing'}"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return {str: "a string", bool: "true or false", type(None): "null"}.get(type(value), "a number")


def moment(value: object, where: str) -> datetime:
    """An API's timestamp ('2015-10-06T21:30:42Z'), or a clear error naming where it is."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                return parsed
        except ValueError:
            pass
    raise OpsdocsError(f"{where} is {json.dumps(value)}, not a time with its offset such as \"2026-03-14T09:12:00Z\"")


def severity_for(said: list[str], levels, given: str | None, what: str) -> str:
    """The engagement's severity for what a tool says (a priority, an urgency, a severity's name), tried in order
    against each level's id, name and aliases; `given` (--severity) wins. An unmapped value is an error naming
    the choices."""
    ids = [level.id for level in levels]
    if given:
        if given not in ids:
            raise OpsdocsError(f"--severity {given} is not a severity of the engagement", f"choose one of {', '.join(ids)}")
        return given
    for value in said:
        for level in levels:
            if value.strip().lower() in {n.lower() for n in (level.id, level.name, *level.aliases)}:
                return level.id
    says = " and ".join(f"'{v}'" for v in said) if said else "no severity"
    raise OpsdocsError(f"{what} says {says}, which is none of the engagement's severities ({', '.join(ids)})",
                       "pass --severity, or list the tool's name under the level's 'aliases' in engagement.yaml, "
                       f"e.g. aliases: [{said[0] if said else 'P1'}]")


def link(text: str, url: object) -> str:
    """A Markdown link to a record's page, or its text alone when the URL is missing or not a safe one."""
    if isinstance(url, str) and url and is_safe_url(url) and url.startswith(("https://", "http://")):
        return f"[{text}]({url.replace(')', '%29')})"
    return text


@dataclass
class Record:
    """What an incident tool's record says of one incident, read by its importer."""

    tool: str  # 'PagerDuty'
    ident: str  # the tool's id: 'PT4KHLK'
    label: str  # how people name it: '#1234', 'INC-123'
    title: str
    severity: str  # the engagement's
    times: dict[str, datetime | None]  # TIME_KEYS
    events: list[tuple[datetime, str]] = field(default_factory=list)
    summary: str | None = None
    detection: str | None = None  # how the tool says it was detected: 'Triggered through the API (Datadog)'
    facts: list[str] = field(default_factory=list)  # Markdown lines for the notes: service, people, fields, links
    warnings: list[str] = field(default_factory=list)
    responders: list[tuple[str, str]] = field(default_factory=list)  # (role, name), for the post-mortem's `responders`


def draft(record: Record, zone: str) -> Imported:
    """A record as a draft post-mortem: its times and events in the engagement's time zone, the narrative as TODOs."""
    tz = ZoneInfo(zone)
    todos: list[str] = []
    times = {k: (v.astimezone(tz) if v else None) for k, v in record.times.items()}
    for key in ("started_at", "detected_at", "resolved_at"):
        if times.get(key) is None:
            todos.append(key)
    known = [t for t in times.values() if t]
    if not known:
        raise OpsdocsError(f"{record.tool} incident {record.ident} holds no time at all", "is it the incident's API object?")
    for key in ("started_at", "detected_at", "resolved_at"):  # the model needs them: the nearest known time, to review
        times[key] = times[key] or (max(known) if key == "resolved_at" else min(known))
    day = times["started_at"].date()
    events = sorted(((t.astimezone(tz), e) for t, e in record.events), key=lambda pair: pair[0])
    one_day = all(t.date() == day for t, _ in events)

    def at(t: datetime) -> str:
        return t.strftime("%H:%M:%S" if t.second else "%H:%M") if one_day else t.isoformat()

    if not record.summary:
        todos.append("summary")
    todos += ["authors", "impact", "root_causes", "trigger", "resolution"] + ([] if record.detection else ["detection"])
    data = {
        "title": record.title,
        "severity": record.severity,
        "status": "draft",
        "authors": [TODO],
        "date": day.isoformat(),
        "timezone": zone,
        **{key: times[key].isoformat() if times.get(key) else None for key in TIME_KEYS},
        "summary": record.summary or SUMMARY_TODO,
        "impact": IMPACT_TODO,
        "root_causes": [TODO],
        "trigger": TODO,
        "resolution": TODO,
        "detection": record.detection or TODO,
        "timeline": [{"at": at(t), "event": e} for t, e in events],
        **({"responders": [{"role": role, "name": name} for role, name in record.responders]} if record.responders else {}),
        "notes": "\n\n".join(record.facts) or None,
    }
    ident = incident_id(day, record.title)
    origin = f"{record.tool} incident {record.ident}" + (f" ({record.label})" if record.label else "")
    return Imported(ident, data, origin, f"{record.tool.lower().replace('.', '')}:{record.ident}", todos,
                    [f"times in {zone}", *record.warnings])


def text_of(value: object) -> str:
    """A record's free text on one line (names and summaries can hold newlines)."""
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""
