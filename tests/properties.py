"""Hypothesis strategies for the property tests: random valid engagements, random invalid edits."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from hypothesis import strategies as st
from pydantic import BaseModel

from generator.links import unsafe_urls
from generator.model.engagement import Engagement
from generator.model.incident import Incident
from generator.model.runbook import Runbook
from tests.hostile import rewrite_texts

# What the property tests covered, printed at the end of the run (see conftest).
COVERAGE: Counter = Counter()

# Any Unicode except surrogates and control characters, with Markdown/MDX/HTML punctuation made likely.
_chars = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(list("<>{}|`*_#[]:!&\\~-.()\"'") + ["\n"])
# Valid text: not blank, no TODO placeholder (a draft's alone), no link a reader could not safely follow.
TEXT = st.text(_chars, min_size=1, max_size=30).filter(
    lambda s: s.strip() != "" and not re.search(r"\bTODO\b", s) and not (":" in s and unsafe_urls(s)))


def _record(value: str) -> None:
    COVERAGE["text values"] += 1
    for ch in set(value):
        COVERAGE[f"category {unicodedata.category(ch)}"] += 1


def fill(draw, data: dict, model: type[BaseModel]) -> dict:
    """The same document with every text field drawn at random, and random lengths for lists without ids."""

    def text(kind: str) -> str:
        value = draw(TEXT)
        _record(value)
        return value

    def shorten(items: list, inner, info) -> list:
        minimum = next((m.min_length for m in info.metadata if hasattr(m, "min_length")), 0) or 0
        if inner is None:  # a list of text: a random length
            return [None] * draw(st.integers(min_value=minimum, max_value=4))
        if {"id", "severity"} & set(inner.model_fields) or not items:  # items that ids point at, or one per severity
            return items
        return items[: draw(st.integers(min_value=minimum, max_value=len(items)))]

    return rewrite_texts(data, model, text, shorten)


@st.composite
def engagement_tree(draw, example: dict):
    """Raw documents of one engagement: the example's shape, random text, random counts of files."""
    runbooks = sorted(example["runbooks"])
    incidents = sorted(example["incidents"])
    keep_runbooks = draw(st.lists(st.sampled_from(runbooks), unique=True, max_size=len(runbooks))) if runbooks else []
    keep_incidents = draw(st.lists(st.sampled_from(incidents), unique=True, max_size=len(incidents))) if incidents else []
    COVERAGE["engagements"] += 1
    COVERAGE["runbooks"] += len(keep_runbooks)
    COVERAGE["post-mortems"] += len(keep_incidents)
    engagement = fill(draw, example["engagement"], Engagement)
    for alert in engagement["operate"]["monitor"]["alerts"]:
        if alert.get("runbook") not in keep_runbooks:
            alert.pop("runbook", None)
    for item in engagement["operate"]["improve"]["backlog"]:
        if item.get("incident") not in keep_incidents:
            item.pop("incident", None)
    tree = {"engagement": engagement, "runbooks": {}, "incidents": {}}
    for rid in keep_runbooks:
        runbook = fill(draw, example["runbooks"][rid], Runbook)
        runbook.pop("service", None)  # a component name, itself drawn at random
        tree["runbooks"][rid] = runbook
    for iid in keep_incidents:
        incident = fill(draw, example["incidents"][iid], Incident)
        incident["related"] = {
            "runbooks": [r for r in incident.get("related", {}).get("runbooks", []) if r in keep_runbooks],
            "alerts": incident.get("related", {}).get("alerts", []),
        }
        tree["incidents"][iid] = incident
    return tree


TYPED_KEYS = ("date", "started_at", "detected_at", "last_tested", "window", "retention", "interval", "objective",
              "severity", "runbook", "slo", "due", "response", "notice_period", "monthly_fee", "included_hours",
              "schema_version", "status", "model", "incident")
EDITS = ("rename-key", "duplicate-key", "break-typed-value", "unclosed-flow")


