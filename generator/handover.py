"""Compute: how complete an engagement's handover is. Each check is a message (translated where it is shown),
whether it holds, and what is missing, from the data alone and as of one date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .i18n import N_
from .model import EngagementData

FRESH = timedelta(days=180)  # a restore test or a runbook test older than this is due again

# The handover's parts in the order the page and the export show them: the key in engagement.yaml, and the check
# that it is there.
HANDOVER_PARTS = (
    ("responsibilities", N_("Responsibilities recorded")),
    ("maintenance_windows", N_("Maintenance windows recorded")),
    ("backups", N_("Backups and restores recorded")),
    ("known_issues", N_("Known issues recorded")),
    ("access", N_("Access recorded")),
    ("out_of_scope", N_("Out of scope recorded")),
    ("knowledge_transfer", N_("Knowledge transfer recorded")),
    ("acceptance", N_("Acceptance recorded")),
)


@dataclass(frozen=True)
class Check:
    message: str  # what must hold, with %(name)s placeholders filled from `values`
    ok: bool
    missing: tuple[tuple[str, date | None | str], ...] = ()  # what is missing: a name, and its date (None: never; "": none applies)
    values: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """The check in English, as `opsdocs check --handover` prints it."""
        return self.message % dict(self.values)


@dataclass(frozen=True)
class Checklist:
    checks: tuple[Check, ...]

    @property
    def done(self) -> int:
        return sum(1 for c in self.checks if c.ok)

    @property
    def share(self) -> float:
        return self.done / len(self.checks)

    @property
    def complete(self) -> bool:
        return all(c.ok for c in self.checks)


def current_version(data: EngagementData) -> str | None:
    """The handover's version: as written, else the latest accepted one."""
    handover = data.engagement.handover
    if handover is None:
        return None
    latest = handover.latest_acceptance()
    return handover.version or (latest.version if latest else None)


def handover_checklist(data: EngagementData, insights) -> Checklist:
    """Every check of the handover, from the engagement and its other figures (`compute.Insights`)."""
    handover, as_of, alerts = data.engagement.handover, insights.as_of, insights.alerts
    checks = [Check(message, bool(handover and getattr(handover, key))) for key, message in HANDOVER_PARTS]
    top = [level.id for level in data.engagement.operate.fix.severity_levels[:2]]
    unanswered = tuple((name, "") for name in sorted({a.name for a in alerts if a.severity in top and not (a.runbook or a.runbook_url)}))
    checks.append(Check(N_("Every %(severities)s alert has a runbook"), not unanswered, unanswered,
                        (("severities", "/".join(top)),)))
    stale = tuple((b.what, b.restore_tested) for b in (handover.backups if handover else [])
                  if b.restore_tested is None or as_of - b.restore_tested > FRESH)
    checks.append(Check(N_("Every backup restore-tested within 180 days"), not stale, stale))
    untested = tuple((data.runbooks[rid].title, tested) for rid, tested in insights.findings.runbooks_untested)
    checks.append(Check(N_("Every runbook tested within 180 days"), not untested, untested))
    late = tuple((str(entry.item.do), entry.item.due) for entry in insights.overdue_actions)
    checks.append(Check(N_("No open action item overdue"), not late, late))
    version = current_version(data)
    accepted = bool(handover and version and any(a.version == version for a in handover.acceptance))
    checks.append(Check(N_("An acceptance of the current version (%(version)s)"), accepted,
                        () if accepted else ((version or "—", ""),), (("version", version or "—"),)))
    return Checklist(tuple(checks))
