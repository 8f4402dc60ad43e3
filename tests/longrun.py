"""An engagement that has run for five years: the example's Kestrel Shop with 500 post-mortems instead of four.

`long_history(content)` adds to the example engagement's four post-mortems 496
made from one of them, one every three or four days from October 2021 to
October 2026 (500 in all), sev1 one time in ten, sev2 four in ten, nine
action items each, all closed but one of each of the three newest (due over
the last weeks: overdue), like a managed-service contract renewed several
times.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

NEWEST = date(2026, 10, 3)
COUNT = 496  # and the example's own four: 500
SPAN = timedelta(days=5 * 365)


def _items(k: int, day: date) -> str:
    lines = ["action_items:"]
    for n in range(9):
        status = "open" if k < 3 and n == 0 else ("wont-do" if n == 8 and k % 4 == 0 else "done")
        due = NEWEST + timedelta(days=(k * 7 + n * 5) - 20) if status == "open" else day + timedelta(days=14 + n)
        lines.append(f"  - {{do: Follow-up {n + 1} of review {COUNT - k}, type: prevent, owner: Team {n % 3 + 1}, "
                     f"due: {due.isoformat()}, status: {status}}}")
    return "\n".join(lines) + "\n"


def long_history(content: Path) -> list[str]:
    """Add the post-mortems; returns every incident id of the engagement."""
    folder = content / "engagements/kestrel-shop/incidents"
    template = (folder / "2026-03-14-checkout-outage.yaml").read_text(encoding="utf-8")
    head, rest = template.split("action_items:\n", 1)
    tail = rest[rest.index("lessons:"):]
    ids = []
    for k in range(COUNT):
        day = NEWEST - SPAN * k / (COUNT - 1)
        severity = "sev1" if k % 10 == 0 else ("sev2" if k % 10 < 5 else "sev3")
        iid = f"{day.isoformat()}-review-{COUNT - k:03d}"
        text = head.replace("2026-03-14", day.isoformat())
        text = re.sub(r"^severity: sev1$", f"severity: {severity}", text, flags=re.M)
        text = text.replace("title: Checkout outage after payment certificate rotation",
                            f"title: Review {COUNT - k} of a checkout incident")
        (folder / f"{iid}.yaml").write_text(text + _items(k, day) + tail, encoding="utf-8")
        ids.append(iid)
    return sorted(p.stem for p in folder.glob("*.yaml"))
