"""Locks: one opsdocs command at a time writes a folder (an output folder, a file, the content).

Two builds in one project (an editor's save hook and a terminal, two CI jobs on
one runner) would otherwise swap folders under each other. The second one
waits for the first, saying which process it waits for, or with `--no-wait`
stops at once saying so.

A lock is a POSIX record lock (`fcntl.lockf`) on a file in the project's
`.opsdocs-cache/locks/`, never in an output folder. The system releases it
when its process ends in any way (a SIGKILL, a crash), and a lock file left by
a power loss holds no lock: nothing is ever waited on forever. Record locks
belong to the process, so the workers a build forks do not hold them.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .errors import OpsdocsError

POLL_SECONDS = 0.2
REMIND_SECONDS = 30  # while waiting, say so again this often
STARTING = "(it is just starting)"  # a holder that has not written who it is yet


def lock_file(root: Path, target: Path) -> Path:
    """The lock file of `target` (a folder or file, by its absolute path) in the project at `root`."""
    key = hashlib.sha256(str(target).encode("utf-8")).hexdigest()[:16]
    return root / ".opsdocs-cache" / "locks" / f"{target.name or 'root'}-{key}.lock"


def _holder(fd: int) -> str:
    """Who holds the lock, as its holder wrote it: 'opsdocs build, pid 1234, started 12 s ago'."""
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
        age = max(0, round(time.time() - float(info["started"])))
        return f"opsdocs {info['command']}, pid {int(info['pid'])}, started {age} s ago"
    except (ValueError, KeyError, TypeError, OSError):
        return "opsdocs command " + STARTING


@contextmanager
def _one(root: Path, target: Path, command: str, wait: bool, progress: Callable[[str], None], shown: str) -> Iterator[None]:
    path = lock_file(root, target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        waited_since = None
        began = time.monotonic()
        while True:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                holder = _holder(fd)
                now = time.monotonic()
                if holder.endswith(STARTING) and now - began < 1.0:
                    time.sleep(POLL_SECONDS / 4)  # it holds the lock and is writing who it is: ask again
                    continue
                if not wait:
                    raise OpsdocsError(f"another {holder} is writing {shown}",
                                       "run it again when that one has finished, or without --no-wait to wait for it") from None
                if waited_since is None or now - waited_since >= REMIND_SECONDS:
                    progress(f"waiting for another {holder}: it is writing {shown}")
                    waited_since = now
                time.sleep(POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "command": command, "started": time.time()}).encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.lockf(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def holding(root: Path, targets: list[Path], command: str, wait: bool = True,
            progress: Callable[[str], None] = lambda line: None, display: Callable[[Path], str] = str) -> Iterator[None]:
    """Hold the locks of every target (in one order for every command, so two never wait for each other)."""
    with ExitStack() as stack:
        for target in sorted({Path(os.path.abspath(t)) for t in targets}):
            stack.enter_context(_one(root, target, command, wait, progress, display(target)))
        yield
