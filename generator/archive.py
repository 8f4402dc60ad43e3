"""Compute: an engagement that has run for years, in the sizes its readers take in.

Five years of a managed service can hold five hundred post-mortems and thousands
of action items. The reader of the post-mortem index wants the recent ones and
what is still open; the rest stays linked and searchable, summarised by year.
The thresholds are here, named once: below them an engagement's pages are as
they always were.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .model import EngagementData

RECENT = timedelta(days=365)  # the post-mortems the index lists in its table (site.yaml postmortems.recent)
LONG_LEDGER = 20  # closed action items past which the ledger lists only the open ones and counts the rest
FULL_HANDOVER = 20  # post-mortems up to which the handover export holds every one in full


@dataclass(frozen=True)
class Period:
    """The post-mortems of one year or quarter, counted."""

    label: str  # 2024, or 2024-Q3
    ids: tuple[str, ...]  # newest first
    per_severity: tuple[tuple[str, int], ...]  # in the engagement's order of severities
    met: int  # response windows met
    measured: int  # post-mortems with a response window and an acknowledgement to measure it by
    done: int  # action items done
    wont_do: int  # action items not to be done


@dataclass(frozen=True)
class History:
    cutoff: date  # post-mortems on or after it are recent
    recent: tuple[str, ...]  # their ids, newest first
    years: tuple[Period, ...]  # the earlier ones by year, newest first
    quarters: tuple[Period, ...]  # every post-mortem by quarter, oldest first (the overview's trend)
    closed: tuple[tuple[str, int, int], ...]  # per recent post-mortem with closed items: id, done, won't do
    done: int = 0  # action items done, of every post-mortem
    wont_do: int = 0

    @property
    def long(self) -> bool:
        """More post-mortems than the recent period holds: the index summarises the earlier ones."""
        return bool(self.years)

    @property
    def long_ledger(self) -> bool:
        """So many closed action items that the ledger lists only the open ones, first, and counts the rest."""
        return self.done + self.wont_do > LONG_LEDGER


def _period(label: str, ids: list[str], data: EngagementData, figures: dict[str, Any], levels: list[str]) -> Period:
    severities = Counter(data.incidents[i].severity for i in ids)
    responses = [figures[i].response for i in ids if figures[i].response and figures[i].response.met is not None]
    items = [item for i in ids for item in data.incidents[i].action_items]
    return Period(label, tuple(ids), tuple((s, severities[s]) for s in levels if severities[s]),
                  sum(1 for r in responses if r.met), len(responses),
                  sum(1 for item in items if item.status == "done"), sum(1 for item in items if item.status == "wont-do"))


def history(data: EngagementData, figures: dict[str, Any], as_of: date, recent: timedelta | None) -> History:
    """The engagement's post-mortems split into recent ones and earlier years, and counted by quarter."""
    levels = [s.id for s in data.engagement.operate.fix.severity_levels]
    levels += sorted({i.severity for i in data.incidents.values()} - set(levels))
    cutoff = as_of - (recent or RECENT)
    newest_first = sorted(data.incidents, key=lambda i: (data.incidents[i].date, i), reverse=True)
    by_year: dict[int, list[str]] = {}
    for iid in newest_first:
        if data.incidents[iid].date < cutoff:
            by_year.setdefault(data.incidents[iid].date.year, []).append(iid)
    by_quarter: dict[str, list[str]] = {}
    for iid in reversed(newest_first):
        day = data.incidents[iid].date
        by_quarter.setdefault(f"{day.year}-Q{(day.month - 1) // 3 + 1}", []).append(iid)
    recent_ids = tuple(i for i in newest_first if data.incidents[i].date >= cutoff)
    closed = []
    for iid in recent_ids:
        statuses = Counter(item.status for item in data.incidents[iid].action_items)
        if statuses["done"] or statuses["wont-do"]:
            closed.append((iid, statuses["done"], statuses["wont-do"]))
    return History(
        cutoff, recent_ids,
        tuple(_period(str(year), ids, data, figures, levels) for year, ids in by_year.items()),
        tuple(_period(label, list(reversed(ids)), data, figures, levels) for label, ids in by_quarter.items()),
        tuple(closed),
        sum(1 for i in data.incidents.values() for item in i.action_items if item.status == "done"),
        sum(1 for i in data.incidents.values() for item in i.action_items if item.status == "wont-do"),
    )


def handover_postmortems(data: EngagementData, as_of: date, choice: str | None) -> set[str] | None:
    """The post-mortems the handover export holds in full (None: every one). `choice`: `all`, `since DATE`,
    `last N`; by default every one of a short engagement, else those since the last accepted handover, else those of
    the last twelve months."""
    if choice == "all" or (choice is None and len(data.incidents) <= FULL_HANDOVER):
        return None
    newest_first = sorted(data.incidents, key=lambda i: (data.incidents[i].date, i), reverse=True)
    if choice and choice.startswith("last "):
        return set(newest_first[: int(choice.split()[1])])
    if choice and choice.startswith("since "):
        since = date.fromisoformat(choice.split()[1])
    else:
        accepted = data.engagement.handover.latest_acceptance() if data.engagement.handover else None
        since = accepted.date if accepted else as_of - RECENT
    return {i for i in newest_first if data.incidents[i].date >= since}
