"""Compute: mermaid diagrams generated from data (text in, text out, no rendering)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .escape import Safe
from .render import format_duration, mermaid_label


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


def escalation_flowchart(steps: Sequence) -> Safe:
    """Who is called and after how long, the delays on the arrows."""
    lines = ["flowchart LR", '    start(["Incident starts"])']
    previous = "start"
    for i, step in enumerate(steps):
        lines.append(f'    e{i}["{mermaid_label(step.to)}"]')
        lines.append(f'    {previous} -- "{mermaid_label("after " + format_duration(step.after))}" --> e{i}')
        previous = f"e{i}"
    return Safe("\n".join(lines))
