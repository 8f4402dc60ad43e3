"""Compute: Alertmanager's routing, as Alertmanager itself decides it: which receivers an alert's labels reach."""

from __future__ import annotations

import re
from dataclasses import dataclass

# What each kind of Alertmanager integration is called on a page, and the one setting of it that may be shown.
INTEGRATIONS = {
    "email_configs": ("email", "to"),
    "pagerduty_configs": ("PagerDuty", None),
    "slack_configs": ("Slack", "channel"),
    "webhook_configs": ("webhook", None),
    "opsgenie_configs": ("Opsgenie", None),
    "victorops_configs": ("VictorOps", None),
    "pushover_configs": ("Pushover", None),
    "wechat_configs": ("WeChat", None),
    "telegram_configs": ("Telegram", None),
    "sns_configs": ("Amazon SNS", None),
    "msteams_configs": ("Microsoft Teams", None),
    "msteamsv2_configs": ("Microsoft Teams", None),
    "discord_configs": ("Discord", None),
    "webex_configs": ("Webex", None),
    "jira_configs": ("Jira", None),
    "rocketchat_configs": ("Rocket.Chat", None),
}
# Integrations that wake a person up, for the check that a sev1 alert can page someone.
PAGING = frozenset({"PagerDuty", "Opsgenie", "VictorOps", "Pushover"})


@dataclass(frozen=True)
class Matcher:
    label: str
    op: str  # =, !=, =~, !~
    value: str

    def matches(self, labels: dict[str, str]) -> bool:
        given = labels.get(self.label, "")
        if self.op in ("=", "!="):
            return (given == self.value) == (self.op == "=")
        return (re.fullmatch(self.value, given) is not None) == (self.op == "=~")


@dataclass(frozen=True)
class Route:
    receiver: str
    matchers: tuple[Matcher, ...] = ()
    continue_: bool = False
    routes: tuple["Route", ...] = ()


@dataclass(frozen=True)
class Receiver:
    """A receiver as pages may show it: its name and, per integration, the kind and a non-secret destination."""

    name: str
    integrations: tuple[tuple[str, str | None], ...]
    line: int = 0  # where it is defined
    file: str = ""  # in which file, relative to the engagement folder (an AlertmanagerConfig's, or the configuration's)

    @property
    def pages(self) -> bool:
        return any(kind in PAGING for kind, _ in self.integrations)


def receivers_for(route: Route, labels: dict[str, str]) -> list[str]:
    """The receivers Alertmanager notifies for an alert with these labels: its route tree walked as Alertmanager
    walks it (first matching child wins unless it says `continue`; a route none of whose children match is the match)."""
    return _dedupe(r.receiver for r in _matching(route, labels, root=True))


def _matching(route: Route, labels: dict[str, str], root: bool = False) -> list[Route]:
    if not root and not all(m.matches(labels) for m in route.matchers):
        return []
    found: list[Route] = []
    for child in route.routes:
        matched = _matching(child, labels)
        found += matched
        if matched and not child.continue_:
            break
    return found or [route]


def _dedupe(items) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen
