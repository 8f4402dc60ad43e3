"""Import: incident.io incidents, as its API v2 gives them (`GET /v2/incidents/{id}`, a page of `GET /v2/incidents`,
or a list of incidents), as draft post-mortems.

The incident's timestamps (reported, accepted, impact started, fixed, resolved, closed...) give its times and its
timeline, with its updates where the record holds them; the severity is mapped by name; the summary is kept; the
role assignments are its responders; custom fields, duration metrics and the post-mortem document's link go to the
notes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..errors import OpsdocsError
from .records import Record, json_kind, link, moment, read_json, severity_for, text_of

HINT = "save the response of GET /v2/incidents/{id} (an object with 'incident') or of GET /v2/incidents (with 'incidents')"
# incident.io's timestamp names (lower case, without ' at') and the post-mortem's time each one gives.
STAMPS = {"impact started": "started_at", "reported": "detected_at", "accepted": "acknowledged_at",
          "identified": "acknowledged_at", "fixed": "mitigated_at", "mitigated": "mitigated_at",
          "resolved": "resolved_at", "closed": "resolved_at"}


def _is_incident(value: object) -> bool:
    return isinstance(value, dict) and "id" in value and ("reference" in value or "incident_status" in value)


def read_incidentio(path: Path) -> list[dict]:
    """The incidents of one file, or a clear error."""
    value = read_json(path)
    wrapped = next((value[k] for k in ("incident", "incidents") if isinstance(value, dict) and k in value), value)
    items = wrapped if isinstance(wrapped, list) else [wrapped]
    if not items:
        raise OpsdocsError(f"{path} holds no incidents", HINT)
    if not all(_is_incident(item) for item in items):
        said = "a list of objects that are not incidents" if isinstance(value, list) else json_kind(value)
        raise OpsdocsError(f"{path} is not an incident.io incident (API v2): it is {said}", HINT)
    return items


def record(path: Path, incident: dict, levels, given: str | None) -> Record:
    """One incident.io incident as a record of the engagement's incident."""
    ident = str(incident["id"])
    label = text_of(incident.get("reference"))
    title = text_of(incident.get("name")) or label or ident
    where = f"{path}: incident {label or ident}"
    created = moment(incident.get("created_at"), f"{where}'s created_at")
    severity = incident.get("severity") if isinstance(incident.get("severity"), dict) else {}
    said = [text_of(severity.get("name"))] if severity.get("name") else []
    level = severity_for(said, levels, given, f"incident.io incident {label or ident}")
    stamps: list[tuple[datetime, str]] = []
    for value in incident.get("incident_timestamp_values") or []:
        name = text_of(((value or {}).get("incident_timestamp") or {}).get("name"))
        at = ((value or {}).get("value") or {}).get("value")
        if name and at:
            stamps.append((moment(at, f"{where}'s '{name}'"), name))
    times: dict[str, datetime | None] = dict.fromkeys(("started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at"))
    for at, name in sorted(stamps, key=lambda pair: pair[0]):
        key = STAMPS.get(name.lower().removesuffix(" at"))
        if key and (times[key] is None or key == "resolved_at" and name.lower().startswith("resolved")):
            times[key] = at
    times["detected_at"] = times["detected_at"] or created
    times["started_at"] = min(times["started_at"] or times["detected_at"], times["detected_at"])
    events = [(at, name.removesuffix(" at")) for at, name in stamps] + _updates(incident, where)
    warnings = [] if times["resolved_at"] else ["no resolved or closed time in the record: resolved_at is left to fill in"]
    summary = incident.get("summary") if isinstance(incident.get("summary"), str) and incident["summary"].strip() else None
    roles = [(text_of((r.get("role") or {}).get("name")) or "Responder", text_of((r.get("assignee") or {}).get("name")))
             for r in incident.get("incident_role_assignments") or [] if isinstance(r, dict) and r.get("assignee")]
    return Record("incident.io", ident, label, title, level, times, events, summary, None, _facts(incident, label), warnings,
                  [(role, name) for role, name in roles if name])


def _updates(incident: dict, where: str) -> list[tuple[datetime, str]]:
    """The incident's updates (when the record holds them): who said what, and the status it moved to."""
    events = []
    for update in incident.get("updates") or []:
        if not isinstance(update, dict) or not update.get("created_at"):
            continue
        who = text_of(((update.get("updater") or {}).get("user") or {}).get("name"))
        status = text_of((update.get("new_incident_status") or {}).get("name"))
        text = text_of(update.get("message")) or (f"Status: {status}" if status else "Update")
        events.append((moment(update["created_at"], f"{where}'s update"), (f"{who}: " if who else "") + text))
    return events


def _facts(incident: dict, label: str) -> list[str]:
    status = text_of((incident.get("incident_status") or {}).get("name"))
    kind = text_of((incident.get("incident_type") or {}).get("name"))
    facts = [f"Imported from {link(f'incident.io incident {label}'.strip(), incident.get('permalink'))}"
             + (f", status {status}" if status else "") + (f", type {kind}" if kind else "") + "."]
    for entry in incident.get("custom_field_entries") or []:
        name = text_of(((entry or {}).get("custom_field") or {}).get("name"))
        values = [_value(v) for v in (entry or {}).get("values") or []]
        if name and any(values):
            facts.append(f"{name}: {', '.join(v for v in values if v)}")
    for metric in incident.get("duration_metrics") or []:
        name, seconds = text_of(((metric or {}).get("duration_metric") or {}).get("name")), (metric or {}).get("value_seconds")
        if name and isinstance(seconds, (int, float)):
            facts.append(f"{name}: {int(seconds) // 3600} h {int(seconds) % 3600 // 60} min")
    issue = incident.get("external_issue_reference") or {}
    if issue.get("issue_name"):
        facts.append(f"Issue: {link(text_of(issue['issue_name']), issue.get('issue_permalink'))}")
    if incident.get("postmortem_document_url"):
        facts.append(f"Post-mortem document: {link('the document', incident['postmortem_document_url'])}")
    return facts


def _value(value: dict) -> str:
    """A custom field's value, whatever its type (option, text, number, link, catalog entry)."""
    if not isinstance(value, dict):
        return ""
    option = (value.get("value_option") or {}).get("value")
    entry = (value.get("value_catalog_entry") or {}).get("name")
    text = option or entry or value.get("value_text") or value.get("value_numeric")
    if value.get("value_link"):
        return link(text_of(text) or text_of(value["value_link"]), value["value_link"])
    return text_of(text)
