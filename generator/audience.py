"""Compute: what one audience may see. A client build drops internal notes and internal items."""

from __future__ import annotations

from pydantic import BaseModel

from .model import EngagementData, updated
from .model.kinds import kinds_in
from .model.types import Item


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


def engagement_for(data: EngagementData, audience: str) -> EngagementData:
    """One engagement as `audience` may see it: every document kind of an engagement, filtered."""
    if audience == "internal":
        return data
    changes = {}
    for kind in kinds_in("engagement"):
        held = getattr(data, kind.attr)
        changes[kind.attr] = {k: strip_internal(v) for k, v in held.items()} if kind.many else strip_internal(held)
    return updated(data, **changes)
