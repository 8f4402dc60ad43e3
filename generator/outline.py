"""Compute: the blank Operate Template, walked from the operate plan's models."""

from __future__ import annotations

import typing
from dataclasses import dataclass

from .model import inner_model
from .model.engagement import Operate, Terms

SECTIONS = [
    ("O1 — Monitor", "monitor", "What we watch, where, and what wakes someone up."),
    ("O2 — Fix", "fix", "How incidents are classified and who is called, in what order."),
    ("O3 — Improve", "improve", "What we will make better, and the evidence for it."),
    ("O4 — Optimize", "optimize", "What the system costs, and how we will lower it."),
]


@dataclass(frozen=True)
class Column:
    name: str
    guide: str


@dataclass(frozen=True)
class Part:
    title: str
    description: str | None
    columns: list[Column]
    guide: str


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    parts: list[Part]


def _guide(name: str, info) -> str:
    text = info.description or name.replace("_", " ")
    required = "" if not info.is_required() else " (required)"
    return f"… {text}{required}"


def _part(name: str, info) -> Part:
    title = name.replace("_", " ").capitalize()
    annotation = info.annotation
    inner = inner_model(annotation)
    is_list = typing.get_origin(annotation) is list or any(typing.get_origin(a) is list for a in typing.get_args(annotation))
    if inner is None:
        return Part(title, info.description, [], _guide(name, info))
    fields = [(n, f) for n, f in inner.model_fields.items() if n != "visibility"]
    columns = [Column(n, _guide(n, f)) for n, f in fields]
    description = info.description or ("One row per item." if is_list else None)
    return Part(title, description, columns, "")


def operate_outline() -> list[Section]:
    """Every section of the operate plan, and the engagement terms, with placeholder guidance."""
    sections = []
    for title, key, intro in SECTIONS:
        model = inner_model(Operate.model_fields[key].annotation)
        # The client's monitoring files (`sources`) are set up once, not a part of the plan to fill in.
        sections.append(Section(title, intro, [_part(n, f) for n, f in model.model_fields.items() if n != "sources"]))
    sections.append(Section("Engagement terms", "How the client buys Operate: the model, the hours, the response windows.",
                            [_part(n, f) for n, f in Terms.model_fields.items()]))
    return sections
