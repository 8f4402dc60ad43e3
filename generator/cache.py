"""Cache: a memo of "read and render one engagement", kept between builds of one output folder.

One pickle per output folder in `.opsdocs-cache/`. For each engagement it keeps
the folder's signature (names, sizes, modification times), a digest of its
bytes, and its part of the site without the files' bytes (those are in the
output folder). An engagement whose signature, or failing that whose digest,
is unchanged is recalled instead of rendered. The memo is trusted only when its
key matches (the opsdocs version, the engine and options, the templates, the
handbook) and every file it says it wrote is still there; a file that is
corrupt, from another version or for other options is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import __version__
from .write import write_atomic

FORMAT = 4
Signature = tuple[tuple[str, int, int], ...]


def folder_signature(folder: Path) -> Signature:
    """Every file under a folder with its size and modification time: cheap to take, changes with any edit."""
    found = []
    cut = len(str(folder)) + 1
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            found.append((path[cut:], st.st_size, st.st_mtime_ns))
    return tuple(found)


def files_under(folder: Path) -> set[str]:
    """Every file under a folder, as POSIX paths relative to it."""
    found = set()
    cut = len(str(folder)) + 1
    for dirpath, _, filenames in os.walk(folder):
        found.update(os.path.join(dirpath, name)[cut:] for name in filenames)
    return found


def digest_files(base: Path, names: list[str]) -> str:
    """A hash of files' names and bytes: a file touched but not changed keeps its digest."""
    h = hashlib.blake2b(digest_size=16)
    for name in names:
        h.update(name.encode() + b"\0")
        h.update((base / name).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def digest_tree(roots: list[Path]) -> str:
    """A hash of every file under some folders (templates, the handbook): names and bytes."""
    h = hashlib.blake2b(digest_size=16)
    for root in roots:
        if root.is_file():
            h.update(str(root).encode() + root.read_bytes())
            continue
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def sha(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def memo_key(*parts: object) -> str:
    return hashlib.blake2b(repr((FORMAT, __version__, *parts)).encode(), digest_size=16).hexdigest()


@dataclass
class Entry:
    signature: Signature
    digest: str
    position: int  # its place among the engagements: a new engagement moves the ones after it
    part: Any  # pipeline.EngagementPart, without its files' bytes


@dataclass
class Snapshot:
    """What one build of an output folder made: each engagement's entry, and the other files' digests."""

    key: str
    engagements: dict[str, Entry] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # home, handbook, portfolio, assets: path → digest

    def all_outputs(self) -> dict[str, str]:
        found = dict(self.outputs)
        for entry in self.engagements.values():
            found.update(entry.part.outputs)
        return found


class Memo:
    """The memo of one output folder: what the last build made, and what this one makes."""

    def __init__(self, path: Path, key: str, engagements_dir: Path, last: Snapshot | None, present: set[str]):
        self.path = path
        self.engagements_dir = engagements_dir
        self.last = last
        self.present = present  # the files in the output folder now
        self.next = Snapshot(key)
        self._signatures: dict[str, Signature] = {}
        self._positions: dict[str, int] = {}

    @classmethod
    def open(cls, path: Path, key: str, engagements_dir: Path, out_dir: Path, marker: str) -> "Memo":
        """The memo for `out_dir`; empty (everything is rendered) unless the last build's files are all still there."""
        last = _load(path, key) if (out_dir / marker).is_file() else None
        present = files_under(out_dir) if last is not None else set()
        if last is not None and not set(last.all_outputs()) <= present:  # someone removed generated files
            last = None
        return cls(path, key, engagements_dir, last, present)

    @property
    def incremental(self) -> bool:
        return self.last is not None

    def stale(self, positions: dict[str, int]) -> list[str]:
        """The engagements to read and render again: new ones, moved ones, and those whose files changed."""
        changed = []
        self._positions = positions
        for eid in positions:
            signature = self._signatures[eid] = folder_signature(self.engagements_dir / eid)
            entry = self.last.engagements.get(eid) if self.last else None
            if entry is None or entry.position != positions[eid]:
                changed.append(eid)
            elif entry.signature == signature:
                self.next.engagements[eid] = entry
            elif self._digest(eid) == entry.digest:  # touched, not changed
                self.next.engagements[eid] = replace(entry, signature=signature)
            else:
                changed.append(eid)
        return changed

    def recall(self, eid: str) -> Any:
        return self.next.engagements[eid].part

    def remember(self, eid: str, part: Any) -> None:
        self.next.engagements[eid] = Entry(self._signatures[eid], self._digest(eid), self._positions[eid], replace(part, files={}))

    def _digest(self, eid: str) -> str:
        return digest_files(self.engagements_dir / eid, [name for name, _, _ in self._signatures[eid]])

    def forget(self) -> None:
        """Drop the memo before touching the output in place: a build killed midway then rebuilds in full."""
        self.path.unlink(missing_ok=True)

    def save(self, outputs: dict[str, str]) -> None:
        self.next.outputs = outputs
        write_atomic(self.path, pickle.dumps(self.next, protocol=pickle.HIGHEST_PROTOCOL))


def memo_path(cache_dir: Path, out_dir: Path, engine: str) -> Path:
    name = hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir / f"{engine}-{name}.pickle"


def _load(path: Path, key: str) -> Snapshot | None:
    """The snapshot at `path` if it is whole and made for `key`; None otherwise."""
    try:
        with path.open("rb") as handle:
            snapshot = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any unreadable cache (truncated, garbage, old classes) is simply not used
        return None
    if not isinstance(snapshot, Snapshot) or snapshot.key != key:
        return None
    return snapshot
