"""Publish: the leak audit. Before a client's bundle goes anywhere, no file of it (the Markdown it was built from,
every page, the search index, the sitemap, the 404 page, scripts and styles) may hold:

- a string that names another engagement: its client, contacts, title, system (a name of more than one word),
  environments and repositories, as whole words
  (unless the handbook, which every client sees, says it too);
- a string of an internal item or of `internal_notes` (what a client build leaves out);
- a secret from the monitoring files: a value under a password, token, key, secret or URL key of the
  Alertmanager configuration.

Text is compared as a reader sees it: HTML tags dropped, entities and JSON escapes decoded, spaces collapsed,
case ignored.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel

from ..audience import engagement_for
from ..model import Content, EngagementData

MIN_LENGTH = 4  # shorter strings (an id such as "db") say nothing about whose they are
_PHRASE = re.compile(r"[^\s*_`#>\[\]()|!]+(?:[ \t]+[^\s*_`#>\[\]()|!]+){4,}")  # five words or more, without markup
_SECRET_KEY = re.compile(r"pass|secret|token|(^|_)key$|url$|credential", re.I)
_TEXT_FILES = (".html", ".md", ".json", ".xml", ".js", ".css", ".txt", ".svg", ".yml", ".yaml")


@dataclass(frozen=True)
class Leak:
    file: str  # in the bundle
    text: str  # what was found
    origin: str  # whose it is

    def format(self) -> str:
        return f"{self.file}: '{self.text}' ({self.origin})"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def identity(data: EngagementData) -> set[str]:
    """What names an engagement: its client, the client's contacts, its title, its system (when its name is more
    than one word), the addresses of its environments and repositories."""
    e = data.engagement
    found = {data.title, e.client.name}
    if len(e.system.name.split()) > 1:  # a one-word system name ("Checkout") is a word others use too
        found.add(e.system.name)
    for contact in e.client.contacts:
        found |= {contact.name, contact.email or "", contact.phone or ""}
    for env in e.system.environments:
        found |= {env.url or "", urlsplit(env.url or "").netloc}
    found |= {c.repo or "" for c in e.system.components}
    return {s for s in found if len(s) >= MIN_LENGTH}


def internal_strings(data: EngagementData) -> set[str]:
    """The text of what a client build leaves out (internal items, internal notes): each run of five words or more
    (a sentence copied into a visible field is a leak too), and each short value with a space, an @ or a / (a name,
    an address) that no visible field holds."""
    shown = Counter(normal(s) for _, _, model in engagement_for(data, "client").documents() for s in _strings(model))
    every = Counter(normal(s) for _, _, model in data.documents() for s in _strings(model))
    found = set()
    for _, _, model in data.documents():
        for text in _strings(model):
            key = normal(text)
            if every[key] <= shown[key]:
                continue  # every copy of it is shown: not internal
            found |= {p for p in _PHRASE.findall(text) if len(p.split()) >= 5}
            if len(text) >= 8 and "\n" not in text and re.search(r"[ @/]", text) and len(text.split()) < 5 and not shown[key]:
                found.add(text)
    return found


def secrets(data: EngagementData, folder: Path) -> set[str]:
    """Values under secret-looking keys of the engagement's Alertmanager configuration, and the hosts of its URLs."""
    source = data.engagement.operate.monitor.sources
    if source is None or not source.alertmanager:
        return set()
    found: set[str] = set()
    for path in sorted(folder.glob(source.alertmanager)):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        found |= set(_secret_values(raw))
    return {s for s in found if len(s) >= 6}


def _secret_values(node: Any, secret: bool = False) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _secret_values(value, secret or bool(_SECRET_KEY.search(str(key))))
    elif isinstance(node, list):
        for item in node:
            yield from _secret_values(item, secret)
    elif secret and isinstance(node, (str, int)) and not isinstance(node, bool):
        text = str(node)
        yield text
        if urlsplit(text).netloc:
            yield urlsplit(text).netloc


class Banned:
    """What each engagement must keep to itself, read once for a whole publish."""

    def __init__(self, content: Content, folder_of: dict[str, Path]):
        self.content = content
        self.public = normal("\n".join(s for _, _, model in content.documents() for s in _strings(model))
                             + "\n".join(page.text for page in content.pages.values()))
        self.identity = {eid: identity(data) for eid, data in content.engagements.items()}
        self.hidden = {eid: internal_strings(data) for eid, data in content.engagements.items()}
        self.secrets = {eid: secrets(data, folder_of[eid]) for eid, data in content.engagements.items()}

    def of(self, eid: str) -> dict[str, tuple[str, str]]:
        """Every string client `eid`'s bundle must not hold: normalised → (as written, where it comes from)."""
        mine = {normal(s) for s in self.identity[eid]}
        found: dict[str, tuple[str, str]] = {}
        for other_id in [eid, *sorted(set(self.content.engagements) - {eid})]:  # its own first: the likeliest origin
            for text in self.secrets[other_id]:
                found.setdefault(normal(text), (text, f"a secret from the monitoring files of '{other_id}'"))
            for text in self.hidden[other_id]:
                found.setdefault(normal(text), (text, f"an internal item or internal_notes of '{other_id}'"))
            if other_id == eid:
                continue
            for text in self.identity[other_id]:
                key = normal(text)
                if key not in mine and key not in self.public:
                    found.setdefault(key, (text, f"names engagement '{other_id}'"))
        return found


def readable(name: str, data: bytes) -> str | None:
    """A bundle file's text as a reader sees it, or None for a binary file."""
    if not name.endswith(_TEXT_FILES):
        return None
    text = data.decode("utf-8", errors="replace")
    if name.endswith(".json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except json.JSONDecodeError:
            pass
    if name.endswith((".html", ".xml", ".svg", ".json")):
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return normal(text)


def audit(files: Iterator[tuple[str, bytes]], banned: dict[str, tuple[str, str]]) -> list[Leak]:
    """The leaks in a bundle's files: each forbidden string found, with the file it is in."""
    if not banned:
        return []
    # Whole words only: a client called "Bolt" is not found in "bolted".
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(b) for b in sorted(banned, key=len, reverse=True)) + r")(?!\w)")
    leaks = []
    for name, data in files:
        text = readable(name, data)
        if text is None:
            continue
        for found in sorted(set(pattern.findall(text))):
            leaks.append(Leak(name, *banned[found]))
    return leaks


def bundle_files(docs: dict[str, bytes], site: Path) -> Iterator[tuple[str, bytes]]:
    """The files the audit reads: the Markdown the site was built from, then every file of the site."""
    for rel in sorted(docs):
        yield f"docs/{rel}", docs[rel]
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        yield path.relative_to(site).as_posix(), path.read_bytes()
