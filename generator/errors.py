"""Errors: one exception base, and the located problem it carries when it is about a place in a file."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """A problem at a place in a file: a plain value, so it can be sorted, compared and sent between processes.

    `path` is relative to the project (or as the user gave it); `line` and
    `column` are 1-based, 0 when unknown. The data is kept apart from how it is
    shown: `format()` is the one place that decides the printed form.
    """

    path: str
    line: int
    column: int
    message: str
    hint: str | None = None
    severity: str = "error"  # or "warning": printed, but does not fail a check

    @property
    def warning(self) -> bool:
        return self.severity == "warning"

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

    def __str__(self) -> str:
        return self.format()

    def as_dict(self) -> dict:
        """The problem as a JSON object (`check --format json`); line and column null when unknown."""
        return {"path": self.path, "line": self.line or None, "column": self.column or None,
                "message": self.message, "hint": self.hint, "severity": self.severity}

    def as_github(self) -> str:
        """A GitHub Actions workflow command: the problem shows on the line of the pull request's diff."""
        where = [f"file={_escape_property(self.path)}"]
        if self.line:
            where.append(f"line={self.line}")
            if self.column:
                where.append(f"col={self.column}")
        text = self.message + (f"\nhint: {self.hint}" if self.hint else "")
        return f"::{self.severity} {','.join(where)},title=opsdocs::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def general_problem(error: "OpsdocsError") -> dict:
    """An error that is not at a place in a file (no content folder, say), in the shape of a problem."""
    return {"path": None, "line": None, "column": None, "message": error.message, "hint": error.hint, "severity": "error"}


def general_github(error: "OpsdocsError") -> str:
    return f"::error title=opsdocs::{_escape_data(error.format())}"


class OpsdocsError(Exception):
    """Every error opsdocs reports to its user: what went wrong, and a hint about what to do.

    An ordinary exception (not a dataclass), so it behaves like one everywhere,
    in `with` blocks and across processes alike.
    """

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        return self.message + (f"\n  hint: {self.hint}" if self.hint else "")

    def __str__(self) -> str:
        return self.format()


class ContentErrors(OpsdocsError):
    """Every problem found in one pass, sorted by place, raised together."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.column, p.message))
        count = len(self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''}")
        self.args = (self.problems,)  # what pickling passes back to __init__

    @classmethod
    def at(cls, path: str, line: int, column: int, message: str, hint: str | None = None) -> "ContentErrors":
        """The error for one problem at one place."""
        return cls([Problem(path, line, column, message, hint)])

    def format(self) -> str:
        return "\n".join(p.format() for p in self.problems)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean' hint for a misspelled key or id, or None when nothing is close."""
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    if pool and len(pool) <= 12:
        return "expected one of: " + ", ".join(f"'{c}'" for c in pool)
    return None


def unknown_engagement(engagement: str, known: Iterable[str]) -> OpsdocsError:
    """The error for an engagement id that names no folder under engagements/."""
    return OpsdocsError(f"no engagement '{engagement}': there is no folder engagements/{engagement}/", did_you_mean(engagement, known))
