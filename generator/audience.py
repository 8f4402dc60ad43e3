"""Compute: what one audience may see. A client build drops internal notes and internal items."""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel

from .model import Content
from .model.types import Item

AUDIENCES = ("client", "internal")


def strip_internal(model: BaseModel) -> BaseModel:
    """The same model without `internal_notes` and without list items marked `visibility: internal`."""
    changes = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name == "internal_notes":
            if value is not None:
                changes[name] = None
        elif isinstance(value, BaseModel):
            stripped = strip_internal(value)
            if stripped is not value:
                changes[name] = stripped
        elif isinstance(value, list) and any(isinstance(v, BaseModel) for v in value):
            kept = [strip_internal(v) for v in value if not (isinstance(v, Item) and v.visibility == "internal")]
            if len(kept) != len(value) or any(a is not b for a, b in zip(kept, value)):
                changes[name] = kept
    return model.model_copy(update=changes) if changes else model


def for_audience(content: Content, audience: str) -> Content:
    if audience == "internal":
        return content
    engagements = {
        eid: replace(
            data,
            engagement=strip_internal(data.engagement),
            runbooks={k: strip_internal(v) for k, v in data.runbooks.items()},
            incidents={k: strip_internal(v) for k, v in data.incidents.items()},
        )
        for eid, data in content.engagements.items()
    }
    return replace(content, engagements=engagements)
