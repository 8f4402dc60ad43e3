"""Compute: the figures an SRE lead wants from the data. Pure functions, no I/O, no wall clock.

Definitions, stated once and printed on the pages that show them:

- time to detect: started → detected
- time to acknowledge: detected → acknowledged (the response the terms promise)
- time to mitigate: started → mitigated (impact over)
- time to resolve: started → resolved
- impact: started → mitigated, or → resolved when no mitigation was recorded
- error budget: (1 − objective) × window; an incident spends its impact
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from .alerting import alert_views, rule_groups
from .archive import History, history
from .findings import Findings, findings
from .handover import FRESH, handover_checklist
from .model import Content, EngagementData
from .model.engagement import Engagement, Slo
from .model.incident import ActionItem, Incident
from .model.site import Site

OPEN_STATUSES = ("open", "in-progress")


def elapsed(start: datetime | None, end: datetime | None) -> timedelta | None:
    """Real time between two aware datetimes (in UTC, so DST changes count as they happened)."""
    if start is None or end is None:
        return None
    return end.astimezone(timezone.utc) - start.astimezone(timezone.utc)


@dataclass(frozen=True)
class ResponseCheck:
    severity: str
    window: timedelta
    taken: timedelta | None

    @property
    def met(self) -> bool | None:
        return None if self.taken is None else self.taken <= self.window

    @property
    def margin(self) -> timedelta | None:
        """How far inside (positive) or past (negative) the window the acknowledgement came."""
        return None if self.taken is None else self.window - self.taken


@dataclass(frozen=True)
class IncidentFigures:
    time_to_detect: timedelta
    time_to_acknowledge: timedelta | None
    time_to_mitigate: timedelta | None
    time_to_resolve: timedelta
    impact: timedelta
    response: ResponseCheck | None
    budget_share: float | None


def incident_figures(incident: Incident, engagement: Engagement, slos: list[Slo] | None = None) -> IncidentFigures:
    impact_end = incident.mitigated_at or incident.resolved_at
    impact = elapsed(incident.started_at, impact_end)
    window = next((w.response for w in engagement.terms.response_windows if w.severity == incident.severity), None)
    ack = elapsed(incident.detected_at, incident.acknowledged_at)
    response = ResponseCheck(incident.severity, window, ack) if window is not None else None
    slo = next((s for s in (engagement.operate.monitor.slos if slos is None else slos) if s.id == incident.slo), None)
    share = impact / allowed_downtime(slo) if slo else None
    return IncidentFigures(
        time_to_detect=elapsed(incident.started_at, incident.detected_at),
        time_to_acknowledge=ack,
        time_to_mitigate=elapsed(incident.started_at, incident.mitigated_at),
        time_to_resolve=elapsed(incident.started_at, incident.resolved_at),
        impact=impact,
        response=response,
        budget_share=share,
    )


def allowed_downtime(slo: Slo) -> timedelta:
    """The error budget of an SLO over its window: 99.9 % over 30 d allows 43 min 12 s."""
    fraction = (Decimal(100) - Decimal(str(slo.objective))) / Decimal(100)
    return timedelta(microseconds=int(Decimal(slo.window // timedelta(microseconds=1)) * fraction))


@dataclass(frozen=True)
class BudgetUse:
    incident_id: str
    title: str
    impact: timedelta
    share: float


@dataclass(frozen=True)
class SloBudget:
    slo: Slo
    allowed: timedelta
    window_start: datetime
    window_end: datetime
    uses: list[BudgetUse]

    @property
    def spent(self) -> timedelta:
        return sum((u.impact for u in self.uses), timedelta())

    @property
    def spent_share(self) -> float:
        return self.spent / self.allowed if self.allowed else 0.0


def end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=timezone.utc)


def slo_budgets(data: EngagementData, as_of: date) -> list[SloBudget]:
    """For each SLO, the incidents whose impact began in the window ending on `as_of`."""
    end = end_of_day(as_of)
    budgets = []
    for slo in data.slos:
        start = end - slo.window
        allowed = allowed_downtime(slo)
        uses = []
        for iid, incident in sorted(data.incidents.items()):
            began = incident.started_at.astimezone(timezone.utc)
            if incident.slo == slo.id and start <= began < end:
                impact = elapsed(incident.started_at, incident.mitigated_at or incident.resolved_at)
                uses.append(BudgetUse(iid, incident.title, impact, impact / allowed))
        budgets.append(SloBudget(slo, allowed, start, end, uses))
    return budgets


@dataclass(frozen=True)
class LedgerEntry:
    engagement_id: str
    incident_id: str
    incident_title: str
    item: ActionItem
    overdue_by: timedelta | None  # None: not overdue

    @property
    def is_open(self) -> bool:
        return self.item.status in OPEN_STATUSES


def action_ledger(data: EngagementData, as_of: date) -> list[LedgerEntry]:
    """Every action item of every post-mortem, open ones first, then by due date."""
    entries = []
    for iid, incident in sorted(data.incidents.items()):
        for item in incident.action_items:
            overdue = None
            if item.status in OPEN_STATUSES and item.due is not None and item.due < as_of:
                overdue = as_of - item.due
            entries.append(LedgerEntry(data.id, iid, incident.title, item, overdue))
    return sorted(entries, key=lambda e: (not e.is_open, e.item.due or date.max, e.incident_id, e.item.do))


def review_every(data: EngagementData, rid: str, site: Site) -> timedelta:
    """How often a runbook is due for review: its own `review_every`, else the engagement's, else site.yaml's, else FRESH."""
    return data.runbooks[rid].review_every or data.engagement.runbooks.review_every or site.runbooks.review_every or FRESH


def reviews_due(data: EngagementData, as_of: date, site: Site) -> dict[str, date]:
    """The runbooks past their review date on `as_of`, each with the day it fell due: the newer of its last review and
    last test, plus its review cycle. A runbook never reviewed nor tested has no date to count from: it is not listed
    here (the gaps list it as never tested)."""
    due = {}
    for rid, r in sorted(data.runbooks.items()):
        last = max((d for d in (r.last_reviewed, r.last_tested) if d is not None), default=None)
        if last is not None and as_of > (ends := last + review_every(data, rid, site)):
            due[rid] = ends
    return due


@dataclass(frozen=True)
class Costs:
    currency: str
    monthly: Decimal
    target: Decimal
    planned_savings: Decimal
    realised_savings: Decimal
    ai_cost: Decimal
    ai_budget: Decimal | None
    included_hours: int | None
    effective_hourly_rate: Decimal | None


def engagement_costs(engagement: Engagement, default_currency: str) -> Costs:
    opt, terms = engagement.operate.optimize, engagement.terms
    monthly = sum((c.monthly for c in opt.costs), Decimal(0))
    target = sum((c.target if c.target is not None else c.monthly for c in opt.costs), Decimal(0))
    planned = sum((a.expected_saving or 0 for a in opt.actions if a.status in ("planned", "in-progress")), Decimal(0))
    realised = sum((a.expected_saving or 0 for a in opt.actions if a.status == "done"), Decimal(0))
    budgets = [u.budget for u in opt.ai_usage]
    ai_budget = sum(budgets, Decimal(0)) if budgets and all(b is not None for b in budgets) else None
    if terms.model == "retainer" and terms.retainer is not None:
        hours = terms.retainer.included_hours
        rate = (terms.retainer.monthly_fee / hours).quantize(Decimal("0.01")) if hours else None
    else:
        hours, rate = None, terms.hourly_rate
    return Costs(
        currency=terms.currency or default_currency,
        monthly=monthly,
        target=target,
        planned_savings=Decimal(planned),
        realised_savings=Decimal(realised),
        ai_cost=sum((u.monthly_cost for u in opt.ai_usage), Decimal(0)),
        ai_budget=ai_budget,
        included_hours=hours,
        effective_hourly_rate=rate,
    )


def incidents_per_month(data: EngagementData) -> tuple[list[str], dict[str, list[int]]]:
    """Months (YYYY-MM, every month from the first incident to the last) and counts per severity."""
    if not data.incidents:
        return [], {}
    months_seen = Counter((i.date.strftime("%Y-%m"), i.severity) for i in data.incidents.values())
    first = min(i.date for i in data.incidents.values()).replace(day=1)
    last = max(i.date for i in data.incidents.values()).replace(day=1)
    months = []
    current = first
    while current <= last:
        months.append(current.strftime("%Y-%m"))
        current = (current + timedelta(days=32)).replace(day=1)
    severities = [s.id for s in data.engagement.operate.fix.severity_levels]
    return months, {s: [months_seen[(m, s)] for m in months] for s in severities}


def newest_date(content: Content) -> date | None:
    """The date of the newest thing that happened in any engagement."""
    return max((d for data in content.engagements.values() if (d := engagement_newest_date(data))), default=None)


def engagement_newest_date(data: EngagementData) -> date | None:
    """The date of the newest thing that happened in one engagement: an incident resolved or a runbook tested."""
    dates = [incident.resolved_at.astimezone(ZoneInfo(incident.timezone)).date() for incident in data.incidents.values()]
    dates.extend(r.last_tested for r in data.runbooks.values() if r.last_tested)
    return max(dates, default=None)


@dataclass(frozen=True)
class Insights:
    """Everything computed for one engagement, as of one date."""

    as_of: date
    incidents: dict[str, IncidentFigures]
    budgets: list[SloBudget]
    ledger: list[LedgerEntry]
    findings: Findings
    costs: Costs
    months: list[str] = field(default_factory=list)
    per_month: dict[str, list[int]] = field(default_factory=dict)
    alerts: list = field(default_factory=list)  # alerting.AlertView: every alert, with its runbook and receivers
    checklist: Any = None  # handover.Checklist: how complete the handover is
    reviews_due: dict[str, date] = field(default_factory=dict)  # runbook id → the day its review fell due
    history: History | None = None  # the post-mortems: recent ones, earlier years, quarters

    @property
    def rule_groups(self) -> list:
        """alerting.RuleGroup: the alerts of the client's rule files, by file and rule group."""
        return rule_groups(self.alerts)

    @property
    def open_actions(self) -> list[LedgerEntry]:
        return [e for e in self.ledger if e.is_open]

    @property
    def overdue_actions(self) -> list[LedgerEntry]:
        return [e for e in self.ledger if e.overdue_by is not None]

    @property
    def median_time_to_resolve(self) -> timedelta | None:
        values = sorted(f.time_to_resolve for f in self.incidents.values())
        return statistics.median(values) if values else None

    @property
    def missed_responses(self) -> int:
        return sum(1 for f in self.incidents.values() if f.response and f.response.met is False)


def engagement_insights(data: EngagementData, as_of: date, site: Site) -> Insights:
    months, per_month = incidents_per_month(data)
    slos, views = data.slos, alert_views(data)  # each worked out once: several figures use them
    insights = Insights(
        as_of=as_of,
        incidents={iid: incident_figures(i, data.engagement, slos) for iid, i in sorted(data.incidents.items())},
        budgets=slo_budgets(data, as_of),
        ledger=action_ledger(data, as_of),
        findings=findings(data, as_of, views),
        costs=engagement_costs(data.engagement, site.currency),
        months=months,
        per_month=per_month,
        alerts=views,
        reviews_due=reviews_due(data, as_of, site),
    )
    insights = replace(insights, history=history(data, insights.incidents, as_of, site.postmortems.recent))
    return replace(insights, checklist=handover_checklist(data, insights))  # the checklist reads the other figures


@dataclass(frozen=True)
class EngagementSummary:
    """One engagement's line on the home page and the portfolio: small, so it can be cached."""

    id: str
    title: str
    client: str
    system: str
    start: date
    end: date | None
    model: str
    incidents: int
    median_time_to_resolve: timedelta | None
    missed_responses: int
    worst_budget_share: float | None
    open_actions: int
    overdue_actions: int
    handover_share: float = 0.0  # the share of the handover checklist that holds
    reviews_due: tuple[tuple[str, str, date], ...] = ()  # runbooks past their review date: id, title, the day it fell due
    # The findings by kind, most severe first: ngettext's singular and plural of the kind's count, and the count.
    findings: tuple[tuple[str, str, int], ...] = ()
    top_severity: str = ""  # what %(severity)s names in them


def summarise(data: EngagementData, insights: Insights) -> EngagementSummary:
    e = data.engagement
    return EngagementSummary(
        id=data.id, title=data.title, client=e.client.name, system=e.system.name, start=e.period.start, end=e.period.end,
        model=e.terms.model, incidents=len(data.incidents), median_time_to_resolve=insights.median_time_to_resolve,
        missed_responses=insights.missed_responses,
        worst_budget_share=max((b.spent_share for b in insights.budgets), default=None),
        open_actions=len(insights.open_actions), overdue_actions=len(insights.overdue_actions),
        handover_share=insights.checklist.share,
        reviews_due=tuple((rid, data.runbooks[rid].title, due) for rid, due in insights.reviews_due.items()),
        findings=tuple((*f.kind.counted, f.count) for f in insights.findings.kinds), top_severity=insights.findings.severity,
    )
