"""Render: the Jinja environment (template tiers, filters, escaping) and template errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from .compute import allowed_downtime
from .errors import ContentErrors
from .escape import Safe, codeblock
from .i18n import SOURCE, Language, fill, language
from .links import is_safe_url
from .model.types import InlineText, MarkdownText

if TYPE_CHECKING:
    from .escape import Escaper
    from .targets import Engine

DEFAULT_PREFIX = "!default/"


class TieredLoader(jinja2.BaseLoader):
    """Templates by name from tiers, first match wins; within a tier, `folders` in order
    (for pages `<engine>/` before `common/`, for skeletons `scaffold/`).

    A name starting with `!default/` skips every tier but the last (the shipped
    defaults), so an override can `{% extends "!default/phase.md.j2" %}`.
    """

    def __init__(self, tiers: list[Path], folders: tuple[str, ...], display: Callable[[Path], str]):
        unique: list[Path] = []
        for tier in tiers:
            if tier.is_dir() and tier.resolve() not in unique:
                unique.append(tier.resolve())
        self.tiers = unique
        self.folders = folders
        self.display = display

    def locate(self, name: str) -> Path | None:
        tiers = self.tiers
        if name.startswith(DEFAULT_PREFIX):
            name, tiers = name[len(DEFAULT_PREFIX):], self.tiers[-1:]
        if ".." in Path(name).parts:
            return None
        for tier in tiers:
            for sub in self.folders:
                path = tier / sub / name
                if path.is_file():
                    return path
        return None

    def origin(self, name: str) -> tuple[int, Path] | None:
        """Which tier (index) and file a template name resolves to."""
        path = self.locate(name)
        if path is None:
            return None
        return next(i for i, tier in enumerate(self.tiers) if tier in path.parents), path

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.locate(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        mtime = path.stat().st_mtime_ns
        return path.read_text(encoding="utf-8"), self.display(path), lambda: path.stat().st_mtime_ns == mtime

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for tier in self.tiers:
            for sub in self.folders:
                base = tier / sub
                if base.is_dir():
                    names.update(p.relative_to(base).as_posix() for p in base.rglob("*.j2"))
        return sorted(names)


def shown(escaper: "Escaper", lang: Language, value: Any) -> str:
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


def _finalize(escaper: "Escaper") -> Callable[[Any, Any], str]:
    text = escaper.text

    def finalize(ctx: Any, value: Any) -> str:
        kind = type(value)  # the two most common first: a label or value as text, or what a filter made
        if kind is str:
            return text(value)
        return value if kind is Safe else shown(escaper, ctx["lang"], value)

    return finalize


def with_lang(method: Callable[..., Any]) -> Callable[..., Any]:
    """A filter or global that works in the page's language (`lang` in its context)."""
    return jinja2.pass_context(lambda ctx, *args, **kwargs: method(ctx["lang"], *args, **kwargs))


def _filters(escaper: "Escaper") -> dict[str, Callable[..., Any]]:
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
        local=with_lang(format_local),
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


def make_environment(tiers: list[Path], engine: "Engine", display: Callable[[Path], str]) -> jinja2.Environment:
    """A Jinja environment whose every `{{ value }}` from content goes through the engine's escaper.

    What the templates add is written in the page's language: `lang` in the page's context (an
    `i18n.Language`), used by `_()`/`ngettext()` and by every filter that formats a figure.
    """
    env = jinja2.Environment(
        loader=TieredLoader(tiers, engine.template_folders, display),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=jinja2.pass_context(_finalize(engine.escaper)),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    gettext = with_lang(lambda lang, message: lang.gettext(message))
    env.install_gettext_callables(gettext, with_lang(lambda lang, singular, plural, n: lang.ngettext(singular, plural, n)),  # type: ignore[attr-defined]
                                  newstyle=False)
    env.globals["_"] = gettext  # straight to it, not through the extension's alias that looks `gettext` up on every call
    env.filters.update(_filters(engine.escaper))
    env.globals["engine"] = engine.name
    env.globals["lang"] = language(SOURCE)  # a page's context names its own
    env.globals["admonition"] = lambda kind, title, body: admonition(engine, kind, title, body)
    env.globals["draft_banner"] = with_lang(lambda lang, status: draft_banner(engine, lang, status))
    return env


def admonition(engine: "Engine", kind: str, title: str, body: str) -> Safe:
    """A callout box in the engine's own syntax. `body` is Markdown the template built."""
    if isinstance(body, MarkdownText):
        body = engine.escaper.markdown(body)
    return Safe(engine.callout(kind, engine.escaper.text(title), str(body).strip("\n")))


def draft_banner(engine: "Engine", lang: Language, status: str) -> Safe:
    """A visible banner on pages of documents that are not finished, or nothing."""
    if status == "draft":
        return admonition(engine, "warning", lang.gettext("Draft"),
                          engine.escaper.text(lang.gettext("This page is a draft: parts of it are still placeholders (TODO).")))
    if status == "in-review":
        return admonition(engine, "note", lang.gettext("In review"),
                          engine.escaper.text(lang.gettext("This page is in review; its findings may still change.")))
    return Safe("")


def link(escaper: "Escaper", text: str, href: str) -> Safe:
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


def mermaid_label(text: str) -> str:
    """Text inside a quoted mermaid label: quotes and markup as entity codes."""
    out = []
    for ch in " ".join(text.split()):
        if ch in '"#<>{}[]()|`;':
            out.append(f"#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


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


def format_local(lang: Language, moment: datetime | None, zone: str) -> str:
    """A moment as people read it in a time zone: `March 14, 2026, 9:12 AM CET`."""
    if moment is None:
        return lang.gettext("not recorded")
    return lang.moment(moment, zone)


def template_error(exc: Exception) -> ContentErrors:
    """A Jinja error as `templates/...:line: message`."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return ContentErrors.at(exc.filename or exc.name or "<template>", exc.lineno or 0, 0, f"template syntax error: {exc.message}")
    filename, line = "templates", 0
    tb = exc.__traceback__
    while tb is not None:  # Jinja maps template frames to the template's file and line
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if isinstance(exc, jinja2.TemplateNotFound):
        return ContentErrors.at(filename, line, 0, f"template not found: {exc.name}", "check the name in {% extends %} or {% include %}")
    if isinstance(exc, jinja2.UndefinedError):
        return ContentErrors.at(filename, line, 0, f"undefined name in template: {exc.message}", "check the spelling against the data the page receives")
    return ContentErrors.at(filename, line, 0, f"template error: {exc}")


def template_sources(tiers: list[Path], project: Any, given: bool) -> list[tuple[str, str, str, str]]:
    """Every template each engine (and `opsdocs new`) uses: (engine, name, tier, file).

    The tier is '--templates' (the first tier when `given`), 'project' or 'shipped'.
    """
    from .targets import engines

    labels: dict[Path, str] = {}
    for tier in tiers:
        label = "--templates" if given and tier == tiers[0] else ("project" if tier == project.root / "templates" else "shipped")
        labels.setdefault(tier.resolve(), label)
    labels[tiers[-1].resolve()] = "shipped"
    folders = [(name, engine.template_folders) for name, engine in engines().items()] + [("scaffold", ("scaffold",))]
    rows = []
    for engine, subfolders in folders:
        loader = TieredLoader(tiers, subfolders, project.rel)
        for name in loader.list_templates():
            index, path = loader.origin(name)  # type: ignore[misc]
            rows.append((engine, name, labels[loader.tiers[index]], project.rel(path)))
    return rows
