"""Compute: every figure pinned on cases worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from generator.alerting import alert_views
from generator.compute import (
    action_ledger,
    allowed_downtime,
    elapsed,
    engagement_costs,
    incident_figures,
    incidents_per_month,
    newest_date,
    slo_budgets,
)
from generator.findings import KINDS, findings
from generator.i18n import language
from generator.model import EngagementData
from generator.model.engagement import Engagement, Slo
from generator.model.incident import Incident
from generator.parse import load_yaml
from generator.pipeline import read_content
from generator.project import Project
from generator.render import response_verdict

EN = language("en")
format_duration, format_percent = EN.duration, EN.percent
from tests.conftest import EXAMPLE, ROOT

ENGAGEMENT = Engagement.model_validate(load_yaml(EXAMPLE / "engagements/kestrel-shop/engagement.yaml", "e").data)


def incident(**changes) -> Incident:
    base = {
        "title": "t", "severity": "sev2", "status": "complete", "authors": ["a"], "date": "2026-07-19",
        "timezone": "Europe/Berlin",
        "started_at": "2026-07-19T23:30:00+02:00", "detected_at": "2026-07-19T23:40:00+02:00",
        "acknowledged_at": "2026-07-19T23:50:00+02:00", "mitigated_at": "2026-07-20T00:20:00+02:00",
        "resolved_at": "2026-07-20T01:10:00+02:00",
        "summary": "s", "impact": "i", "root_causes": ["r"], "trigger": "t", "resolution": "r", "detection": "d",
    }
    base.update(changes)
    return Incident.model_validate({k: v for k, v in base.items() if v is not None})


def test_an_incident_that_crosses_midnight() -> None:
    f = incident_figures(incident(), ENGAGEMENT)
    assert f.time_to_detect == timedelta(minutes=10)
    assert f.time_to_acknowledge == timedelta(minutes=10)
    assert f.time_to_mitigate == timedelta(minutes=50)
    assert f.time_to_resolve == timedelta(hours=1, minutes=40)
    assert f.impact == timedelta(minutes=50)
    assert format_duration(f.time_to_resolve) == "1 hr 40 min"


def test_a_dst_change_inside_the_incident_counts_real_time() -> None:
    # Europe/Berlin moves from 02:00 CET to 03:00 CEST on 29 March 2026: 01:30 → 03:30 is one hour.
    i = incident(
        date="2026-03-29", started_at="2026-03-29T01:30:00+01:00", detected_at="2026-03-29T01:35:00+01:00",
        acknowledged_at="2026-03-29T01:40:00+01:00", mitigated_at="2026-03-29T03:10:00+02:00",
        resolved_at="2026-03-29T03:30:00+02:00",
        timeline=[{"at": "01:30", "event": "start"}, {"at": "03:30", "event": "end"}],
    )
    f = incident_figures(i, ENGAGEMENT)
    assert f.time_to_resolve == timedelta(hours=1)
    assert f.time_to_mitigate == timedelta(minutes=40)
    first, last = i.timeline_moments()
    assert (first.utcoffset(), last.utcoffset()) == (timedelta(hours=1), timedelta(hours=2))
    assert elapsed(first, last) == timedelta(hours=1)  # wall clock says 2 h; real time is 1 h


def test_error_budget_99_9_over_30_days() -> None:
    slo = Slo(id="a", name="A", sli="x", objective="99.9", window="30d")
    assert allowed_downtime(slo) == timedelta(minutes=43, seconds=12)
    assert format_duration(allowed_downtime(slo)) == "43 min 12 sec"


def test_error_budget_99_99_over_7_days() -> None:
    slo = Slo(id="a", name="A", sli="x", objective="99.99%", window="7d")
    assert allowed_downtime(slo) == timedelta(seconds=60, milliseconds=480)
    assert format_duration(allowed_downtime(slo)) == "1 min"


def test_budget_share_of_the_example_outage() -> None:
    # 46 min of impact (09:12 → 09:58) against 43 min 12 s of budget: 106.5 %.
    content = read_content(Project(ROOT, EXAMPLE)).content
    data = content.engagements["kestrel-shop"]
    f = incident_figures(data.incidents["2026-03-14-checkout-outage"], data.engagement)
    assert f.impact == timedelta(minutes=46)
    assert f.budget_share == pytest.approx(46 / 43.2)
    assert format_percent(f.budget_share) == "106%"


def test_window_total_counts_only_incidents_in_the_window() -> None:
    content = read_content(Project(ROOT, EXAMPLE)).content
    data = content.engagements["kestrel-shop"]
    budgets = {b.slo.id: b for b in slo_budgets(data, date(2026, 10, 3))}
    checkout = budgets["checkout-availability"]
    # Only the 3 October incident (11:02 → 11:34 mitigated, 32 min) is in the 30 days up to 3 October.
    assert [u.incident_id for u in checkout.uses] == ["2026-10-03-payment-webhook-backlog"]
    assert checkout.spent == timedelta(minutes=32)
    assert checkout.spent_share == pytest.approx(32 / 43.2)
    assert budgets["advisor-latency"].uses == []


def test_response_window_met_and_missed() -> None:
    met = incident_figures(incident(), ENGAGEMENT).response  # sev2, 4 h window, 10 min taken
    assert (met.met, met.margin) == (True, timedelta(hours=3, minutes=50))
    late = incident_figures(incident(acknowledged_at="2026-07-20T04:35:00+02:00", mitigated_at=None,
                                     resolved_at="2026-07-20T05:00:00+02:00"), ENGAGEMENT).response
    assert late.taken == timedelta(hours=4, minutes=55)
    assert late.met is False and late.margin == -timedelta(minutes=55)
    assert response_verdict(EN, late) == "**missed by 55 min** (4 hr)"


def test_an_incident_with_no_acknowledgement() -> None:
    f = incident_figures(incident(acknowledged_at=None), ENGAGEMENT)
    assert f.time_to_acknowledge is None
    assert f.response.met is None and f.response.margin is None
    assert response_verdict(EN, f.response) == "not recorded"


def test_action_items_overdue_as_of_a_date() -> None:
    items = [
        {"do": "late", "type": "prevent", "owner": "o", "due": "2026-09-30", "status": "open"},
        {"do": "late but done", "type": "prevent", "owner": "o", "due": "2026-09-01", "status": "done"},
        {"do": "due today", "type": "detect", "owner": "o", "due": "2026-10-03", "status": "in-progress"},
        {"do": "no date", "type": "other", "owner": "o", "status": "open"},
    ]
    data = EngagementData("x", ENGAGEMENT, {}, {"i": incident(action_items=items)})
    ledger = {e.item.do: e for e in action_ledger(data, date(2026, 10, 3))}
    assert ledger["late"].overdue_by == timedelta(days=3)
    assert ledger["late but done"].overdue_by is None
    assert ledger["due today"].overdue_by is None
    assert ledger["no date"].overdue_by is None
    assert [e.item.do for e in action_ledger(data, date(2026, 10, 3))] == ["late", "due today", "no date", "late but done"]


def test_findings_in_the_example_by_kind_most_severe_first() -> None:
    content = read_content(Project(ROOT, EXAMPLE)).content
    data = content.engagements["kestrel-shop"]
    found = findings(data, date(2026, 10, 3), alert_views(data))
    by_kind = {f.kind.key: [(i.page, i.file) if i.page else (i.subject, i.file) for i in f.items] for f in found.kinds}
    # The client's rules add two alerts no runbook answers; OrderExportStalled has a runbook_url elsewhere.
    assert by_kind == {
        "postmortem-missing": [("postmortems/2026-10-03-payment-webhook-backlog.md", None)],
        "no-runbook": [("#alert-checkoutavailabilitybudgetburn", "monitoring/rules/checkout-slo.generated.yaml"),
                       ("#alert-checkoutlatencyhigh", "monitoring/rules/checkout.rules.yaml"),
                       ("Gear Advisor slow", None), ("TLS certificate expires soon", None)],
        "no-burn-rate": [("Gear Advisor answers within 3 s", "monitoring/slos/advisor.openslo.yaml")],
        "runbook-untested": [("runbooks/database-disk-full.md", None), ("runbooks/gear-advisor-fallback.md", None),
                             ("runbooks/order-export-stalled.md", None)],
        "runbook-unused": [("runbooks/gear-advisor-fallback.md", None)],
    }
    assert [f.kind for f in found.kinds] == [k for k in KINDS if k.key in by_kind]  # the order of KINDS
    assert found.count == 10
    assert found.runbooks_untested == (("database-disk-full", date(2025, 11, 20)), ("gear-advisor-fallback", None),
                                       ("order-export-stalled", date(2026, 3, 2)))
    assert found.said()[:2] == ["1 incident lacks its post-mortem", "4 alerts have no runbook"]


def test_the_most_severe_kinds_come_first() -> None:
    """A top-severity alert that pages nobody outranks an alert without a runbook, which outranks an alert that
    reaches only the default receiver."""
    keys = [k.key for k in KINDS]
    assert keys.index("pages-nobody") < keys.index("no-runbook") < keys.index("default-receiver-only")


def test_costs_of_a_retainer_and_an_hourly_engagement() -> None:
    retainer = engagement_costs(ENGAGEMENT, "EUR")
    assert retainer.monthly == Decimal("6890")
    assert retainer.target == Decimal("6050")  # 3500 + 1150 + 900 (no target) + 500
    assert retainer.planned_savings == Decimal("795")  # 700 in progress + 95 planned
    assert retainer.realised_savings == Decimal("260")
    assert retainer.ai_cost == Decimal("328.50") and retainer.ai_budget == Decimal("440")
    assert (retainer.included_hours, retainer.effective_hourly_rate) == (20, Decimal("140.00"))

    hourly_terms = ENGAGEMENT.terms.model_copy(update={"model": "hourly", "retainer": None, "hourly_rate": Decimal("165")})
    hourly = engagement_costs(ENGAGEMENT.model_copy(update={"terms": hourly_terms}), "EUR")
    assert (hourly.included_hours, hourly.effective_hourly_rate) == (None, Decimal("165"))


def test_incidents_per_month_fills_empty_months() -> None:
    content = read_content(Project(ROOT, EXAMPLE)).content
    months, counts = incidents_per_month(content.engagements["kestrel-shop"])
    assert months == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert counts == {"sev1": [1, 0, 0, 0, 0, 0, 0, 0], "sev2": [0, 0, 0, 0, 1, 0, 0, 1], "sev3": [0, 0, 1, 0, 0, 0, 0, 0]}


def test_as_of_defaults_to_the_newest_date_in_the_content() -> None:
    assert newest_date(read_content(Project(ROOT, EXAMPLE)).content) == date(2026, 10, 3)


@pytest.mark.parametrize(
    "delta, tag, text",
    [(timedelta(hours=1, minutes=6), "en", "1 hr 6 min"), (timedelta(seconds=45), "en", "45 sec"),
     (timedelta(days=2, hours=3, minutes=5), "en", "2 days 3 hr"), (timedelta(0), "en", "0 min"),
     (timedelta(hours=1, minutes=28), "de", "1 Std. 28 Min."), (timedelta(days=1, hours=2), "fr", "1\u202fj 2\u202fh"),
     (-timedelta(minutes=55), "de-CH", "−55 Min.")],
)
def test_human_durations_in_each_language(delta: timedelta, tag: str, text: str) -> None:
    assert language(tag).duration(delta) == text
