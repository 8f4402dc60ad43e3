"""Compute: mermaid diagrams generated from data (text in, text out, no rendering)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from .escape import Safe, mermaid_label
from .i18n import N_


def node_id(raw: str, index: int) -> str:
    """A mermaid node id: the data's own short id where it is safe, else a numbered one."""
    return raw if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,30}", raw) and raw.lower() not in {"end", "graph", "subgraph"} else f"n{index}"


def steps_flowchart(steps: Sequence, loop: bool) -> Safe:
    """The phase steps as one left-to-right chain, returning to the start when `loop`."""
    ids = [node_id(step.id, i) for i, step in enumerate(steps)]
    nodes = [f'{i}["{mermaid_label(f"{s.id} {s.name}")}"]' for i, s in zip(ids, steps)]
    lines = ["flowchart LR", "    " + " --> ".join(nodes)]
    if loop and len(ids) > 1:
        lines.append(f"    {ids[-1]} --> {ids[0]}")
    return Safe("\n".join(lines))


def escalation_flowchart(steps: Sequence, lang) -> Safe:
    """Who is called and after how long, the delays on the arrows."""
    starts = mermaid_label(lang.gettext("Incident starts"))
    lines = ["flowchart TD", f'    start(["{starts}"])']
    previous = "start"
    for i, step in enumerate(steps):
        lines.append(f'    e{i}["{mermaid_label(step.to)}"]')
        after = mermaid_label(lang.gettext("after %(delay)s") % {"delay": lang.duration(step.after)})
        lines.append(f'    {previous} -- "{after}" --> e{i}')
        previous = f"e{i}"
    return Safe("\n".join(lines))


GANTT_LABELS = {
    "impact": N_("Impact"), "affected": N_("Users affected"), "response": N_("Response"), "detect": N_("Detect"),
    "acknowledge": N_("Acknowledge"), "mitigate": N_("Mitigate"), "resolve": N_("Resolve"),
}


def task(name: str) -> str:
    """A gantt section or task name: no colon (it ends the name) or `#`/`;` (comments, statement ends)."""
    return re.sub(r"[:#;]", " ", name).strip()


def incident_gantt(incident, figures, lang) -> Safe:
    """The incident's phases on a time axis, in its own time zone."""
    zone = ZoneInfo(incident.timezone)

    def at(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    spans_days = incident.started_at.astimezone(zone).date() != incident.resolved_at.astimezone(zone).date()
    # Translators: a d3 time format for the axis of an incident that spans days (%d day, %m month, %b its name).
    axis = lang.gettext("%d %b %H:%M") if spans_days else "%H:%M"
    name = {key: task(lang.gettext(label)) for key, label in GANTT_LABELS.items()}
    lines = [
        "---",
        "config:",
        "  gantt:",
        "    barHeight: 28",
        "    barGap: 6",
        "    fontSize: 14",
        "    sectionFontSize: 14",
        "    leftPadding: 90",
        "    useWidth: 720",
        "---",
        "gantt",
        "    dateFormat YYYY-MM-DD HH:mm",
        f"    axisFormat {axis}",
        f"    section {name['impact']}",
        f"    {name['affected']} : crit, {at(incident.started_at)}, {at(incident.mitigated_at or incident.resolved_at)}",
        f"    section {name['response']}",
        f"    {name['detect']} : {at(incident.started_at)}, {at(incident.detected_at)}",
    ]
    if incident.acknowledged_at:
        lines.append(f"    {name['acknowledge']} : {at(incident.detected_at)}, {at(incident.acknowledged_at)}")
    start_mitigating = incident.acknowledged_at or incident.detected_at
    if incident.mitigated_at:
        lines.append(f"    {name['mitigate']} : {at(start_mitigating)}, {at(incident.mitigated_at)}")
    lines.append(f"    {name['resolve']} : {at(incident.mitigated_at or start_mitigating)}, {at(incident.resolved_at)}")
    return Safe("\n".join(lines))


def monthly_chart(months: Sequence[str], per_severity: dict[str, list[int]], lang) -> Safe:
    """Incidents per month as stacked bars: each bar is drawn with the total of its severity and
    all that follow, the tallest first, so the shorter ones on top read as a stack."""
    severities = list(per_severity)
    top = max((sum(per_severity[s][i] for s in severities) for i in range(len(months))), default=0)
    axis = mermaid_label(lang.gettext("Incidents"))
    lines = [
        "xychart-beta",
        '    x-axis [' + ", ".join(f'"{m}"' for m in months) + "]",
        f'    y-axis "{axis}" 0 --> {max(top, 1)}',
    ]
    for n in range(len(severities)):
        cumulative = [sum(per_severity[s][i] for s in severities[n:]) for i in range(len(months))]
        lines.append("    bar [" + ", ".join(str(v) for v in cumulative) + "]")
    return Safe("\n".join(lines))


def operate_loop(counts: Sequence[tuple[str, str, str]]) -> Safe:
    """The O1→O4 loop of one engagement, each step with what the data holds for it."""
    lines = ["flowchart LR"]
    ids = []
    for i, (step, name, detail) in enumerate(counts):
        node = node_id(step, i)
        ids.append(node)
        lines.append(f'    {node}["{mermaid_label(f"{step} {name}")}<br/>{mermaid_label(detail)}"]')
    lines.append("    " + " --> ".join(ids) + f" --> {ids[0]}")
    return Safe("\n".join(lines))
