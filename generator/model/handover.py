"""Model: the handover section of engagement.yaml: who does what, maintenance, backups, known issues, access,
scope, knowledge transfer and acceptance. Every list item may be `visibility: internal`."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema

from .types import TEXT_SCHEMA, Date, Id, Inline, Item, Model, Text, Timezone


class Responsibility(Item):
    activity: Text
    responsible: Text
    accountable: Text
    consulted: list[Text] = []
    informed: list[Text] = []


class MaintenanceWindow(Item):
    when: Text = Field(description="e.g. 'Tuesdays 06:00-07:00'")
    timezone: Timezone
    what: Text


class Backup(Item):
    what: Text
    how: Text
    retention: Text
    restore_tested: Date | None = Field(None, description="the day a restore from it was last tested")
    runbook: Id | None = Field(None, description="the runbook that restores it")


class KnownIssue(Item):
    issue: Inline
    workaround: Inline
    ticket: Text | None = None


class Access(Item):
    system: Text
    how: Text = Field(description="how to get access, never a secret itself")
    owner: Text


class OutOfScope(Item):
    item: Text


# A line of text, or {item: ..., visibility: internal}: read as the second either way, so an error has one place.
ScopeItem = Annotated[OutOfScope, BeforeValidator(lambda v: v if isinstance(v, dict) else {"item": v}), WithJsonSchema({"anyOf": [
    TEXT_SCHEMA, {"type": "object", "required": ["item"], "additionalProperties": False,
                  "properties": {"item": TEXT_SCHEMA, "visibility": {"enum": ["client", "internal"]}}}]})]


class Session(Item):
    date: Date
    topic: Text
    attendees: list[Text] = []


class Acceptance(Item):
    version: Text
    date: Date
    accepted_by: Text
    notes: Text | None = None


class Handover(Model):
    """engagement.yaml's `handover:`: what the client's operations team receives."""

    version: Text | None = Field(None, description="this handover's version; the checklist wants an acceptance of it "
                                                   "(default: the latest accepted)")
    responsibilities: list[Responsibility] = []
    maintenance_windows: list[MaintenanceWindow] = []
    backups: list[Backup] = []
    known_issues: list[KnownIssue] = []
    access: list[Access] = []
    out_of_scope: list[ScopeItem] = Field([], description="text, or {item: ..., visibility: internal}")
    knowledge_transfer: list[Session] = []
    acceptance: list[Acceptance] = []

    def latest_acceptance(self) -> Acceptance | None:
        return max(self.acceptance, key=lambda a: a.date, default=None)
