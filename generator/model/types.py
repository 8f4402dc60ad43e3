"""Model: the scalar types of the content format, read by the field, not by YAML's resolver."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

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
    if not isinstance(value, str) or not _URL_RE.match(value):
        raise ValueError(f"'{value}' is not a URL: it must start with http:// or https://")
    return value


def _timezone(value: object) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not a time zone: use an IANA name such as Europe/Berlin or UTC") from None
    return str(value)


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


def _str_schema(pattern: str | None = None, description: str | None = None, also_number: bool = False) -> WithJsonSchema:
    schema: dict = {"type": "string"}
    if pattern:
        schema["pattern"] = pattern
    if also_number:
        schema = {"anyOf": [{"type": "number"}, schema]}
    if description:
        schema["description"] = description
    return WithJsonSchema(schema)


Text = Annotated[str, BeforeValidator(_text)]
Markdown = Annotated[str, BeforeValidator(_text), AfterValidator(MarkdownText), _str_schema(description="Markdown")]
Id = Annotated[str, BeforeValidator(_id), _str_schema(ID_PATTERN)]
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    _str_schema(r"^(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?$", "a duration such as 90s, 15m, 4h, 1d, 2w or 1h30m"),
]
Percent = Annotated[float, BeforeValidator(_percent), _str_schema(r"^[0-9.]+ ?%?$", "a percentage, 0 < p <= 100", True)]
Money = Annotated[Decimal, BeforeValidator(_money), _str_schema(r"^[0-9]+(\.[0-9]+)?$", "an amount in the currency", True)]
Email = Annotated[str, BeforeValidator(_email), _str_schema(description="an email address")]
Url = Annotated[str, BeforeValidator(_url), _str_schema(r"^(https?|mailto):", "a URL")]
Timezone = Annotated[str, BeforeValidator(_timezone), _str_schema(description="an IANA time zone such as Europe/Berlin")]
Moment = Annotated[
    datetime | time,
    BeforeValidator(_moment),
    _str_schema(description="a time of day (09:12) on the incident's date, or a full datetime"),
]
Date = Annotated[date, _str_schema(r"^\d{4}-\d{2}-\d{2}$", "a date, YYYY-MM-DD")]
Count = Annotated[int, Field(ge=0), _str_schema(r"^[0-9]+$", "a whole number", True)]
SchemaVersion = Annotated[
    Literal[1],
    BeforeValidator(lambda v: int(v) if isinstance(v, str) and v.strip().isdigit() else v),
    WithJsonSchema({"const": 1, "description": "the version of the content format"}),
]
