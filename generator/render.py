"""Render: the Jinja environment (template tiers, filters, escaping) and template errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import jinja2

from .compute import allowed_downtime
from .errors import ContentErrors
from .escape import Safe, codeblock
from .model.types import InlineText, MarkdownText

if TYPE_CHECKING:
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


def make_environment(tiers: list[Path], engine: "Engine", display: Callable[[Path], str]) -> jinja2.Environment:
    """A Jinja environment whose every `{{ value }}` from content goes through the engine's escaper."""
    escaper = engine.escaper

    def finalize(value: Any) -> str:
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
            return "yes" if value else "no"
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, timedelta):
            return format_duration(value)
        if isinstance(value, Decimal):
            return format_number(value)
        return escaper.text(str(value))

    env = jinja2.Environment(
        loader=TieredLoader(tiers, engine.template_folders, display),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        text=lambda v: escaper.text(str(v)),
        md=lambda v: escaper.markdown(str(v)) if v else Safe(""),
        link=lambda text, href: Safe(f"[{escaper.text(str(text))}]({_href(href)})"),
        code=lambda v: Safe(_code_span(str(v))),
        codeblock=lambda v, lang="", indent=0: codeblock(str(v), lang, indent),
        duration=format_duration,
        percent=format_percent,
        local=format_local,
        abs_duration=lambda v: format_duration(abs(v)),
        allowed=allowed_downtime,
        response_verdict=response_verdict,
        number=format_number,
        money=format_money,
        mermaid=lambda v: Safe(mermaid_label(str(v))),
        raw=lambda v, replacement=None: Safe(str(v) if replacement is None else replacement),
        receivers=format_receivers,
        row=lambda cells: Safe("| " + " | ".join(c if isinstance(c, Safe) else escaper.text(str(c)) for c in cells) + " |"),
    )
    env.globals["engine"] = engine.name
    env.globals["admonition"] = lambda kind, title, body: admonition(engine, kind, title, body)
    env.globals["draft_banner"] = lambda status, what: draft_banner(engine, status, what)
    return env


def admonition(engine: "Engine", kind: str, title: str, body: str) -> Safe:
    """A callout box in the engine's own syntax. `body` is Markdown the template built."""
    if isinstance(body, MarkdownText):
        body = engine.escaper.markdown(body)
    return Safe(engine.callout(kind, engine.escaper.text(title), str(body).strip("\n")))


def draft_banner(engine: "Engine", status: str, what: str) -> Safe:
    """A visible banner on pages of documents that are not finished, or nothing."""
    if status == "draft":
        return admonition(engine, "warning", "Draft", f"This {what} is a draft: parts of it are still placeholders (TODO).")
    if status == "in-review":
        return admonition(engine, "note", "In review", f"This {what} is in review; its findings may still change.")
    return Safe("")


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


def format_duration(value: timedelta | None) -> str:
    """`1 h 6 min`, `2 d 3 h`, `45 s`: the largest two units that are not zero."""
    if value is None:
        return "—"
    total = int(value.total_seconds())
    sign = "−" if total < 0 else ""
    total = abs(total)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        amount, total = divmod(total, size)
        if amount:
            parts.append(f"{amount} {unit}")
    return sign + (" ".join(parts[:2]) if parts else "0 min")


def format_receivers(receivers) -> str:
    """Alertmanager receivers as a cell: `pagerduty-primary (PagerDuty); shop-slack (Slack #kestrel-ops)`."""
    def one(receiver) -> str:
        kinds = ", ".join(kind + (f" {dest}" if dest else "") for kind, dest in receiver.integrations) or "no integration"
        return f"{receiver.name} ({kinds})"

    return "; ".join(one(r) for r in receivers)


def response_verdict(check) -> Safe:
    """A response-window check in a table cell: met, missed (in bold) or not recorded."""
    if check is None:
        return Safe("no window agreed")
    if check.met is None:
        return Safe("not recorded")
    if check.met:
        return Safe(f"met ({format_duration(check.window)})")
    return Safe(f"**missed by {format_duration(-check.margin)}** ({format_duration(check.window)})")


def format_local(moment: datetime | None, zone: str) -> str:
    """A moment as people read it in a time zone: `2026-07-19 22:40 CEST`."""
    if moment is None:
        return "not recorded"
    local = moment.astimezone(ZoneInfo(zone))
    return local.strftime("%Y-%m-%d %H:%M ") + (local.tzname() or local.strftime("%z"))


def format_percent(fraction: float | None) -> str:
    """A share as a percentage: 1.0648 → `106 %`, 0.004 → `0.4 %`."""
    if fraction is None:
        return "—"
    value = fraction * 100
    return f"{value:.0f} %" if value >= 10 or value == 0 else f"{value:.1f} %"


def format_number(value: Decimal | float | int) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.quantize(Decimal('0.01')):,}"


def format_money(value: Decimal | float | int | None, currency: str) -> str:
    if value is None:
        return "—"
    return f"{format_number(value)} {currency}"


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
