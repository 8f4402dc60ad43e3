"""Errors: the one error type opsdocs raises, and the list that carries many of them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class OpsdocsError(Exception):
    """A problem in the user's input, located as precisely as we know it.

    `path` is relative to the project (or as the user gave it); `line` and
    `column` are 1-based, 0 when unknown. The data is kept apart from how it is
    shown: `format()` is the one place that decides the printed form.
    """

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    warning: bool = False

    def __str__(self) -> str:
        return self.format()

    def location(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"

    def format(self) -> str:
        label = "warning: " if self.warning else ""
        text = f"{self.location()}: {label}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class ContentErrors(Exception):
    """Every problem found in one pass, sorted by place, raised together."""

    def __init__(self, errors: Iterable[OpsdocsError]):
        self.errors = sorted(set(errors), key=lambda e: (e.path, e.line, e.column, e.message))
        super().__init__(f"{len(self.errors)} problem(s)")

    def format(self) -> str:
        return "\n".join(e.format() for e in self.errors)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelled key or id, or None when nothing is close."""
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if pool and len(pool) <= 12:
        return "expected one of: " + ", ".join(f"'{c}'" for c in pool)
    return None


def unknown_engagement(engagement: str, known: Iterable[str], where: str = "--engagement") -> OpsdocsError:
    """The error for an engagement id that names no folder under engagements/."""
    return OpsdocsError(where, 0, 0, f"no engagement '{engagement}'", did_you_mean(engagement, known))
