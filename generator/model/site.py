"""Model: the consultancy and its handbook (site.yaml, phases, pricing)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .types import Count, Duration, Email, Href, Item, LanguageTag, Markdown, Model, Money, Text, Url


class Consultancy(Model):
    name: Text
    url: Url | None = None
    contact: Email | None = None


class SiteInfo(Model):
    title: Text
    url: Url | None = None
    language: LanguageTag = Field("en", description="the language of the pages opsdocs writes (default: en)")
    clock: Literal["24h", "12h"] = Field("24h", description="how times of day are written: 14:51 (24h, the default) or 2:51 PM (12h)")
    description: Text | None = None


class RunbookPolicy(Model):
    review_every: Duration | None = Field(None, description="how long after its last review or test a runbook is due "
                                                            "again, e.g. 90d (default: 180d)")


class PostmortemPolicy(Model):
    recent: Duration | None = Field(None, description="how far back the post-mortem index lists every post-mortem in its "
                                                      "table; earlier ones are summarised by year, e.g. 180d (default: 365d)")


class Publish(Model):
    """Where and how `opsdocs publish` delivers each client's site (site.yaml; an engagement may override any key)."""

    to: Text | None = Field(None, description="dir:PATH (a folder per client) or git:REPO[#BRANCH] (one folder per "
                                              "client on a pages branch)")
    access: Literal["none", "basic", "encrypt"] | None = Field(
        None, description="none; basic: per-client logins (nginx and Caddy configurations); encrypt: each site "
                          "encrypted in the browser with the client's password (default: none)")
    base_url: Text | None = Field(None, description="each client's address, with {engagement} for its id, e.g. "
                                                    "https://docs.example.com/{engagement}/")
    host: Text | None = Field(None, description="serve each client on its own host name instead of a path, with "
                                                "{engagement}, e.g. {engagement}.docs.example.com")
    credentials: Text | None = Field(None, description="the file with each client's users and passwords, outside the "
                                                       "content (relative to the project)")


class Site(Model):
    """content/site.yaml"""

    consultancy: Consultancy
    site: SiteInfo
    currency: Text = Field(description="the default currency of engagements, e.g. EUR")
    sites: Literal["one", "per-engagement"] = Field(
        "one", description="per-engagement: MkDocs builds one site per engagement under engagements/<id>/ (as build --split)")
    runbooks: RunbookPolicy = RunbookPolicy()
    postmortems: PostmortemPolicy = PostmortemPolicy()
    publish: Publish = Publish()


class PhaseStep(Model):
    id: Text = Field(description="the step's short label, e.g. O1")
    name: Text
    goal: Text
    label: Text = Field(description="the heading of the list, e.g. 'We focus on'")
    items: list[Text]
    outro: Markdown | None = None


class PhaseSection(Model):
    heading: Text
    body: Markdown | None = None
    steps: list[PhaseStep] = Field([], description="steps shown as a flowchart, then one section each")
    loop: bool = Field(False, description="the flowchart returns from the last step to the first")


class PhaseLink(Model):
    label: Text
    title: Text
    href: Href = Field(description="a relative link to another page, e.g. ../delivery/pricing.md")


class Phase(Model):
    """content/handbook/phases/<id>.yaml"""

    title: Text
    icon: Text | None = None
    position: Count = Field(description="the phase's place in the handbook")
    tagline: Text
    description: Text | None = None
    intro: Markdown
    sections: list[PhaseSection]
    links: list[PhaseLink] = []


class ResponseTime(Item):
    severity: Text
    response: Duration
    coverage: Text | None = None


class HourlyRate(Item):
    name: Text
    rate: Money
    description: Text | None = None


class RetainerTier(Item):
    name: Text
    monthly_fee: Money
    included_hours: Count
    overage_rate: Money
    response_windows: list[ResponseTime] = []
    includes: list[Text] = []


class Pricing(Model):
    """content/handbook/pricing.yaml"""

    title: Text = "Pricing"
    intro: Markdown | None = None
    currency: Text | None = None
    hourly: list[HourlyRate] = []
    retainers: list[RetainerTier] = []
    notes: Markdown | None = None
