"""Languages: what opsdocs writes around the user's text, in the reader's language.

Messages are English in the code (`lang.gettext(...)`, `N_(...)`) and in the templates
(`_(...)`, `ngettext(...)`), and translated by the gettext catalogs in
`generator/locale/<language>/LC_MESSAGES/opsdocs.po`. Babel compiles a catalog when a
build first needs it; no compiled file is kept in the repository. A language is
supported when its catalog is there: adding one is adding a `.po` file.

Dates, times, numbers, percentages, money and durations are formatted by Babel from
the locale's own conventions (CLDR): `14. März 2026`, `99,9 %`, `6.890,00 €`,
`CHF 6'890.00` for de-CH, `1 Std. 28 Min.`. The figures themselves never change.
"""

from __future__ import annotations

import gettext as _gettext
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property, lru_cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from .plugins import LANGUAGES, paths

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "opsdocs"
SOURCE = "en"  # the language of the messages in the code and templates


def N_(message: str) -> str:
    """Mark a message for the catalogs where it is defined; it is translated where it is shown."""
    return message


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext's naming, as N_
    """Mark a message with a plural form for the catalogs; `ngettext(*pair, n)` translates it where it is shown."""
    return singular, plural


# Values of the content format's enumerations that pages show as words.
VALUES = frozenset((
    N_("draft"), N_("in-review"), N_("active"), N_("complete"),
    N_("open"), N_("in-progress"), N_("done"), N_("wont-do"), N_("planned"), N_("dropped"),
    N_("prevent"), N_("mitigate"), N_("detect"), N_("process"), N_("other"),
    N_("required"), N_("optional"),
))


@lru_cache(maxsize=1)
def catalogs() -> dict[str, Path]:
    """Each language's catalog: opsdocs' own (`locale/<tag>/LC_MESSAGES/opsdocs.po`), and those other packages
    bring through the `opsdocs.languages` entry points."""
    own = {po.parent.parent.name: po for po in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return {**paths(LANGUAGES), **own}


@lru_cache(maxsize=1)
def languages() -> tuple[str, ...]:
    """The languages opsdocs writes: English and every language with a catalog."""
    return tuple(sorted(set(catalogs()) | {SOURCE}))


def check_tag(value: object) -> str:
    """A language tag such as `de`, `de-CH`, `fr`, `en-GB`, as written; ValueError when opsdocs cannot write it."""
    from babel import Locale, UnknownLocaleError

    tag = str(value).strip()
    choices = ", ".join(languages())
    try:
        locale = Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        raise ValueError(f"'{tag}' is not a language tag: use one of {choices}, or one with a region such as de-CH") from None
    if locale.language not in languages():
        raise ValueError(f"opsdocs does not write '{tag}': it writes {choices} (a region may follow, such as de-CH)")
    return tag


@lru_cache(maxsize=None)
def _translations(language: str) -> _gettext.NullTranslations:
    if language == SOURCE:
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(catalogs()[language], "rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


_ZONE_NAMES: dict[tuple, str] = {}  # (language, zone, offset, dst) → the zone's name in that language


@dataclass(frozen=True)
class Language:
    """One language as a page is written in it: its messages and its way of writing figures."""

    tag: str  # as the content or option gave it: de-CH

    def __reduce__(self):  # what crosses a process boundary is the tag
        return (language, (self.tag,))

    @cached_property
    def locale(self):
        from babel import Locale

        return Locale.parse(self.tag.replace("_", "-"), sep="-")

    @property
    def code(self) -> str:
        """The language alone (de), as MkDocs Material's `theme.language` and search want it."""
        return self.locale.language

    @property
    def html(self) -> str:
        """The tag for an HTML `lang` attribute: de-CH."""
        return self.tag.replace("_", "-")

    @cached_property
    def _messages(self) -> _gettext.NullTranslations:
        return _translations(self.locale.language)

    def gettext(self, message: str) -> str:
        return self._messages.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._messages.ngettext(singular, plural, n)

    def value(self, value: object) -> str:
        """An enumeration's value (status, type) as a word of this language; anything else as it is."""
        return self.gettext(str(value)) if str(value) in VALUES else str(value)

    def yes_no(self, value: bool) -> str:
        return self.gettext("yes") if value else self.gettext("no")

    @lru_cache(maxsize=4096)  # noqa: B019 - a handful of languages, each kept for the whole run
    def date(self, value: date | None) -> str:
        from babel.dates import format_date

        return "—" if value is None else format_date(value, "long", locale=self.locale)

    @lru_cache(maxsize=4096)  # noqa: B019 - a handful of languages, each kept for the whole run
    def moment(self, moment: datetime, zone: str, clock: str = "24h") -> str:
        """A moment as people read it in a time zone: `14. März 2026, 09:12 MEZ`, `March 14, 2026, 09:12 CET`
        (`clock` 12h: `March 14, 2026, 9:12 AM CET`)."""
        local = moment.astimezone(ZoneInfo(zone))
        pattern = str(self.locale.datetime_formats["medium"])
        when = pattern.replace("{1}", self.date(local.date())).replace("{0}", self.time_of_day(local, clock))
        return f"{when} {self.zone_name(local, zone)}"

    def time_of_day(self, local: datetime, clock: str = "24h") -> str:
        """A local moment's time of day: `14:51` on a 24-hour clock, whatever the language; `2:51 PM` on a 12-hour one."""
        if clock == "24h":  # CLDR's HH:mm, the same digits in every language: no need to ask Babel
            return f"{local.hour:02d}:{local.minute:02d}"
        from babel.dates import format_time

        return format_time(local, "h:mm a", tzinfo=local.tzinfo, locale=self.locale)

    def zone_name(self, moment: datetime, zone: str) -> str:
        """The zone as this language names it at that moment: `CET`, `MEZ`; `UTC+01:00` where it has no abbreviation."""
        local = moment.astimezone(ZoneInfo(zone))
        key = (self.tag, zone, local.utcoffset(), local.dst())  # every moment with this offset has the same name
        if key not in _ZONE_NAMES:
            _ZONE_NAMES[key] = self._zone_name(local, zone)
        return _ZONE_NAMES[key]

    def _zone_name(self, local: datetime, zone: str) -> str:
        from babel.dates import format_datetime, get_timezone, get_timezone_gmt

        name = format_datetime(local, "z", tzinfo=get_timezone(zone), locale=self.locale)
        if not name.isalpha():  # no abbreviation in this language's data: CET where English uses one, else UTC+01:00
            english = local.tzname() or ""
            name = english if self.code == SOURCE and english.isalpha() else get_timezone_gmt(local, "long", locale=self.locale)
        return name

    @lru_cache(maxsize=4096)  # noqa: B019 - a handful of languages, each kept for the whole run
    def number(self, value: Decimal | float | int) -> str:
        from babel.numbers import format_decimal

        number = Decimal(str(value))
        if number != number.to_integral_value():
            number = number.quantize(Decimal("0.01"))
        return format_decimal(number, locale=self.locale, decimal_quantization=False)

    @lru_cache(maxsize=4096)  # noqa: B019 - a handful of languages, each kept for the whole run
    def percent(self, fraction: float | None) -> str:
        """A computed share: 1.0648 → `106 %`, 0.004 → `0.4 %` (as the locale writes a percentage)."""
        if fraction is None:
            return "—"
        value = fraction * 100
        digits = 0 if value >= 10 or value == 0 else 1
        return self._percent(Decimal(str(round(value, digits))))

    @lru_cache(maxsize=4096)  # noqa: B019 - a handful of languages, each kept for the whole run
    def percentage(self, percent: float) -> str:
        """A percentage as the content wrote it, every digit kept: 99.95 → `99,95 %`."""
        return self._percent(Decimal(str(percent)).normalize())

    def _percent(self, percent: Decimal) -> str:
        from babel.numbers import format_percent

        return format_percent(percent / 100, locale=self.locale, decimal_quantization=False)

    @lru_cache(maxsize=4096)  # noqa: B019 - a handful of languages, each kept for the whole run
    def money(self, value: Decimal | float | int | None, currency: str) -> str:
        from babel.numbers import format_currency

        if value is None:
            return "—"
        return format_currency(Decimal(str(value)), str(currency), locale=self.locale)

    @lru_cache(maxsize=4096)  # noqa: B019 - a handful of languages, each kept for the whole run
    def duration(self, value: timedelta | None) -> str:
        """The largest two units that are not zero: `1 Std. 6 Min.`, `2 days 3 hr`, `45 s`."""
        from babel.units import format_unit

        if value is None:
            return "—"
        total = int(value.total_seconds())
        sign = "−" if total < 0 else ""
        total = abs(total)
        parts = []
        for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
            amount, total = divmod(total, size)
            if amount:
                parts.append(format_unit(amount, f"duration-{unit}", "short", locale=self.locale))
        return sign + (" ".join(parts[:2]) if parts else format_unit(0, "duration-minute", "short", locale=self.locale))


@lru_cache(maxsize=None)
def language(tag: str) -> Language:
    """The language of a tag that `check_tag` accepts."""
    return Language(tag)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def fill(message: str, escape, parts: dict[str, object]) -> str:
    """A translated message with its `%(name)s` placeholders replaced: the message's own words through
    `escape`, each part as given (the caller has made it what the page needs)."""
    out, at = [], 0
    for found in _PLACEHOLDER.finditer(message):
        literal = message[at:found.start()]
        if out and out[-1].endswith(".") and literal.startswith("."):  # `1 Std.` ends the sentence: one full stop
            literal = literal[1:]
        out.append(escape(literal))
        out.append("%" if found.group() == "%%" else str(parts[found.group(1)]))
        at = found.end()
    rest = message[at:]
    if out and out[-1].endswith(".") and rest.startswith("."):
        rest = rest[1:]
    out.append(escape(rest))
    return "".join(out)
