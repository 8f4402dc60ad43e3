"""Parallel: one helper that maps a function over items in forked worker processes.

The workers are forked, so they inherit the function and everything it closes
over (the loaded handbook, the compiled templates) instead of receiving it:
only the results travel back, pickled. A worker's exception travels back as a
value too, and is raised again here, with every field it had.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 4


class WorkerCrashed(RuntimeError):
    """A worker failed with an exception that could not be sent back as it was (a bug): its traceback."""


def worker_count() -> int:
    return min(os.cpu_count() or 1, MAX_WORKERS)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def parallel_map(fn: Callable[[T], R], items: Sequence[T], at_least: int = 2) -> list[R]:
    """`[fn(item) for item in items]`, shared among one forked process per core when there are `at_least` items."""
    workers = min(worker_count(), len(items))
    if workers < 2 or len(items) < at_least or not can_fork():
        return [fn(item) for item in items]
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for start in range(workers):
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(send, fn, items, range(start, len(items), workers)), daemon=True)
        process.start()
        send.close()
        pipes.append(receive)
        processes.append(process)
    results: list = [None] * len(items)
    done = False
    try:
        for start, pipe in enumerate(pipes):
            kind, value = pipe.recv()
            if kind == "error":
                raise value
            for index, result in zip(range(start, len(items), workers), value):
                results[index] = result
        done = True
    finally:
        for process in processes:
            if not done:  # the others' work is of no use now
                process.kill()
            process.join()
    return results


def _work(conn, fn: Callable, items: Sequence, indexes: range) -> None:
    """One worker: its share of the items, in order; the results, or the first exception, sent back."""
    try:
        message: tuple = ("ok", [fn(items[i]) for i in indexes])
    except BaseException as exc:  # noqa: BLE001 - every failure must reach the parent, not die here
        message = ("error", exc)
    try:
        conn.send(message)
    except Exception:  # noqa: BLE001 - the exception would not pickle: send its traceback instead
        conn.send(("error", WorkerCrashed("".join(traceback.format_exception(message[1])))))
    finally:
        conn.close()
