"""Model: the scalar types of the content format, read by the field, not by YAML's resolver."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from ..errors import did_you_mean
from ..i18n import check_tag, languages
from ..links import URL_RULE, is_safe_url, unsafe_message, unsafe_urls
from ..load import ID_PATTERN, ID_RE, ID_RULE

_DURATION_RE = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_DURATION_UNITS = ("weeks", "days", "hours", "minutes", "seconds")
_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_URL_RE = re.compile(r"^(https?|mailto):[^\s<>]+$")


class Model(BaseModel):
    """Every document and part of one: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(Model):
    """A list item: any of them may be kept out of client builds."""

    visibility: Literal["client", "internal"] = Field(
        "client", description="'internal' keeps this item out of client builds"
    )


class MarkdownText(str):
    """Text that the format says is Markdown; templates pass it through (escaped for the engine)."""

    __slots__ = ()


class InlineText(str):
    """A line of text with inline Markdown (code spans, emphasis, links); anything that would start a block is text."""

    __slots__ = ()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _text(value: object) -> str:
    if isinstance(value, (dict, list)):
        kind = "a mapping" if isinstance(value, dict) else "a list"
        raise ValueError(f"expected text, got {kind}")
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("an empty value: write the text, or remove the key if it is optional")
        bad = _CONTROL.search(value)
        if bad:
            raise ValueError(f"a control character (U+{ord(bad.group()):04X}) is in the text; remove it")
    return value  # type: ignore[return-value]


def _safe_links(value: str) -> str:
    """Markdown whose links and images all lead somewhere a reader can safely go."""
    if ":" in value and ("[" in value or "<" in value):
        bad = unsafe_urls(value)
        if bad:
            raise ValueError(unsafe_message(bad[0]))
    return value


def _href(value: object) -> str:
    text = _text(value)
    if isinstance(text, str) and not is_safe_url(text):
        raise ValueError(unsafe_message(text))
    return text  # type: ignore[return-value]


def _id(value: object) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise ValueError(
            f"'{value}' is not a valid id: {ID_RULE}"
        )
    return value


def parse_duration(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    text = str(value).strip().replace(" ", "")
    match = _DURATION_RE.match(text)
    if not text or not match or not any(match.groups()):
        raise ValueError(f"'{value}' is not a duration: write e.g. 90s, 15m, 4h, 1d, 2w or 1h30m")
    parts = {unit: int(n) for unit, n in zip(_DURATION_UNITS, match.groups()) if n}
    return timedelta(**parts)


def _percent(value: object) -> float:
    text = str(value).strip()
    if text.endswith("%"):
        text = text[:-1].strip()
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"'{value}' is not a percentage: write e.g. 99.9 or \"99.9%\"") from None
    if not 0 < number <= 100:
        raise ValueError(f"{number} is out of range: a percentage must be above 0 and at most 100")
    return number


def _money(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"'{value}' is not an amount: write e.g. 2800 or 2800.50, without a currency sign") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"'{value}' is not an amount: it must be zero or more")
    return amount


def _email(value: object) -> str:
    if not isinstance(value, str) or not _EMAIL_RE.match(value):
        raise ValueError(f"'{value}' is not an email address")
    return value


def _url(value: object) -> str:
    text = str(value)
    if not re.match(r"^(https?|mailto):", text):
        raise ValueError(f"'{value}' is not a URL: it must start with http:// or https://")
    bad = re.search(r"[\s<>]", text)
    if bad:
        char = bad.group()
        shown = {" ": "a space", "\t": "a tab", "\n": "a line break"}.get(char, f"'{char}'")
        raise ValueError(f"{shown} is not allowed in a URL: write it percent-encoded, as %{ord(char):02X}")
    return text


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """The IANA time zones of Python's zoneinfo database: the same list for `check` and the JSON Schema."""
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def _listed_zones() -> frozenset[str]:
    """The zones the tzdata package lists in one file: a quick yes for almost every value, where `time_zones()`
    opens every file of the system's database (30 ms, once per process)."""
    try:
        return frozenset(resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split())
    except (ImportError, OSError):
        return frozenset()


def _timezone(value: object) -> str:
    if str(value) not in _listed_zones() and str(value) not in time_zones():
        close = did_you_mean(str(value), time_zones())
        near = f" ({close})" if close and close.startswith("did") else ""
        raise ValueError(f"'{value}' is not a time zone: use an IANA name such as Europe/Berlin or UTC{near}")
    return str(value)


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: object) -> date:
    """A calendar date written YYYY-MM-DD, and nothing else (no time of day)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    text = str(value).strip()
    if not _DATE_RE.match(text):
        raise ValueError(f"'{value}' is not a date: write YYYY-MM-DD, e.g. 2026-03-14")
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a date in the calendar ({exc})") from None


def parse_time_of_day(text: str) -> time | None:
    """`09:12` or `09:12:30` as a time, or None if the text is not a time of day."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", text.strip())
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _moment(value: object) -> datetime | time:
    if isinstance(value, (datetime, time)):
        return value
    text = str(value).strip()
    tod = parse_time_of_day(text)
    if tod is not None:
        return tod
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"'{value}' is neither a time of day (09:12) nor a datetime (2026-03-14T09:12:00+01:00)"
        ) from None


def _str_schema(pattern: str | None = None, description: str | None = None, also_number: bool = False,
                number: dict | None = None, **extra) -> WithJsonSchema:
    """The JSON Schema of a value `check` reads from text: what an editor's YAML 1.2 parser makes of the same text."""
    schema: dict = {"type": "string", **extra}
    if pattern:
        schema["pattern"] = pattern
    if also_number or number:
        schema = {"anyOf": [{"type": "number", **(number or {})}, schema]}
    if description:
        schema["description"] = description
    return WithJsonSchema(schema)


# Text is text to `check` whatever it looks like (2024, 30, yes); an editor's parser reads some as numbers or booleans.
TEXT_SCHEMA = {"anyOf": [{"type": "string", "pattern": "\\S", "not": {"pattern": "[\\x00-\\x08\\x0b-\\x1f\\x7f]"}},
                          {"type": "number"}, {"type": "boolean"}]}
_PERCENT_TEXT = r"^ *\+?(100(\.0*)?|0*[1-9][0-9]?(\.[0-9]*)?|0*\.[0-9]*[1-9][0-9]*) *%? *$"
_TIME_OF_DAY = r"^([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$"
_AWARE_DATETIME = _DATETIME[:-2] + "$"  # the offset required


def _timezone_schema() -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": sorted(time_zones()), "description": "an IANA time zone such as Europe/Berlin"})


Text = Annotated[str, BeforeValidator(_text), WithJsonSchema(TEXT_SCHEMA)]
Markdown = Annotated[str, BeforeValidator(_text), AfterValidator(_safe_links), AfterValidator(MarkdownText), WithJsonSchema({**TEXT_SCHEMA, "description": "Markdown"})]
Inline = Annotated[str, BeforeValidator(_text), AfterValidator(_safe_links), AfterValidator(InlineText),
                   WithJsonSchema({**TEXT_SCHEMA, "description": "a line of text: `code`, *emphasis* and [links](...) allowed"})]
_ALERT_NAME = r"^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,127}$"


def _alert_name(value: object) -> str:
    if not isinstance(value, str) or not re.match(_ALERT_NAME, value):
        raise ValueError(f"'{value}' is not an alert: name an alert's id, or a Prometheus alert name such as NodeFilesystemSpaceFillingUp")
    return value


def _file_pattern(value: object) -> str:
    text = _text(value)
    if not isinstance(text, str):
        raise ValueError("expected a path or glob, e.g. monitoring/rules/*.yaml")
    return text


# A path or glob relative to the engagement folder (its files are checked when they are read).
FilePattern = Annotated[str, BeforeValidator(_file_pattern), _str_schema(r"\S", "a path or glob relative to the engagement folder")]
AlertRef = Annotated[str, BeforeValidator(_alert_name), WithJsonSchema({"type": "string", "pattern": _ALERT_NAME})]
Id = Annotated[str, BeforeValidator(_id), WithJsonSchema({"anyOf": [{"type": "string", "pattern": ID_PATTERN},
                                                                     {"type": "integer", "minimum": 0}]})]
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    _str_schema(r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$", "a duration such as 90s, 15m, 4h, 1d, 2w or 1h30m", minLength=1),
]
Percent = Annotated[float, BeforeValidator(_percent),
                    _str_schema(_PERCENT_TEXT, "a percentage, 0 < p <= 100", number={"exclusiveMinimum": 0, "maximum": 100})]
Money = Annotated[Decimal, BeforeValidator(_money),
                  _str_schema(r"^ *[0-9]+(\.[0-9]*)? *$", "an amount in the currency", number={"minimum": 0})]
Email = Annotated[str, BeforeValidator(_email), _str_schema(_EMAIL_RE.pattern, "an email address")]
Url = Annotated[str, BeforeValidator(_url), _str_schema(_URL_RE.pattern, "a URL")]
# A link that a page follows: relative, or a URL that is safe to follow.
Href = Annotated[str, BeforeValidator(_href), WithJsonSchema({**TEXT_SCHEMA, "description": f"a relative link or a URL ({URL_RULE})"})]
Timezone = Annotated[str, BeforeValidator(_timezone), _timezone_schema()]
LanguageTag = Annotated[str, BeforeValidator(check_tag), WithJsonSchema({
    "type": "string", "pattern": "^(" + "|".join(languages()) + ")([-_][A-Za-z0-9]{2,8})*$",
    "description": "the language of the pages: " + ", ".join(languages()) + ", or one with a region such as de-CH"})]
Moment = Annotated[
    datetime | time,
    BeforeValidator(_moment),
    WithJsonSchema({"type": "string", "pattern": f"{_TIME_OF_DAY}|{_DATETIME}",
                    "description": "a time of day (09:12) on the incident's date, or a full datetime"}),
]
AwareMoment = Annotated[AwareDatetime, _str_schema(_AWARE_DATETIME, "a date and time with its offset: 2026-03-14T09:12:00+01:00")]
Date = Annotated[date, BeforeValidator(_date), _str_schema(_DATE_RE.pattern, "a date, YYYY-MM-DD", format="date")]
Count = Annotated[int, Field(ge=0), _str_schema(r"^[0-9]+$", "a whole number", number={"minimum": 0, "multipleOf": 1})]
SchemaVersion = Annotated[
    Literal[1],
    BeforeValidator(lambda v: int(v) if isinstance(v, str) and v.strip().isdigit() else v),
    WithJsonSchema({"const": 1, "description": "the version of the content format"}),
]
