"""Helpers shared by the benchmarks: timing whole commands, and printing a table."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin"


def tool(name: str) -> str:
    """A console script of the project's virtualenv, or the one on PATH."""
    candidate = VENV_BIN / name
    return str(candidate) if candidate.exists() else name


def run_as_installed() -> None:
    """Run opsdocs as pip installs it: from compiled bytecode. Where PYTHONDONTWRITEBYTECODE is set (as on some
    build machines) every module of generator/ would otherwise be compiled from source on every run, a cost an
    installed copy never pays."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "generator")], check=True)


def time_command(argv: Sequence[str], runs: int, cwd: Path | None = None, setup=None) -> list[float]:
    """Wall-clock seconds of `runs` runs of a command (after one warm-up run)."""
    timings = []
    for n in range(runs + 1):
        if setup:
            setup()
        start = time.perf_counter()
        subprocess.run(list(argv), cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        if n:  # the first run warms the file cache
            timings.append(time.perf_counter() - start)
    return timings


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table, so a run can be pasted into the README as it is."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([line(header), "| " + " | ".join("-" * w for w in widths) + " |", *(line(r) for r in rows)])
