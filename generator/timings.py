"""How long each stage of a build took in this process, for `opsdocs build --timings`.

Said on stderr only, never written into a file (output stays the same bytes
whatever the clock). The laps are this process's: a worker's time shows in the
stage that waited for it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from . import STARTED

_laps: dict[str, float] = {}
_open: list[float] = []  # for each lap under way, the time its inner laps took (counted there, not twice)


@contextmanager
def lap(stage: str) -> Iterator[None]:
    """Add the time the `with` block takes to `stage`, less the time of the laps within it."""
    start = time.perf_counter()
    _open.append(0.0)
    try:
        yield
    finally:
        spent = time.perf_counter() - start
        inner = _open.pop()
        _laps[stage] = _laps.get(stage, 0.0) + spent - inner
        if _open:
            _open[-1] += spent


def start() -> float:
    """Start counting laps afresh (a process may build more than once) and return now: the moment opsdocs has
    loaded what a build needs, the end of what `summary` counts as loading."""
    _laps.clear()
    return time.perf_counter()


def summary(since: float) -> str:
    """One line: the time opsdocs took to load (from importing it to `since`), each stage's in the order they ran, and
    the whole."""
    now = time.perf_counter()
    parts = [("loading opsdocs", since - STARTED), *_laps.items()]
    measured = sum(_laps.values())
    parts.append(("other", max(0.0, now - since - measured)))
    return " · ".join(f"{name} {seconds:.2f} s" for name, seconds in parts) + f" · total {now - STARTED:.2f} s"
