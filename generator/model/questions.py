"""Model: the questions `opsdocs new` asks, with the parsers that check each answer, and what the skeletons of the
built-in kinds of engagement documents are filled with. Plain functions of the answers and the engagement's data."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from ..load import ID_RE, ID_RULE
from .types import _email


@dataclass(frozen=True)
class Question:
    """One answer a skeleton needs: asked at the prompt, or given as an option."""

    name: str
    prompt: str
    help: str
    parse: Callable[[str], Any] = str
    default: Callable[[dict], Any] | None = None  # from the answers so far
    required: bool = True


# Parsers: each turns typed text into a value or raises ValueError with what to type instead.
def parse_id(text: str) -> str:
    text = text.strip()
    if not ID_RE.match(text):
        raise ValueError(ID_RULE)
    return text


def parse_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("an answer is needed")
    return text


def parse_email(text: str) -> str:
    return _email(text.strip())


def parse_model(text: str) -> str:
    text = text.strip().lower()
    if text not in ("retainer", "hourly"):
        raise ValueError("answer 'retainer' or 'hourly'")
    return text


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError("write a date as YYYY-MM-DD, e.g. 2026-03-14") from None


def parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise ValueError("write a date and time with its offset, e.g. 2026-03-14T09:12+01:00") from None
    if moment.tzinfo is None:
        raise ValueError("add the offset from UTC, e.g. 2026-03-14T09:12+01:00 or ...Z")
    return moment


def optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    return lambda text: parse(text) if text.strip() else None


def parse_list(parse: Callable[[str], Any]) -> Callable[[str], list]:
    return lambda text: [parse(part) for part in re.split(r"[,\s]+", text.strip()) if part]


def one_of(choices: list[str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = text.strip()
        if text not in choices:
            raise ValueError(f"unknown {what} '{text}': choose one of {', '.join(choices)}")
        return text

    return parse


def slug(text: str) -> str:
    """A title as an id: `Checkout down after deploy` → `checkout-down-after-deploy`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:48].strip("-") or "incident"


def alert_names(data) -> list[str]:
    """What a runbook or an incident may name an alert by: its id, or a Prometheus rule's alert name."""
    return [a.id for a in data.engagement.operate.monitor.alerts] + sorted({a.name for a in data.monitoring.alerts})


def runbook_questions(data) -> list[Question]:
    """What a new runbook needs (with `data` None: the questions alone, to list them as options)."""
    alerts = alert_names(data) if data else []
    components = [c.name for c in data.engagement.system.components] if data else []
    return [
        Question("title", "Title", "What the runbook is for, e.g. 'Checkout error rate high'.", parse_text),
        Question("service", "Service", "The component it is about" + (f" ({', '.join(components)})" if components else "") + "; empty for none.",
                 optional(one_of(components, "component")) if components else optional(parse_text), lambda a: None, required=False),
        Question("alerts", "Alerts", "The alerts it answers, separated by commas" + (f" ({', '.join(alerts)})" if alerts else "") + "; empty for none.",
                 parse_list(one_of(alerts, "alert")), lambda a: [], required=False),
        Question("owner", "Owner", "Who keeps it up to date.", parse_text, lambda a: "TODO"),
    ]


def incident_questions(data) -> list[Question]:
    """What a new post-mortem needs (with `data` None: the questions alone, to list them as options)."""
    severities = [s.id for s in data.engagement.operate.fix.severity_levels] if data else []
    author = data.engagement.provider.contacts[0].name if data and data.engagement.provider.contacts else "TODO"
    return [
        Question("title", "Title", "What happened, in a line: 'Checkout down after a deploy'.", parse_text),
        Question("severity", "Severity", f"One of {', '.join(severities)}." if data else "A severity id of the engagement, e.g. sev1.",
                 one_of(severities, "severity")),
        Question("started_at", "Started at", "When the impact began, with its offset: 2026-03-14T09:12+01:00.", parse_moment),
        Question("detected_at", "Detected at", "When an alert fired or someone noticed (default: when it started).",
                 parse_moment, lambda a: a["started_at"]),
        Question("acknowledged_at", "Acknowledged at", "When someone took it on; empty if unknown.", optional(parse_moment),
                 lambda a: None, required=False),
        Question("mitigated_at", "Mitigated at", "When users stopped being affected; empty if unknown.", optional(parse_moment),
                 lambda a: None, required=False),
        Question("resolved_at", "Resolved at", "When it was over (default: when it was detected; correct it later).",
                 parse_moment, lambda a: a.get("mitigated_at") or a["detected_at"]),
        Question("author", "Author", "Who writes the post-mortem.", parse_text, lambda a: author),
    ]


def runbook_skeleton(data, answers: dict) -> dict:
    return {**answers, "known_alerts": alert_names(data)}


def incident_id(data, answers: dict) -> str:
    """A post-mortem's id when none is given: the day it started, in the client's time zone, and its title as words."""
    day = answers["started_at"].astimezone(ZoneInfo(data.engagement.terms.coverage.timezone)).date()
    return f"{day.isoformat()}-{slug(answers['title'])}"[:64].strip("-")


def incident_skeleton(data, answers: dict) -> dict:
    zone_name = data.engagement.terms.coverage.timezone
    zone = ZoneInfo(zone_name)
    day = answers["started_at"].astimezone(zone).date()
    events = [("started_at", "Impact begins"), ("detected_at", "Detected"), ("acknowledged_at", "Acknowledged"),
              ("mitigated_at", "Mitigated"), ("resolved_at", "Resolved")]
    timeline = []
    for key, event in events:
        moment = answers.get(key)
        if moment is None:
            continue
        local = moment.astimezone(zone)
        at = local.strftime("%H:%M") if local.date() == day else local.isoformat()
        timeline.append((at, f"{event} (TODO: say what happened)"))
    return dict(
        severities=[s.id for s in data.engagement.operate.fix.severity_levels],
        slos=[s.id for s in data.engagement.operate.monitor.slos],
        alerts=[{"id": a.id, "name": a.name} for a in data.engagement.operate.monitor.alerts]
        + [{"id": name, "name": summary} for name, summary in sorted({(r.name, r.annotations.get("summary") or r.name) for r in data.monitoring.alerts})],
        runbooks=sorted((rid, r.title) for rid, r in data.runbooks.items()),
        date=day,
        timezone=zone_name,
        timeline=timeline,
        **{k: (v.astimezone(zone).isoformat() if isinstance(v, datetime) else v) for k, v in answers.items()},
    )


