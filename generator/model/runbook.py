"""Model: a runbook (runbooks/<id>.yaml): symptoms and the steps that answer them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .types import AlertRef, Date, Duration, Id, Inline, Markdown, Model, Text

SHELLS = ("bash", "sh")  # a `run` in one of these is checked with `bash -n` and ShellCheck


class Step(Model):
    do: Inline
    run: Text | None = Field(None, description="a command, shown as a code block")
    lang: Id = Field("bash", description="the language of `run`: bash (the default) or sh are checked with bash -n and "
                                         "ShellCheck, promql with promtool; any other (python, sql, console) is shown as is")
    expect: Inline | None = None


class Steps(Model):
    diagnose: list[Step] = Field(min_length=1)
    mitigate: list[Step] = Field(min_length=1)
    verify: list[Step] = Field(min_length=1)
    rollback: list[Step] = []


class Escalate(Model):
    after: Duration
    to: Text


class Runbook(Model):
    """engagements/<id>/runbooks/<runbook-id>.yaml"""

    title: Text
    status: Literal["draft", "active"] = Field("active", description="'draft' allows TODO placeholders and shows a draft banner")
    summary: Markdown
    service: Text | None = Field(None, description="a component name of the engagement")
    alerts: list[AlertRef] = Field([], description="the alerts it answers: alert ids, or Prometheus alert names")
    owner: Text | None = None
    last_tested: Date | None = None
    last_reviewed: Date | None = Field(None, description="when someone last read it through and confirmed it is current")
    review_every: Duration | None = Field(None, description="how often it is due for review (default: the engagement's "
                                                            "runbooks.review_every, else site.yaml's, else 180d)")
    symptoms: list[Inline] = Field(min_length=1)
    steps: Steps
    escalate: Escalate | None = None
    notes: Markdown | None = Field(None, description="anything else worth keeping, as Markdown (an imported runbook's sections that fit no field)")
