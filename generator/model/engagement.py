"""Model: an engagement (engagement.yaml): client, system, the O1–O4 operate plan and terms."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..i18n import N_
from .handover import Handover
from .site import Publish, RunbookPolicy
from .types import (
    Count,
    Date,
    Duration,
    Email,
    FilePattern,
    Id,
    Inline,
    Item,
    LanguageTag,
    Markdown,
    Model,
    Money,
    Percent,
    SchemaVersion,
    Text,
    Timezone,
    Url,
)


class Contact(Item):
    name: Text
    role: Text | None = None
    email: Email | None = None
    phone: Text | None = None


class Client(Model):
    name: Text
    contacts: list[Contact] = []


class Provider(Model):
    name: Text | None = Field(None, description="default: the consultancy's name from site.yaml")
    contacts: list[Contact] = []


class Environment(Item):
    name: Text
    url: Url | None = None
    notes: Text | None = None


class Component(Item):
    name: Text
    tech: Text | None = None
    repo: Url | None = None
    notes: Text | None = None


class System(Model):
    name: Text
    summary: Markdown
    environments: list[Environment] = Field(min_length=1)
    components: list[Component] = []


class Period(Model):
    start: Date
    end: Date | None = None


class Tool(Model):
    tool: Text
    retention: Duration | None = None
    url: Url | None = None
    notes: Text | None = None


class Dashboard(Item):
    name: Text
    url: Url


class UptimeCheck(Item):
    name: Text
    target: Text
    interval: Duration


class Slo(Item):
    id: Id
    name: Text
    sli: Text
    objective: Percent
    window: Duration


class Alert(Item):
    id: Id
    name: Text
    condition: Inline
    severity: Id
    slo: Id | None = None
    runbook: Id | None = None
    notify: list[Text] = []


class QualitySignal(Item):
    name: Text
    measure: Text
    target: Text


class Sources(Model):
    """The client's own monitoring files, read at every check and build: paths and globs relative to the engagement folder."""

    prometheus_rules: list[FilePattern] = Field([], description="Prometheus rule files or PrometheusRule manifests, e.g. monitoring/rules/*.yaml")
    alertmanager: FilePattern | None = Field(None, description="the Alertmanager configuration: a plain file (monitoring/alertmanager.yml), "
                                             "a Kubernetes Secret that holds it (#key: its key, default alertmanager.yaml) or a Helm "
                                             "values file (#path: where in it, default alertmanager.config)")
    alertmanager_configs: list[FilePattern] = Field([], description="prometheus-operator AlertmanagerConfig resources merged into "
                                                   "the routing as the operator merges them, e.g. monitoring/amc/*.yaml")
    slos: list[FilePattern] = Field([], description="sloth (prometheus/v1) or OpenSLO v1 SLO files")
    severity_labels: dict[str, Id] = Field({}, description="the rules' severity label values and the severities they mean, e.g. {critical: sev1}")


class Monitor(Model):
    sources: Sources | None = None
    logs: Tool
    metrics: Tool
    tracing: Tool | None = None
    dashboards: list[Dashboard] = []
    uptime_checks: list[UptimeCheck] = []
    slos: list[Slo] = []
    alerts: list[Alert] = []
    quality_signals: list[QualitySignal] = []


class SeverityLevel(Item):
    id: Id
    name: Text
    description: Text
    postmortem: Literal["required", "optional"]
    aliases: list[Text] = Field([], description="what other tools call this level: a PagerDuty priority or urgency, an "
                                                "incident.io severity")


class EscalationStep(Item):
    after: Duration
    to: Text


class Fix(Model):
    severity_levels: list[SeverityLevel] = Field(min_length=1)
    escalation: list[EscalationStep] = []


class BacklogItem(Item):
    id: Id
    title: Text
    evidence: Inline
    expected_impact: Inline
    status: Literal["planned", "in-progress", "done", "dropped"]
    incident: Id | None = None


class Improve(Model):
    review_cadence: Text
    backlog: list[BacklogItem] = []


class Cost(Item):
    item: Text
    monthly: Money
    target: Money | None = None


class AiUsage(Item):
    provider: Text
    model: Text
    monthly_requests: Count | None = None
    monthly_cost: Money
    budget: Money | None = None


class OptimizeAction(Item):
    title: Text
    expected_saving: Money | None = None
    status: Literal["planned", "in-progress", "done", "dropped"]


class Optimize(Model):
    costs: list[Cost] = []
    ai_usage: list[AiUsage] = []
    actions: list[OptimizeAction] = []


class Operate(Model):
    monitor: Monitor
    fix: Fix
    improve: Improve
    optimize: Optimize


class Retainer(Model):
    monthly_fee: Money
    included_hours: Count
    rollover: Literal["none", "next-month"] = "none"


class Coverage(Model):
    hours: Text
    timezone: Timezone


class ResponseWindow(Item):
    severity: Id
    response: Duration
    coverage: Text | None = None


class Terms(Model):
    model: Literal["retainer", "hourly"]
    currency: Text | None = Field(None, description=N_("default: the currency of site.yaml"))
    hourly_rate: Money | None = Field(None, description=N_("required for hourly; the overage rate for a retainer"))
    retainer: Retainer | None = None
    coverage: Coverage
    response_windows: list[ResponseWindow] = Field(min_length=1)
    reporting: Text
    notice_period: Duration
    review: Markdown | None = None


class Engagement(Model):
    """engagements/<id>/engagement.yaml"""

    schema_version: SchemaVersion
    status: Literal["draft", "active"] = Field("active", description="'draft' allows TODO placeholders and shows a draft banner")
    title: Text | None = Field(None, description='default: "<client> — <system>"')
    language: LanguageTag | None = Field(None, description="the language of this client's pages and handover (default: site.yaml's)")
    clock: Literal["24h", "12h"] | None = Field(None, description="how times of day are written for this client (default: site.yaml's, else 24h)")
    client: Client
    provider: Provider = Provider()
    system: System
    period: Period
    internal_notes: Markdown | None = Field(None, description="never shown in a client build")
    operate: Operate
    terms: Terms
    runbooks: RunbookPolicy = Field(RunbookPolicy(), description="overrides site.yaml's runbooks settings for this client")
    publish: Publish = Field(Publish(), description="overrides site.yaml's publish settings for this client")
    handover: Handover | None = Field(None, description="what the client's operations team receives: RACI, maintenance, "
                                                        "backups, known issues, access, scope, sessions, acceptance")
