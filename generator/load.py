"""Load: the content tree. Which files hold which documents, read into plain data with positions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentErrors, OpsdocsError, Problem
from .parse import Document, load_yaml, read_text

# Ids name files and folders, so nothing in one may lead outside the tree.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ID_RE = re.compile(ID_PATTERN)
ID_RULE = "use lowercase letters, digits and '-', starting with a letter or digit, at most 64 characters"
MAX_ASSET_BYTES = 25 * 1024 * 1024
DocKey = tuple[str, str]  # a document's kind and id ("" for a kind with one file)


def read_asset(path: Path, rel: str) -> bytes:
    """An image, stylesheet or other file a hand-written page uses, within a size a docs site can serve."""
    size = path.stat().st_size
    if size > MAX_ASSET_BYTES:
        raise ContentErrors.at(rel, 0, 0, f"the file is {size / 1024 / 1024:.1f} MB; files under handbook/pages/ are limited to "
                               f"{MAX_ASSET_BYTES // 1024 // 1024} MB", "link to large downloads instead of putting them in the site")
    return path.read_bytes()


@dataclass(frozen=True)
class RawEngagement:
    """One engagement folder's documents, by kind and id."""

    id: str
    documents: dict[DocKey, Document]
    unreadable: frozenset[DocKey] = frozenset()  # files that exist but could not be read: they have their own error
    folder: Path | None = None  # the engagement folder: monitoring files are found relative to it
    display_root: Path | None = None  # paths in errors are relative to this


@dataclass(frozen=True)
class HandFile:
    """A file under handbook/pages/: a hand-written page (.md) or an asset, written as it is into every site."""

    path: str  # its path in the docs tree, e.g. "guides/on-call.md"
    rel: str  # the file as the user sees it, for errors
    data: bytes

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")


@dataclass(frozen=True)
class RawContent:
    """Every content file as plain data, before validation."""

    root: Path
    documents: dict[DocKey, Document]  # the consultancy's: site.yaml and the handbook
    handwritten: dict[str, HandFile]  # handbook/pages/**, by path in the docs tree
    engagements: dict[str, RawEngagement]


def check_id(name: str, rel: str) -> Problem | None:
    """An id names a file or folder; anything that could escape the tree is refused."""
    if ID_RE.match(name):
        return None
    return Problem(rel, 0, 0, f"'{name}' is not a valid id", f"{ID_RULE}; rename the file or folder")


class _Reader:
    """Reads documents of the kinds it is given, collecting every file's problems."""

    def __init__(self, display_root: Path):
        self.display_root = display_root
        self.problems: list[Problem] = []
        self.unreadable: set[DocKey] = set()

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.display_root).as_posix()
        except ValueError:
            return path.as_posix()

    def read(self, path: Path) -> Document | None:
        try:
            return load_yaml(path, self.rel(path))
        except ContentErrors as exc:
            self.problems.extend(exc.problems)
        return None

    def documents(self, base: Path, kinds: Iterable, ident: str = "") -> dict[DocKey, Document]:
        """Every document of `kinds` below `base` (a kind names its file, or its folder of files)."""
        docs: dict[DocKey, Document] = {}
        for kind in kinds:
            if kind.many:
                for stem, doc in self.folder(base / kind.source).items():
                    if doc is None:
                        self.unreadable.add((kind.name, stem))
                    else:
                        docs[(kind.name, stem)] = doc
                continue
            path = base / kind.source
            if path.is_file():
                doc = self.read(path)
                if doc is not None:
                    docs[(kind.name, "")] = doc
                else:
                    self.unreadable.add((kind.name, ""))
            elif kind.missing_hint:
                self.problems.append(Problem(self.rel(path), 0, 0, f"{path.name} is missing", kind.missing_hint.format(id=ident)))
        return docs

    def folder(self, folder: Path) -> dict[str, Document | None]:
        """Each file's document by id; None for a file that exists but could not be read (its problems are noted)."""
        docs: dict[str, Document | None] = {}
        if not folder.is_dir():
            return docs
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.suffix not in (".yaml", ".yml"):
                self.problems.append(Problem(self.rel(path), 0, 0, "not a YAML file", "content files end in .yaml"))
                continue
            bad = check_id(path.stem, self.rel(path))
            if bad:
                self.problems.append(bad)
                continue
            docs[path.stem] = self.read(path)
        return docs

    def handwritten(self, pages_dir: Path) -> dict[str, HandFile]:
        """Every file under handbook/pages/ (hidden ones aside): pages as checked UTF-8 text, assets as bytes."""
        found: dict[str, HandFile] = {}
        if not pages_dir.is_dir():
            return found
        for path in sorted(pages_dir.rglob("*")):
            inside = path.relative_to(pages_dir)
            if not path.is_file() or any(part.startswith(".") for part in inside.parts):
                continue
            rel = self.rel(path)
            try:
                data = read_text(path, rel).encode("utf-8") if path.suffix == ".md" else read_asset(path, rel)
            except ContentErrors as exc:
                self.problems.extend(exc.problems)
                continue
            found[inside.as_posix()] = HandFile(inside.as_posix(), rel, data)
        return found


def engagement_folders(content_dir: Path) -> list[Path]:
    """The engagement folders, by id (names that are no id are reported when the folder is read)."""
    root = content_dir / "engagements"
    if not root.is_dir():
        return []
    return [f for f in sorted(root.iterdir()) if f.is_dir() and not f.name.startswith(".")]


def load_engagement(folder: Path, kinds: Iterable, display_root: Path) -> tuple[RawEngagement | None, list[Problem]]:
    """Read one engagement folder's documents."""
    reader = _Reader(display_root)
    bad = check_id(folder.name, reader.rel(folder))
    if bad:
        return None, [bad]
    documents = reader.documents(folder, kinds, folder.name)
    return RawEngagement(folder.name, documents, frozenset(reader.unreadable), folder, display_root), reader.problems


def load_content(content_dir: Path, display_root: Path, kinds: Iterable, only: set[str] | None = None) -> tuple[RawContent, list[Problem]]:
    """Read the content tree (with `only`, just those engagement folders); collect every file's problems.

    `kinds` are the document kinds (model.kinds.KINDS): where each one's files are.
    """
    reader = _Reader(display_root)
    if not content_dir.is_dir():
        raise OpsdocsError(f"{reader.rel(content_dir)}: the content folder does not exist",
                           "pass --content DIR, or run 'opsdocs init' to start a project")
    kinds = list(kinds)
    documents = reader.documents(content_dir, [k for k in kinds if k.scope == "site"])
    handwritten = reader.handwritten(content_dir / "handbook" / "pages")
    engagements: dict[str, RawEngagement] = {}
    for folder in engagement_folders(content_dir):
        if only is not None and folder.name not in only:
            continue
        raw, problems = load_engagement(folder, [k for k in kinds if k.scope == "engagement"], display_root)
        reader.problems.extend(problems)
        if raw is not None:
            engagements[raw.id] = raw
    return RawContent(content_dir, documents, handwritten, engagements), reader.problems
