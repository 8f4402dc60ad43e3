"""Model: a post-mortem (incidents/<id>.yaml)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field

from .types import AlertRef, AwareMoment, Date, Id, Inline, Item, Markdown, Model, Moment, Text, Timezone


class TimelineEntry(Item):
    at: Moment
    event: Inline


class ActionItem(Item):
    do: Inline
    type: Literal["prevent", "mitigate", "detect", "process", "other"]
    owner: Text
    due: Date | None = None
    status: Literal["open", "in-progress", "done", "wont-do"]
    ticket: Text | None = None


class Responder(Item):
    role: Text = Field(description="e.g. Incident commander, Scribe, Communications, Subject-matter expert")
    name: Text


class Message(Item):
    audience: Literal["internal", "status-page", "customers"] = Field(description="who it was sent to")
    at: Moment | None = Field(None, description="when it was sent: a time of day on the incident's date, or a datetime")
    text: Markdown


class Lessons(Model):
    went_well: list[Inline] = []
    went_wrong: list[Inline] = []
    got_lucky: list[Inline] = []


class Related(Model):
    runbooks: list[Id] = []
    alerts: list[AlertRef] = []


class Incident(Model):
    """engagements/<id>/incidents/<incident-id>.yaml"""

    title: Text
    severity: Id
    status: Literal["draft", "in-review", "complete"]
    authors: list[Text] = Field(min_length=1)
    date: Date
    timezone: Timezone = "UTC"
    started_at: AwareMoment
    detected_at: AwareMoment
    acknowledged_at: AwareMoment | None = None
    mitigated_at: AwareMoment | None = None
    resolved_at: AwareMoment
    slo: Id | None = None
    summary: Markdown
    impact: Markdown
    root_causes: list[Text] = Field(min_length=1)
    trigger: Text
    resolution: Text
    detection: Text
    timeline: list[TimelineEntry] = []
    responders: list[Responder] = Field([], description="who took which role in the response")
    messages: list[Message] = Field([], description="what was sent during the incident, word for word")
    action_items: list[ActionItem] = []
    lessons: Lessons = Lessons()
    related: Related = Related()
    notes: Markdown | None = Field(None, description="anything else worth keeping, as Markdown (an imported post-mortem's sections that fit no key)")
    internal_notes: Markdown | None = Field(None, description="never shown in a client build")

    def moment(self, at: datetime | time) -> datetime:
        """A timeline `at` as an aware datetime: a time of day falls on `date` in `timezone`."""
        zone = ZoneInfo(self.timezone)
        if isinstance(at, time):
            return datetime.combine(self.date, at, tzinfo=zone)
        return at if at.tzinfo else at.replace(tzinfo=zone)

    def timeline_moments(self) -> list[datetime]:
        return [self.moment(entry.at) for entry in self.timeline]
