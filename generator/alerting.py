"""Compute: the chain from alert to person to runbook. Hand-written alerts and the client's alerting rules in
one list, each with its runbook, the receivers Alertmanager would notify, and the gaps in that chain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .i18n import N_
from .model import EngagementData
from .model.kinds import KIND
from .monitoring import RuleAlert
from .routing import Receiver, receivers_for

# A runbook_url annotation that points at an opsdocs runbook page: .../engagements/<id>/runbooks/<rid>[/ | .html | .md]
_RUNBOOK_URL = re.compile(r"/engagements/([a-z0-9][a-z0-9-]*)/" + re.escape(KIND["runbook"].page_folder or "")
                          + r"/([a-z0-9][a-z0-9-]*)(?:/|\.html|\.md)?(?:[#?].*)?$")
BURN_RATE_WINDOWS = ("5m", "1h", "30m", "6h")  # the SRE workbook's page pairs: 14.4x over 1h and 5m, 6x over 6h and 30m


@dataclass(frozen=True)
class AlertView:
    """One alert as the pages show it: written in engagement.yaml, taken from a rule file, or both."""

    key: str  # how runbooks and incidents name it: the alert's id, or the rule's alert name
    name: str
    severity: str | None
    condition: str | None = None  # from engagement.yaml
    rule: RuleAlert | None = None  # from the client's rule files
    runbook: str | None = None  # an opsdocs runbook id
    runbook_url: str | None = None  # a runbook_url annotation that is not an opsdocs runbook
    slo: str | None = None
    notify: tuple[str, ...] = ()
    receivers: tuple[Receiver, ...] = ()
    only_default: bool = False  # Alertmanager would send it to the root route's receiver alone
    names: frozenset[str] = field(default_factory=frozenset)  # every name it answers to
    anchor: str = ""  # a rule's id on the operate page, unique there: alert-<name>, then alert-<name>-2 ...

    @property
    def pages_someone(self) -> bool:
        return any(r.pages for r in self.receivers)


def runbook_of_url(url: str | None, engagement_id: str) -> str | None:
    """The runbook id of a runbook_url that points at this engagement's opsdocs runbook pages."""
    match = _RUNBOOK_URL.search(url or "")
    return match.group(2) if match and match.group(1) == engagement_id else None


def alert_views(data: EngagementData) -> list[AlertView]:
    """Every alert of an engagement: the rules of the client's files (enriched by a hand-written alert of the same
    name), then the hand-written alerts no rule has."""
    monitoring = data.monitoring
    written = list(data.engagement.operate.monitor.alerts)
    answers = {alert: rid for rid, r in sorted(data.runbooks.items()) for alert in r.alerts}
    views: list[AlertView] = []
    enriched: set[str] = set()
    for rule in monitoring.alerts:
        match = next((a for a in written if rule.name in (a.name, a.id)), None)
        names = frozenset({rule.name} | ({match.id, match.name} if match else set()))
        if match:
            enriched.add(match.id)
        from_url = runbook_of_url(rule.runbook_url, data.id)
        runbook = (match.runbook if match and match.runbook else None) or next((answers[n] for n in sorted(names) if n in answers), None) \
            or (from_url if from_url in data.runbooks else None)
        labels = {**rule.labels, "alertname": rule.name}
        receivers = receivers_for(monitoring.route, labels) if monitoring.route else []
        views.append(AlertView(
            key=match.id if match else rule.name, name=rule.name, severity=rule.severity or (match.severity if match else None),
            condition=match.condition if match else None, rule=rule, runbook=runbook,
            runbook_url=None if from_url else rule.runbook_url, slo=match.slo if match else None,
            notify=tuple(match.notify) if match else (),
            receivers=tuple(monitoring.receivers[r] for r in receivers if r in monitoring.receivers),
            only_default=bool(monitoring.route) and receivers == [monitoring.route.receiver], names=names,
        ))
    views = _anchored(views)
    for alert in written:
        if alert.id not in enriched:
            runbook = alert.runbook or answers.get(alert.id) or answers.get(alert.name)
            views.append(AlertView(alert.id, alert.name, alert.severity, alert.condition, None, runbook, None, alert.slo,
                                   tuple(alert.notify), names=frozenset({alert.id, alert.name})))
    return views


def _anchored(views: list[AlertView]) -> list[AlertView]:
    """Each rule's view with its own anchor: the same alert name can stand in several groups (a warning and a
    critical rule of one name, as kube-prometheus writes them)."""
    seen: dict[str, int] = {}
    out = []
    for view in views:
        base = "alert-" + (re.sub(r"[^a-z0-9]+", "-", view.name.lower()).strip("-") or "rule")
        seen[base] = seen.get(base, 0) + 1
        out.append(replace(view, anchor=base if seen[base] == 1 else f"{base}-{seen[base]}"))
    return out


@dataclass(frozen=True)
class RuleGroup:
    """The alerting rules of one rule group, as the client's file groups them."""

    file: str
    name: str
    alerts: tuple[AlertView, ...]


def rule_groups(views: list[AlertView]) -> list[RuleGroup]:
    """The views of rules, by file and rule group, in the order the files and groups come."""
    groups: dict[tuple[str, str], list[AlertView]] = {}
    for view in views:
        if view.rule:
            groups.setdefault((view.rule.file, view.rule.group), []).append(view)
    return [RuleGroup(file, name, tuple(alerts)) for (file, name), alerts in groups.items()]


@dataclass(frozen=True)
class ChainGap:
    """A link missing between an alert, the person it reaches and the runbook they follow."""

    message: str  # a message (translated where it is shown) naming the gap, with %(name)s placeholders
    subject: str  # the alert, receiver or SLO it is about
    file: str | None = None  # where it is written, relative to the engagement folder
    line: int = 0
    values: tuple[tuple[str, str], ...] = ()  # the placeholders' values
    kind: str = ""  # its kind among the findings (findings.KINDS)
    anchor: str = ""  # the alert's rule on the operate page, for a gap about one

    @property
    def what(self) -> str:
        """The gap in English, as `check` reports it after the subject."""
        text = self.message % dict(self.values)
        return text[0].lower() + text[1:]


def chain_gaps(data: EngagementData, views: list[AlertView] | None = None) -> list[ChainGap]:
    """Where the chain breaks; `views` are the engagement's alert views when the caller has them already."""
    monitoring = data.monitoring
    views = alert_views(data) if views is None else views
    gaps: list[ChainGap] = []
    windows = {w.severity for w in data.engagement.terms.response_windows}
    top = data.engagement.operate.fix.severity_levels[0].id if data.engagement.operate.fix.severity_levels else None
    for view in views:
        where = (view.rule.file, view.rule.line) if view.rule else (None, 0)
        target = runbook_of_url(view.rule.runbook_url if view.rule else None, data.id)
        if target and target not in data.runbooks:
            gaps.append(ChainGap(N_("Its runbook_url points to a runbook that does not exist (%(target)s)"), view.name, *where,
                                 (("target", target),), "runbook-url-broken", view.anchor))
        if view.rule and monitoring.route is not None:
            if view.only_default:
                gaps.append(ChainGap(N_("Reaches only Alertmanager's default receiver"), view.name, *where, kind="default-receiver-only",
                                     anchor=view.anchor))
            if view.severity == top and top in windows and not view.pages_someone:
                gaps.append(ChainGap(N_("A %(severity)s alert whose route pages nobody, though the terms promise a %(severity)s response window"),
                                     view.name, *where, (("severity", top),), "pages-nobody", view.anchor))
    for name, receiver in sorted(monitoring.receivers.items()):
        if not receiver.integrations:
            gaps.append(ChainGap(N_("A receiver with no integration: it notifies nobody"), name, receiver.file or monitoring.alertmanager, receiver.line,
                                 kind="silent-receiver"))
    for slo in monitoring.slos:
        if not _has_burn_rate_pages(slo.id, monitoring.alerts):
            gaps.append(ChainGap(N_("An SLO without multi-window burn-rate page alerts (14.4× over 1 h and 5 min, 6× over 6 h and 30 min)"),
                                 slo.name, slo.file, slo.line, kind="no-burn-rate"))
    return gaps


def _has_burn_rate_pages(slo: str, rules: tuple[RuleAlert, ...]) -> bool:
    """An alert of this SLO (sloth's `sloth_slo` label, or a `slo` label) that pages on both burn-rate window pairs."""
    for rule in rules:
        if slo not in (rule.labels.get("sloth_slo"), rule.labels.get("slo")):
            continue
        windows = set(re.findall(r"\[?(?:rate|ratio_rate)(\d+[mh])", rule.expr)) | set(re.findall(r"\[(\d+[mh])\]", rule.expr))
        if "14.4" in rule.expr and all(w in windows for w in BURN_RATE_WINDOWS):
            return True
    return False
