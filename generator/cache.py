"""Cache: what the last build saw and wrote, so the next one redoes only what changed.

One pickle per output folder in `.opsdocs-cache/`. It is trusted only when its
key matches: the opsdocs version, the target and options, the templates, the
handbook and the effective as-of date. A file that is corrupt, from another
version or for other options is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import __version__

FORMAT = 1
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


@dataclass
class EngagementEntry:
    """What one engagement contributed to the last build."""

    signature: Signature
    digest: str
    summary: object  # compute.EngagementSummary
    newest: date | None
    pages: list  # pages.Page without context, for the navigation
    folders: dict
    outputs: dict[str, str]  # output path → sha of its bytes


@dataclass
class BuildCache:
    key: str
    as_of: date | None
    engagements: dict[str, EngagementEntry] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)  # the other pages: home, handbook, portfolio, assets


def cache_path(cache_dir: Path, out_dir: Path, target: str) -> Path:
    name = hashlib.blake2b(str(out_dir.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir / f"{target}-{name}.pickle"


def build_key(*parts: object) -> str:
    return hashlib.blake2b(repr((FORMAT, __version__, *parts)).encode(), digest_size=16).hexdigest()


def load_cache(path: Path, key: str) -> BuildCache | None:
    """The cache at `path` if it is whole and made for `key`; None otherwise."""
    try:
        with path.open("rb") as handle:
            cache = pickle.load(handle)
    except Exception:  # noqa: BLE001 - any unreadable cache (truncated, garbage, old classes) is simply not used
        return None
    if not isinstance(cache, BuildCache) or cache.key != key:
        return None
    return cache


def save_cache(path: Path, cache: BuildCache) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
    with os.fdopen(handle, "wb") as out:
        pickle.dump(cache, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def forget_cache(path: Path) -> None:
    """Drop the cache before touching the output in place: a build killed midway then rebuilds in full."""
    path.unlink(missing_ok=True)


def sha(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()
