"""Render: the Jinja environment (template tiers, filters, escaping) and template errors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import jinja2
import jinja2.ext
import jinja2.lexer

from .compute import allowed_downtime
from .escape import Escaper, Safe, codeblock, mermaid_label
from .i18n import SOURCE, Language, fill, language
from .links import is_safe_url
from .model.types import InlineText, MarkdownText
from .templating import environment


class Dialect(Protocol):
    """What rendering asks of an engine (a `targets.Engine`): its name, escaper, template folders, callouts and
    folded blocks."""

    name: str
    escaper: Escaper
    callout: Callable[[str, str, str], str]
    folded: Callable[[str, str], str]
    anchored: Callable[[str, str], str]

    @property
    def template_folders(self) -> tuple[str, ...]: ...

def shown(escaper: Escaper, lang: Language, value: Any) -> str:
    """A value from content as the page shows it: escaped for the engine, figures written in `lang`."""
    if isinstance(value, Safe):
        return value
    if isinstance(value, MarkdownText):
        return escaper.markdown(value)
    if isinstance(value, InlineText):
        return escaper.inline(value)
    if isinstance(value, str):
        return escaper.text(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return lang.yes_no(value)
    if isinstance(value, datetime):
        return escaper.text(value.isoformat())
    if isinstance(value, date):
        return escaper.text(lang.date(value))
    if isinstance(value, timedelta):
        return escaper.text(lang.duration(value))
    if isinstance(value, Decimal):
        return escaper.text(lang.number(value))
    return escaper.text(str(value))


def _finalize(escaper: Escaper) -> Callable[[Any, Any], str]:
    text = lru_cache(maxsize=4096)(escaper.text)  # labels and names come back on every page: each escaped once

    def finalize(ctx: Any, value: Any) -> str:
        kind = type(value)  # the two most common first: a label or value as text, or what a filter made
        if kind is str:
            return text(value)
        return value if kind is Safe else shown(escaper, ctx["lang"], value)

    return finalize


def with_lang(method: Callable[..., Any]) -> Callable[..., Any]:
    """A filter or global that works in the page's language (`lang` in its context)."""
    return jinja2.pass_context(lambda ctx, *args, **kwargs: method(ctx["lang"], *args, **kwargs))


def _filters(escaper: Escaper) -> dict[str, Callable[..., Any]]:
    return dict(
        text=lambda v: escaper.text(str(v)),
        md=lambda v: escaper.markdown(str(v)) if v else Safe(""),
        link=lambda text, href: link(escaper, str(text), str(href)),
        code=lambda v: Safe(_code_span(str(v))),
        codeblock=lambda v, lang="", indent=0: codeblock(str(v), lang, indent),
        fill=with_lang(lambda lang, message, **parts: Safe(fill(str(message), escaper.text,
                                                                 {k: shown(escaper, lang, v) for k, v in parts.items()}))),
        value=with_lang(lambda lang, v: lang.value(v)),
        duration=with_lang(lambda lang, v: lang.duration(v)),
        percent=with_lang(lambda lang, v: lang.percent(v)),
        percentage=with_lang(lambda lang, v: lang.percentage(v)),
        local=jinja2.pass_context(lambda ctx, moment, zone: format_local(ctx["lang"], moment, zone, clock_of(ctx))),
        in_zone=lambda moment, zone: moment.astimezone(ZoneInfo(zone)),
        time_of_day=jinja2.pass_context(lambda ctx, local: Safe(escaper.text(ctx["lang"].time_of_day(local, clock_of(ctx))))),
        zone_name=with_lang(lambda lang, moment, zone: lang.zone_name(moment, zone)),
        abs_duration=with_lang(lambda lang, v: lang.duration(abs(v))),
        allowed=allowed_downtime,
        response_verdict=with_lang(response_verdict),
        number=with_lang(lambda lang, v: lang.number(v)),
        money=with_lang(lambda lang, v, currency: lang.money(v, currency)),
        mermaid=lambda v: Safe(mermaid_label(str(v))),
        raw=lambda v, replacement=None: Safe(str(v) if replacement is None else replacement),
        receivers=with_lang(format_receivers),
        guide=with_lang(lambda lang, g: g.text(lang)),
        row=lambda cells: Safe("| " + " | ".join(c if isinstance(c, Safe) else escaper.text(str(c)) for c in cells) + " |"),
    )


class TranslateLiterals(jinja2.ext.Extension):
    """`_("a literal")` is written in the environment's language when the template compiles, so a page does not
    look its labels up one by one as it renders (a quarter of a build's time when they were). A call with anything
    else than one string (`_(kind.title)`) is left to run."""

    def filter_stream(self, stream: jinja2.lexer.TokenStream) -> Iterator[jinja2.lexer.Token]:
        gettext = self.environment.translate_literal  # type: ignore[attr-defined]
        window: list[jinja2.lexer.Token] = []
        for token in stream:
            window.append(token)
            if len(window) < 4:
                continue
            name, open_, text, close = window
            if (name.type, name.value, open_.type, text.type, close.type) == ("name", "_", "lparen", "string", "rparen"):
                yield jinja2.lexer.Token(name.lineno, "string", gettext(text.value))
                window.clear()
            else:
                yield window.pop(0)
        yield from window


def make_environment(tiers: list[Path], engine: Dialect, display: Callable[[Path], str], cache: Path | None = None,
                     lang: Language | None = None) -> jinja2.Environment:
    """A Jinja environment whose every `{{ value }}` from content goes through the engine's escaper.

    With `cache`, compiled templates are kept there between runs (Jinja checks each against its source), so a
    rebuild after one edit does not compile every template again.

    What the templates add is written in the page's language: `lang` in the page's context (an
    `i18n.Language`), used by `_()`/`ngettext()` and by every filter that formats a figure. With `lang`, the
    environment is that language's: its pages must be in it, and `_("...")` of a literal is translated once, as
    the template compiles.
    """
    extensions: tuple[Any, ...] = ("jinja2.ext.i18n", TranslateLiterals) if lang else ("jinja2.ext.i18n",)
    folder = (cache / engine.name / (lang.tag if lang else "")) if cache else None
    env = environment(tiers, engine.template_folders, display, jinja2.pass_context(_finalize(engine.escaper)), extensions, folder)
    if lang:
        env.translate_literal = lang.gettext  # type: ignore[attr-defined]
    gettext = with_lang(lambda lang, message: lang.gettext(message))
    env.install_gettext_callables(gettext, with_lang(lambda lang, singular, plural, n: lang.ngettext(singular, plural, n)),  # type: ignore[attr-defined]
                                  newstyle=False)
    env.globals["_"] = gettext  # straight to it, not through the extension's alias that looks `gettext` up on every call
    env.filters.update(_filters(engine.escaper))
    env.globals["engine"] = engine.name  # for a user's template; the shipped ones ask the dialect, never the name
    env.globals["blank_before_list"] = engine.escaper.python_markdown
    env.globals["lang"] = language(SOURCE)  # a page's context names its own
    env.globals["admonition"] = lambda kind, title, body: admonition(engine, kind, title, body)
    env.globals["anchored"] = lambda anchor, text: Safe(engine.anchored(re.sub(r"[^a-z0-9-]", "", str(anchor)), engine.escaper.text(str(text))))
    env.globals["folded"] = lambda title, body: Safe(engine.folded(title if isinstance(title, Safe) else engine.escaper.text(str(title)),
                                                                   str(body).strip("\n")))
    env.globals["draft_banner"] = with_lang(lambda lang, status: draft_banner(engine, lang, status))
    return env


def admonition(engine: Dialect, kind: str, title: str, body: str) -> Safe:
    """A callout box in the engine's own syntax. `body` is Markdown the template built."""
    if isinstance(body, MarkdownText):
        body = engine.escaper.markdown(body)
    return Safe(engine.callout(kind, engine.escaper.text(title), str(body).strip("\n")))


def draft_banner(engine: Dialect, lang: Language, status: str) -> Safe:
    """A visible banner on pages of documents that are not finished, or nothing."""
    if status == "draft":
        return admonition(engine, "warning", lang.gettext("Draft"),
                          engine.escaper.text(lang.gettext("This page is a draft: parts of it are still placeholders (TODO).")))
    if status == "in-review":
        return admonition(engine, "note", lang.gettext("In review"),
                          engine.escaper.text(lang.gettext("This page is in review; its findings may still change.")))
    return Safe("")


def link(escaper: Escaper, text: str, href: str) -> Safe:
    """`text` as a link to `href`, when `href` is safe to follow (links.is_safe_url); else the text and the URL as code."""
    if is_safe_url(href):
        return Safe(f"[{escaper.text(text)}]({_href(href)})")
    return Safe(_code_span(href) if text == href else f"{escaper.text(text)} ({_code_span(href)})")


def _href(href: str) -> str:
    return href.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _code_span(text: str) -> str:
    text = " ".join(text.split("\n"))
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def format_receivers(lang: Language, receivers) -> str:
    """Alertmanager receivers as a cell: `pagerduty-primary (PagerDuty); shop-slack (Slack #kestrel-ops)`."""
    def one(receiver) -> str:
        kinds = ", ".join(kind + (f" {dest}" if dest else "") for kind, dest in receiver.integrations) or lang.gettext("no integration")
        return f"{receiver.name} ({kinds})"

    return "; ".join(one(r) for r in receivers)


def response_verdict(lang: Language, check) -> Safe:
    """A response-window check in a table cell: met, missed (in bold) or not recorded."""
    if check is None:
        return Safe(lang.gettext("no window agreed"))
    if check.met is None:
        return Safe(lang.gettext("not recorded"))
    window = lang.duration(check.window)
    if check.met:
        return Safe(lang.gettext("met (%(window)s)") % {"window": window})
    missed = lang.gettext("missed by %(late)s") % {"late": lang.duration(-check.margin)}
    return Safe(f"**{missed}** ({window})")


def clock_of(ctx: Any) -> str:
    """How a page writes times of day: its engagement's `clock`, else site.yaml's, else 24h."""
    engagement = ctx.get("e")
    site = ctx.get("site")
    return getattr(engagement, "clock", None) or getattr(getattr(site, "site", None), "clock", None) or "24h"


def format_local(lang: Language, moment: datetime | None, zone: str, clock: str = "24h") -> str:
    """A moment as people read it in a time zone: `March 14, 2026, 9:12 AM CET`."""
    if moment is None:
        return lang.gettext("not recorded")
    return lang.moment(moment, zone, clock)
