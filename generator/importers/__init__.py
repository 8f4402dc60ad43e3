"""Import: what a client already has (Markdown runbooks and post-mortems, incident tools' records) as draft documents.

Each importer turns one source into one document of a kind: its data, the
TODO placeholders it had to leave, and where it came from. `plan_import`
places it in the engagement (never over a file it did not make, nor twice for
one source) and `write_imports` writes it. The YAML says, in comments at its
top, where it came from; the `source` line is how a second import of the same
file or incident is recognised.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import OpsdocsError, unknown_engagement
from ..escape import yaml_scalar
from ..links import unsafe_urls
from ..load import engagement_folders
from ..model.kinds import Kind
from ..model.questions import slug
from ..project import Project
from ..write import write_new_files

SOURCE_LINE = re.compile(r"^# source: (.+)$", re.M)
TODO = "TODO"  # the placeholder the draft rules know (model/checks.py)
# A draft post-mortem's placeholders for what its source did not say.
SUMMARY_TODO = f"{TODO}: what happened, in a paragraph."
IMPACT_TODO = f"{TODO}: who was affected, how much, for how long."


@dataclass
class Imported:
    """One document made from a source, before it is placed."""

    ident: str  # its id: the file's stem
    data: dict  # the document, in the content format's keys and order
    origin: str  # where it came from, as said in its comments: 'runbooks/X.md', 'PagerDuty incident Q1W2E3 (#4711)'
    source: str  # what identifies the source for a re-import: 'file sha256:…', 'pagerduty:Q1W2E3'
    todos: list[str] = field(default_factory=list)  # the keys left as TODO, for the person reviewing it
    notes: list[str] = field(default_factory=list)  # what else the importer says about it


@dataclass
class Placed:
    imported: Imported
    rel: str  # relative to the content folder
    text: str  # the YAML


def incident_id(day: date, title: str) -> str:
    """An imported post-mortem's id: its date and its title, `2026-03-14-checkout-down`."""
    return f"{day.isoformat()}-{slug(title)}"[:64].strip("-")


def fingerprint(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()[:16]


def to_yaml(data: dict, comments: list[str]) -> str:
    """The document as YAML that reads like a hand-written one: keys in order, text as literal blocks."""
    out = [f"# {line}" if line else "#" for line in comments]
    _emit(data, 0, out)
    return "\n".join(out) + "\n"


def _emit(value: object, indent: int, out: list[str], key: str | None = None) -> None:
    pad = " " * indent
    head = f"{pad}{key}:" if key is not None else None
    if isinstance(value, dict):
        if head:
            out.append(head)
        for k, v in value.items():
            if _empty(v):
                continue
            _emit(v, indent + (2 if head else 0), out, k)
    elif isinstance(value, list):
        out.append(head or "")
        for item in value:
            if isinstance(item, dict):
                first = True
                for k, v in item.items():
                    if v is None or v == []:
                        continue
                    lines: list[str] = []
                    _emit(v, indent + 4, lines, k)
                    lines[0] = f"{pad}  - " + lines[0].lstrip() if first else lines[0]
                    out.extend(lines)
                    first = False
            else:
                out.append(f"{pad}  - {_scalar(item, indent + 4)}")
    else:
        out.append(f"{head} {_scalar(value, indent + 2)}")


def _empty(value: object) -> bool:
    """Nothing to write: None, an empty list, a mapping of empty values."""
    return value is None or value == [] or (isinstance(value, dict) and all(_empty(v) for v in value.values()))


def _scalar(value: object, indent: int) -> str:
    text = str(value)
    if "\n" in text and not text[:1].isspace() and "\t" not in text and "\r" not in text:
        body = "\n".join((" " * indent + line) if line else "" for line in text.rstrip("\n").split("\n"))
        return ("|\n" if text.endswith("\n") else "|-\n") + body
    if "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return yaml_scalar(value)


def plan_import(project: Project, kind: Kind, eid: str, imported: list[Imported], force: bool) -> list[Placed]:
    """Where each imported document goes (`engagements/<id>/<kind's folder>/<id>.yaml`), refusing to replace a file
    unless `force`, and recognising a source imported before (under any name)."""
    folder = project.content_dir / "engagements" / eid
    if not folder.is_dir():
        raise unknown_engagement(eid, [f.name for f in engagement_folders(project.content_dir)])
    earlier = _earlier_sources(folder / kind.source)
    placed: list[Placed] = []
    seen: dict[str, str] = {}  # source or file → the origin that claimed it in this import
    for item in imported:
        rel = f"engagements/{eid}/{kind.source_rel(item.ident)}"
        before = earlier.get(item.source)
        if item.source in seen:
            raise OpsdocsError(f"{item.origin} is given twice", "import each file or incident once")
        if rel in seen:  # two sources, one id: one would silently replace the other
            raise OpsdocsError(f"{item.origin} and {seen[rel]} would both be written to content/{rel}",
                               "rename one of them, or import them one at a time")
        seen[item.source] = seen[rel] = item.origin
        if before and not force:
            raise OpsdocsError(f"{item.origin} was imported before, as content/{before}",
                               "edit that file, or pass --force to import it again as a new file")
        if (project.content_dir / rel).exists() and not force:
            raise OpsdocsError(f"content/{rel} exists already", "pass --force to replace it, or remove it first")
        placed.append(Placed(item, rel, to_yaml(_inert(item.data), _comments(kind, item))))
    return placed


def inert(markdown: str) -> str:
    """A source's text with its unsafe links made text, as `check` refuses them: `[a](javascript:…)` keeps its
    words and shows its target, but is no link."""
    for url in set(unsafe_urls(markdown)):
        markdown = markdown.replace("](" + url, "\\](" + url).replace("<" + url + ">", "\\<" + url + ">")
    if unsafe_urls(markdown):  # a form the replacements missed (a reference definition): no link at all
        markdown = re.sub(r"([\[\]<])", r"\\\1", markdown)
    return markdown


def _inert(value: object) -> object:
    if isinstance(value, str):
        return inert(value) if "]" in value or "<" in value else value
    if isinstance(value, dict):
        return {k: _inert(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_inert(v) for v in value]
    return value


def _earlier_sources(folder: Path) -> dict[str, str]:
    """The sources of the documents imported into `folder` before, from their `# source:` comment line."""
    found = {}
    for path in sorted(folder.glob("*.y*ml")):
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
        match = SOURCE_LINE.search(head)
        if match:
            rel = path.relative_to(folder.parent.parent.parent).as_posix()
            found[match.group(1).strip()] = rel
    return found


def _comments(kind: Kind, item: Imported) -> list[str]:
    lines = [f"Imported by `opsdocs import` from {item.origin}.", f"source: {item.source}"]
    if item.todos:
        lines.append("Fill in the TODOs (" + ", ".join(item.todos) + "), review it, then set `status` as the format says.")
    else:
        lines.append("Review it, then set `status` as the format says.")
    return lines


def write_imports(project: Project, placed: list[Placed], force: bool) -> list[Path]:
    return write_new_files(project.content_dir, {p.rel: p.text.encode("utf-8") for p in placed}, force)


def read_source(path: Path, limit: int = 5 * 1024 * 1024) -> bytes:
    """A source file's bytes, or a clear error (missing, a folder, too large, empty)."""
    try:
        if path.is_dir():
            raise OpsdocsError(f"{path} is a folder", "name the files to import, e.g. runbooks/*.md")
        size = path.stat().st_size
    except FileNotFoundError:
        raise OpsdocsError(f"{path}: no such file") from None
    if size > limit:
        raise OpsdocsError(f"{path} is {size / 1024 / 1024:.1f} MB; a source to import is at most {limit // 1024 // 1024} MB")
    data = path.read_bytes()
    if not data.strip():
        raise OpsdocsError(f"{path} is empty", "nothing to import")
    return data


def read_markdown_text(path: Path) -> str:
    data = read_source(path)
    if b"\x00" in data[:8192]:
        raise OpsdocsError(f"{path} is not Markdown: it is a binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OpsdocsError(f"{path} is not UTF-8 text (byte {exc.start})", "save it as UTF-8 and import it again") from None

