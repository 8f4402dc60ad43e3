"""Import: PagerDuty incidents, as the REST API v2 gives them (`GET /incidents/{id}`, a page of `GET /incidents`,
and `GET /incidents/{id}/log_entries`), as draft post-mortems.

The incident gives the title, priority and urgency, service and people; its log entries (matched to it by their
`incident.id`, in any file order) give the timeline, with who did what: trigger, notify, acknowledge, escalate,
assign, annotate, resolve. The times are PagerDuty's, converted to the engagement's time zone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..errors import OpsdocsError
from .records import Record, json_kind, link, moment, read_json, severity_for, text_of

HINT = ("save the response of GET /incidents/{id} (an object with 'incident'), of GET /incidents (with 'incidents') "
        "or of GET /incidents/{id}/log_entries (with 'log_entries')")


def _classify(path: Path, value: object) -> tuple[str, list]:
    """('incidents' | 'log_entries', the objects) of one file, or a clear error."""
    if isinstance(value, dict):
        if isinstance(value.get("incident"), dict):
            return "incidents", [value["incident"]]
        for key in ("incidents", "log_entries"):
            if isinstance(value.get(key), list):
                if not value[key]:
                    raise OpsdocsError(f"{path} holds no {key.replace('_', ' ')}", HINT)
                return key, value[key]
        if value.get("type") == "incident":
            return "incidents", [value]
        said = json_kind(value)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):  # a bare list of either
        if all(str(v.get("type", "")).endswith("log_entry") for v in value):
            return "log_entries", value
        if all(v.get("type") == "incident" for v in value):
            return "incidents", value
        said = "a list of objects that are neither incidents nor log entries"
    else:
        said = json_kind(value)
    raise OpsdocsError(f"{path} is not a PagerDuty incident or its log entries: it is {said}", HINT)


def read_pagerduty(paths: list[Path]) -> list[tuple[Path, dict, list[dict]]]:
    """Each incident of the files with its own log entries, oldest first: [(file, incident, entries)]."""
    incidents: list[tuple[Path, dict]] = []
    entries: list[tuple[Path, dict]] = []
    for path in paths:
        kind, items = _classify(path, read_json(path))
        for item in items:
            if not isinstance(item, dict):
                raise OpsdocsError(f"{path}: an item of its '{kind}' is not an object", HINT)
        (incidents if kind == "incidents" else entries).extend((path, item) for item in items)
    if not incidents:
        raise OpsdocsError("no PagerDuty incident among the files, only log entries",
                           "give the incident's JSON too (GET /incidents/{id}), before or after its log entries")
    by_id: dict[str, list[dict]] = {str(i.get("id")): [] for _, i in incidents}
    for path, entry in entries:
        owner = str((entry.get("incident") or {}).get("id", ""))
        if owner not in by_id:
            raise OpsdocsError(f"{path}: log entry {entry.get('id', '?')} belongs to incident '{owner or 'none'}', "
                               f"which is none of the incidents given ({', '.join(sorted(by_id))})",
                               "give each incident's log entries with the incident itself")
        by_id[owner].append(entry)
    return [(path, incident, by_id[str(incident.get("id"))]) for path, incident in incidents]


def _need(path: Path, incident: dict, key: str) -> object:
    value = incident.get(key)
    if value in (None, ""):
        raise OpsdocsError(f"{path}: the incident has no '{key}'", HINT)
    return value


def _name(ref: object) -> str:
    return text_of(ref.get("summary")) if isinstance(ref, dict) else ""


def record(path: Path, incident: dict, entries: list[dict], levels, given: str | None) -> Record:
    """One PagerDuty incident (and its log entries) as a record of the engagement's incident."""
    ident, title = str(_need(path, incident, "id")), text_of(incident.get("title") or _need(path, incident, "summary"))
    created = moment(_need(path, incident, "created_at"), f"{path}: the incident's created_at")
    said = [v for v in (_name(incident.get("priority")), text_of(incident.get("urgency"))) if v]
    number = incident.get("incident_number")
    severity = severity_for(said, levels, given, f"PagerDuty incident {ident}")
    timed = [(moment(e.get("created_at"), f"{path}: log entry {e.get('id', '?')}'s created_at"), e) for e in entries]
    if timed and timed[0][0] > timed[-1][0]:  # newest first, as the API lists them: entries of one second stay in order
        timed.reverse()
    timed.sort(key=lambda pair: pair[0])

    def first(kind: str, last: bool = False) -> tuple[datetime, dict] | None:
        found = [(t, e) for t, e in timed if e.get("type") == f"{kind}_log_entry"]
        return (found[-1] if last else found[0]) if found else None

    trigger, ack, resolve = first("trigger"), first("acknowledge"), first("resolve", last=True)
    acks = [a for a in incident.get("acknowledgements") or [] if isinstance(a, dict) and a.get("at")]
    status = text_of(incident.get("status"))
    resolved = resolve[0] if resolve else None
    if resolved is None and status == "resolved" and incident.get("last_status_change_at"):
        resolved = moment(incident["last_status_change_at"], f"{path}: the incident's last_status_change_at")
    detected = trigger[0] if trigger else created
    times = {"started_at": min(created, detected), "detected_at": detected,
             "acknowledged_at": ack[0] if ack else (moment(acks[0]["at"], f"{path}: acknowledgements[0].at") if acks else None),
             "mitigated_at": None, "resolved_at": resolved}
    warnings = [] if resolved else [f"still '{status or 'open'}' in PagerDuty: resolved_at is left to fill in"]
    if trigger and abs(trigger[0] - created).days >= 1:
        warnings.append(f"its log entries begin {abs(trigger[0] - created).days} days away from the incident's "
                        "created_at: check that they belong to it")
    events = [(t, _event(e)) for t, e in timed] or _incident_events(incident, times, status)
    detection = f"PagerDuty: {_event(trigger[1])}" if trigger else None
    return Record("PagerDuty", ident, f"#{number}" if number else "", title, severity, times, events, None, detection,
                  _facts(incident, number, said, status), warnings)


def _event(entry: dict) -> str:
    """A log entry as a timeline event: PagerDuty's own sentence, a note's text, and who did it when it does not say."""
    text = text_of(entry.get("summary")) or text_of(entry.get("type", "")).replace("_log_entry", "")
    channel = entry.get("channel") if isinstance(entry.get("channel"), dict) else {}
    if entry.get("type") == "annotate_log_entry" and channel.get("summary"):
        text = f"{text}: {text_of(channel['summary'])}"
    agent = entry.get("agent") if isinstance(entry.get("agent"), dict) else {}
    who = _name(agent)
    if who and who not in text:
        text = f"{text} ({who})"
    return text


def _incident_events(incident: dict, times: dict, status: str) -> list[tuple[datetime, str]]:
    """Without log entries, the events the incident itself records."""
    events = [(times["detected_at"], "Triggered in PagerDuty")]
    if times["acknowledged_at"]:
        who = ", ".join(_name(a.get("acknowledger")) for a in incident.get("acknowledgements") or [] if _name(a.get("acknowledger")))
        events.append((times["acknowledged_at"], "Acknowledged" + (f" by {who}" if who else "")))
    if times["resolved_at"]:
        who = _name(incident.get("last_status_change_by"))
        events.append((times["resolved_at"], "Resolved" + (f" by {who}" if who and status == "resolved" else "")))
    return events


def _facts(incident: dict, number: object, said: list[str], status: str) -> list[str]:
    name = f"PagerDuty incident #{number}" if number else f"PagerDuty incident {incident.get('id')}"
    facts = [f"Imported from {link(name, incident.get('html_url'))}, status {status or 'unknown'}"
             + (f", {' / '.join(said)}" if said else "") + "."]
    for label, key in (("Service", "service"), ("Escalation policy", "escalation_policy")):
        if _name(incident.get(key)):
            facts.append(f"{label}: {link(_name(incident[key]), incident[key].get('html_url'))}")
    for label, key, inner in (("Teams", "teams", None), ("Assigned to", "assignments", "assignee")):
        names = [_name(item.get(inner) if inner else item) for item in incident.get(key) or [] if isinstance(item, dict)]
        if any(names):
            facts.append(f"{label}: {', '.join(n for n in names if n)}")
    if text_of(incident.get("description")) and text_of(incident.get("description")) != text_of(incident.get("title")):
        facts.append(f"Description: {text_of(incident['description'])}")
    return facts
