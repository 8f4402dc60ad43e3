"""Compute: the gaps found in an engagement's data, by kind, the most severe kind first.

At the size of a real monitoring stack (kube-prometheus alone has about 140
alerts) one kind of finding can have a hundred items; a reader needs the kinds
and their counts first, and the one that matters most on top: a top-severity
alert that pages nobody outranks an alert without a runbook, which outranks an
alert that reaches only Alertmanager's default receiver. The pages, the loop
diagram and `check --strict` all say the findings in this one order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .alerting import AlertView, chain_gaps
from .handover import FRESH
from .i18n import N_, Np_
from .model import EngagementData


@dataclass(frozen=True)
class FindingKind:
    key: str
    title: str  # a message: the kind, as the findings table names it (%(severity)s: the top severity)
    counted: tuple[str, str]  # the count, as the loop diagram and `check` say it: ngettext's singular and plural (%(num)s)


# Most severe first.
KINDS = (
    FindingKind("pages-nobody", N_("%(severity)s alerts whose route pages nobody, though the terms promise a %(severity)s response window"),
                Np_("%(num)s %(severity)s alert pages nobody", "%(num)s %(severity)s alerts page nobody")),
    FindingKind("postmortem-missing", N_("Incidents without the complete post-mortem their severity requires"),
                Np_("%(num)s incident lacks its post-mortem", "%(num)s incidents lack their post-mortem")),
    FindingKind("no-runbook", N_("Alerts without a runbook"),
                Np_("%(num)s alert has no runbook", "%(num)s alerts have no runbook")),
    FindingKind("runbook-url-broken", N_("Alerts whose runbook_url points to a runbook that does not exist"),
                Np_("%(num)s runbook_url leads nowhere", "%(num)s runbook_urls lead nowhere")),
    FindingKind("silent-receiver", N_("Receivers with no integration: they notify nobody"),
                Np_("%(num)s receiver notifies nobody", "%(num)s receivers notify nobody")),
    FindingKind("no-burn-rate", N_("SLOs without multi-window burn-rate page alerts (14.4× over 1 h and 5 min, 6× over 6 h and 30 min)"),
                Np_("%(num)s SLO has no burn-rate alerts", "%(num)s SLOs have no burn-rate alerts")),
    FindingKind("default-receiver-only", N_("Alerts that reach only Alertmanager's default receiver"),
                Np_("%(num)s alert reaches only the default receiver", "%(num)s alerts reach only the default receiver")),
    FindingKind("runbook-untested", N_("Runbooks not tested in 180 days"),
                Np_("%(num)s runbook not tested in 180 days", "%(num)s runbooks not tested in 180 days")),
    FindingKind("runbook-unused", N_("Runbooks no alert points to"),
                Np_("%(num)s runbook answers no alert", "%(num)s runbooks answer no alert")),
)
KIND = {k.key: k for k in KINDS}


@dataclass(frozen=True)
class Item:
    """One finding: what it is about, and where a reader goes to fix it."""

    subject: str  # an alert, receiver or SLO name, or a runbook's or incident's title
    page: str | None = None  # where the pages show it: a page of the engagement (runbooks/x.md), or a rule's #anchor
    file: str | None = None  # where it is written, relative to the engagement folder
    line: int = 0
    note: str | None = None  # a message with %(name)s placeholders, said after the subject
    values: tuple[tuple[str, object], ...] = ()  # the note's values
    severity: str | None = None  # an alert's


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    items: tuple[Item, ...]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Findings:
    """Every finding of one engagement, one entry per kind found, the most severe kind first."""

    kinds: tuple[Finding, ...]
    severity: str  # the engagement's top severity (what %(severity)s names)
    runbooks_untested: tuple[tuple[str, date | None], ...] = ()  # for the handover checklist: id, last tested

    @property
    def count(self) -> int:
        return sum(f.count for f in self.kinds)

    def said(self) -> list[str]:
        """Each kind with its count, in English, most severe first ('36 sev1 alerts page nobody')."""
        return [f.kind.counted[f.count != 1] % {"num": f.count, "severity": self.severity} for f in self.kinds]


def _alert(view: AlertView) -> Item:
    rule = view.rule
    return Item(view.name, f"#{view.anchor}" if view.anchor else None, rule.file if rule else None, rule.line if rule else 0,
                severity=view.severity)


def findings(data: EngagementData, as_of: date, views: list[AlertView]) -> Findings:
    """The gaps between alerts, runbooks, the people they reach and post-mortems, by kind."""
    found: dict[str, list[Item]] = {k.key: [] for k in KINDS}
    found["no-runbook"] = [_alert(v) for v in views if not v.runbook and not v.runbook_url]
    for gap in chain_gaps(data, views):
        target = gap.kind == "runbook-url-broken"
        found[gap.kind].append(Item(gap.subject, f"#{gap.anchor}" if gap.anchor else None, gap.file, gap.line,
                                    N_("points to %(target)s") if target else None, gap.values if target else ()))
    required = {s.id for s in data.engagement.operate.fix.severity_levels if s.postmortem == "required"}
    for iid, incident in sorted(data.incidents.items()):
        if incident.severity in required and incident.status != "complete":
            found["postmortem-missing"].append(Item(incident.title, f"postmortems/{iid}.md", note=N_("%(severity)s, status: %(status)s"),
                                                    values=(("severity", incident.severity), ("status", incident.status))))
    untested = tuple((rid, r.last_tested) for rid, r in sorted(data.runbooks.items())
                     if r.last_tested is None or as_of - r.last_tested > FRESH)
    found["runbook-untested"] = [Item(data.runbooks[rid].title, f"runbooks/{rid}.md",
                                      note=N_("last tested: %(date)s") if tested else N_("never tested"),
                                      values=(("date", tested),) if tested else ()) for rid, tested in untested]
    answered = {v.runbook for v in views if v.runbook} | {rid for rid, r in data.runbooks.items() if r.alerts}
    found["runbook-unused"] = [Item(r.title, f"runbooks/{rid}.md") for rid, r in sorted(data.runbooks.items()) if rid not in answered]
    levels = data.engagement.operate.fix.severity_levels
    return Findings(tuple(Finding(k, tuple(found[k.key])) for k in KINDS if found[k.key]), levels[0].id if levels else "",
                    untested)
