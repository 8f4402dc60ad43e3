"""Scaffold: the questions `init` and `new` ask, and the files they make from templates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2

from .errors import OpsdocsError
from .escape import Safe, yaml_scalar
from .i18n import check_tag, languages
from .load import ID_RE, ID_RULE
from .model import Content, EngagementData
from .model.kinds import KIND, kinds_in
from .model.types import _email, _money, _timezone, _url
from .render import TieredLoader, template_error


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


def engagement_questions(content: Content | None) -> list[Question]:
    pricing = content.pricing if content else None
    tier = pricing.retainers[0] if pricing and pricing.retainers else None
    rate = pricing.hourly[0].rate if pricing and pricing.hourly else Decimal(150)
    currency = content.site.currency if content else "EUR"
    return [
        Question("client", "Client", "The client's company name, as on the contract.", parse_text),
        Question("system", "System", "The name of the system we operate for them.", parse_text),
        Question("title", "Title", "The engagement's title in the docs.", parse_text, lambda a: f"{a['system']} operations"),
        Question("contact_name", "Client contact", "The person at the client we report to.", parse_text, lambda a: "TODO"),
        Question("contact_email", "Contact email", "Their email address.", parse_email, lambda a: "todo@example.invalid"),
        Question("lead", "Engagement lead", "Who leads the engagement on our side.", parse_text, lambda a: "TODO"),
        Question("model", "Engagement model", "'retainer' (a monthly fee with included hours) or 'hourly'.", parse_model,
                 lambda a: "retainer"),
        Question("start", "Start date", "The first day of the engagement (YYYY-MM-DD).", parse_date, lambda a: date.today()),
        Question("monthly_fee", "Monthly fee", f"The retainer's monthly fee in {currency}.", _money,
                 lambda a: tier.monthly_fee if tier else Decimal(2800)),
        Question("included_hours", "Included hours", "Hours included in the retainer each month.",
                 lambda t: int(parse_text(t)), lambda a: tier.included_hours if tier else 20),
        Question("hourly_rate", "Hourly rate", f"The hourly rate in {currency} (for a retainer: beyond the included hours).",
                 _money, lambda a: tier.overage_rate if tier else rate),
        Question("timezone", "Time zone", "The client's time zone for coverage hours (an IANA name).", _timezone,
                 lambda a: "Europe/Berlin"),
    ]


def alert_names(data: EngagementData) -> list[str]:
    """What a runbook or an incident may name an alert by: its id, or a Prometheus rule's alert name."""
    return [a.id for a in data.engagement.operate.monitor.alerts] + sorted({a.name for a in data.monitoring.alerts})


def runbook_questions(data: EngagementData) -> list[Question]:
    alerts = alert_names(data)
    components = [c.name for c in data.engagement.system.components]
    return [
        Question("title", "Title", "What the runbook is for, e.g. 'Checkout error rate high'.", parse_text),
        Question("service", "Service", "The component it is about" + (f" ({', '.join(components)})" if components else "") + "; empty for none.",
                 optional(one_of(components, "component")) if components else optional(parse_text), lambda a: None, required=False),
        Question("alerts", "Alerts", "The alerts it answers, separated by commas" + (f" ({', '.join(alerts)})" if alerts else "") + "; empty for none.",
                 parse_list(one_of(alerts, "alert")), lambda a: [], required=False),
        Question("owner", "Owner", "Who keeps it up to date.", parse_text, lambda a: "TODO"),
    ]


def incident_questions(data: EngagementData) -> list[Question]:
    severities = [s.id for s in data.engagement.operate.fix.severity_levels]
    author = data.engagement.provider.contacts[0].name if data.engagement.provider.contacts else "TODO"
    return [
        Question("title", "Title", "What happened, in a line: 'Checkout down after a deploy'.", parse_text),
        Question("severity", "Severity", f"One of {', '.join(severities)}.", one_of(severities, "severity")),
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


@dataclass(frozen=True)
class NewFile:
    rel: str  # relative to the project root
    text: str


@dataclass
class Scaffold:
    """Renders the skeleton templates (`scaffold/*.j2`, overridable like the page templates)."""

    tiers: list[Path]
    display: Callable[[Path], str]
    env: jinja2.Environment = field(init=False)

    def __post_init__(self) -> None:
        self.env = jinja2.Environment(
            loader=TieredLoader(self.tiers, ("scaffold",), self.display),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=_yaml_value,
        )
        self.env.filters["raw"] = lambda v: Safe(str(v))

    def render(self, name: str, **values: Any) -> str:
        try:
            return self.env.get_template(name).render(**values)
        except (jinja2.TemplateError, TypeError) as exc:
            raise template_error(exc) from None


def _yaml_value(value: Any) -> str:
    if isinstance(value, Safe):
        return value
    if value is None:
        return "null"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return yaml_scalar(value, flow=True)


def new_document(scaffold: Scaffold, kind_name: str, eid: str, ident: str = "", **values: Any) -> NewFile:
    """One engagement document of a kind, from the kind's skeleton, where the kind's files live."""
    kind = KIND[kind_name]
    rel = f"engagements/{eid}/{kind.source_rel(ident)}"
    schema_dir = "/".join([".."] * (rel.count("/") + 1) + ["schemas"])  # from the file, up to the project
    return NewFile(rel, scaffold.render(str(kind.scaffold), schema_dir=Safe(schema_dir), **values))


def engagement_folders(eid: str) -> list[str]:
    """The folders of a new engagement: one for each kind of document it holds many of."""
    return [f"engagements/{eid}/{kind.source}" for kind in kinds_in("engagement") if kind.many]


def new_engagement(scaffold: Scaffold, eid: str, answers: dict, currency: str) -> NewFile:
    return new_document(scaffold, "engagement", eid, currency=currency, engagement_id=eid, **answers)


def new_runbook(scaffold: Scaffold, data: EngagementData, rid: str, answers: dict) -> NewFile:
    return new_document(scaffold, "runbook", data.id, rid, known_alerts=alert_names(data), **answers)


def incident_id(answers: dict, timezone: str) -> str:
    day = answers["started_at"].astimezone(ZoneInfo(timezone)).date()
    return f"{day.isoformat()}-{slug(answers['title'])}"[:64].strip("-")


def new_incident(scaffold: Scaffold, data: EngagementData, iid: str, answers: dict) -> NewFile:
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
    return new_document(
        scaffold, "incident", data.id, iid,
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


def check_new_id(value: str, what: str) -> str:
    try:
        return parse_id(value)
    except ValueError as exc:
        raise OpsdocsError(f"'{value}' is not a valid {what} id", str(exc)) from None


def init_questions() -> list[Question]:
    return [
        Question("consultancy", "Consultancy", "Your company's name, as clients know it.", parse_text),
        Question("title", "Site title", "The title of the docs site.", parse_text, lambda a: f"{a['consultancy']} Handbook"),
        Question("currency", "Currency", "The currency of your rates, e.g. EUR, USD, GBP.", lambda t: parse_text(t).upper(),
                 lambda a: "EUR"),
        Question("language", "Language", "The language of the pages opsdocs writes: " + ", ".join(languages())
                 + ", or with a region such as de-CH.", check_tag, lambda a: "en"),
        Question("url", "Website", "Your website; empty to leave it out.", optional(_url), lambda a: None, required=False),
        Question("contact", "Contact email", "Where clients write to; empty to leave it out.", optional(parse_email),
                 lambda a: None, required=False),
    ]


def init_files(scaffold: Scaffold, starter: Path, answers: dict) -> dict[str, bytes]:
    """Every file of a new opsdocs project: content with the handbook, mkdocs.yml, templates/, .gitignore."""
    files = {
        "content/site.yaml": scaffold.render("site.yaml.j2", **answers).encode("utf-8"),
        "templates/README.md": scaffold.render("templates-readme.md.j2").encode("utf-8"),
        ".gitignore": scaffold.render("gitignore.j2").encode("utf-8"),
        "content/engagements/README.md": (
            b"One folder per client engagement. Start one with `opsdocs new engagement ID`.\n"
        ),
    }
    handbook = starter / "content" / "handbook"
    for path in sorted(handbook.rglob("*")):
        if path.is_file():
            files[f"content/handbook/{path.relative_to(handbook).as_posix()}"] = path.read_bytes()
    if (starter / "mkdocs.yml").is_file():
        files["mkdocs.yml"] = (starter / "mkdocs.yml").read_bytes()
    if "mkdocs.yml" in files:  # the new site is named after the consultancy's, not the example's
        text = files["mkdocs.yml"].decode("utf-8")
        files["mkdocs.yml"] = re.sub(r"(?m)^site_name: .*$", lambda m: f"site_name: {yaml_scalar(answers['title'])}", text, count=1).encode()
    return files
