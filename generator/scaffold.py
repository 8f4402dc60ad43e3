"""Scaffold: the questions `init` and `new` ask, and the files they make from templates."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from .errors import OpsdocsError
from .escape import Safe, yaml_scalar
from .i18n import check_tag, languages
from .model import Content, EngagementData
from .model.kinds import KIND, Kind, kinds_in
from .model.questions import Question, optional, parse_date, parse_email, parse_id, parse_model, parse_text
from .model.types import _money, _timezone, _url
from .templating import environment, template_error


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
        self.env = environment(self.tiers, ("scaffold",), self.display, _yaml_value)
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


def new_document(scaffold: Scaffold, kind: Kind, eid: str, ident: str = "", **values: Any) -> NewFile:
    """One engagement document of a kind, from the kind's skeleton, where the kind's files live."""
    rel = f"engagements/{eid}/{kind.source_rel(ident)}"
    schema_dir = "/".join([".."] * (rel.count("/") + 1) + ["schemas"])  # from the file, up to the project
    return NewFile(rel, scaffold.render(str(kind.scaffold), schema_dir=Safe(schema_dir), **values))


def new_engagement_folders(eid: str) -> list[str]:
    """The folders of a new engagement: one for each kind of document it holds many of."""
    return [f"engagements/{eid}/{kind.source}" for kind in kinds_in("engagement") if kind.many]


def new_engagement(scaffold: Scaffold, eid: str, answers: dict, currency: str) -> NewFile:
    return new_document(scaffold, KIND["engagement"], eid, currency=currency, engagement_id=eid, **answers)


def new_of_kind(scaffold: Scaffold, kind: Kind, data: EngagementData, ident: str, answers: dict) -> NewFile:
    """A new document of an engagement's kind (a runbook, a post-mortem...), from its skeleton and the answers."""
    return new_document(scaffold, kind, data.id, ident, **kind.skeleton_values(data, answers))


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
