"""Publish: each client's settings (the command's options, else engagement.yaml's `publish:`, else site.yaml's)
and its credentials, read from a file outside the content."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import OpsdocsError
from ..model import Content
from ..model.site import Publish

KEYS = ("to", "access", "base_url", "host", "credentials")


@dataclass(frozen=True)
class Target:
    """Where and how one client's site is published."""

    eid: str
    to: str  # dir:PATH or git:REPO[#BRANCH]
    access: str  # none, basic or encrypt
    url: str | None  # the site's address (site_url)
    host: str | None  # its own host name, when served by host rather than by path
    language: str
    version: str | None = None  # the handover's version, for the commit message
    techdocs: bool = False  # a Backstage TechDocs source instead of HTML


@dataclass(frozen=True)
class Credentials:
    users: dict[str, str] = field(default_factory=dict)  # basic: name → password
    password: str | None = None  # encrypt


def targets(content: Content, ids: list[str], given: Publish) -> list[Target]:
    """Each client's settings: an option given to the command wins, then the engagement's, then the site's."""
    found = []
    for eid in ids:
        data = content.engagements[eid]
        merged = {key: getattr(given, key) or getattr(data.engagement.publish, key) or getattr(content.site.publish, key)
                  for key in KEYS}
        if not merged["to"]:
            raise OpsdocsError(f"nowhere to publish '{eid}' to", "pass --to dir:PATH or --to git:REPO, or set publish.to in "
                               "site.yaml (or in the engagement's engagement.yaml)")
        if not merged["to"].startswith(("dir:", "git:")):
            raise OpsdocsError(f"'{merged['to']}' is no destination", "write dir:PATH (a folder) or git:REPO[#BRANCH]")
        handover = data.engagement.handover
        found.append(Target(eid, merged["to"], merged["access"] or "none", _fill(merged["base_url"], eid, "base_url"),
                            _fill(merged["host"], eid, "host"), data.engagement.language or content.site.site.language,
                            _version(handover)))
    return found


def _version(handover) -> str | None:
    """The handover's version: the one it names, else the latest accepted."""
    if handover is None:
        return None
    latest = handover.latest_acceptance()
    return handover.version or (latest.version if latest else None)


def _fill(pattern: str | None, eid: str, key: str) -> str | None:
    if pattern is None:
        return None
    unknown = set(re.findall(r"\{([^}]*)\}", pattern)) - {"engagement"}
    if unknown:
        raise OpsdocsError(f"publish.{key} '{pattern}' names {', '.join('{' + u + '}' for u in sorted(unknown))}",
                           "the only placeholder is {engagement}, the engagement's id")
    filled = pattern.replace("{engagement}", eid)
    return filled.rstrip("/") + "/" if key == "base_url" else filled


def read_credentials(path: Path, content_dir: Path) -> dict[str, Credentials]:
    """The credentials file: for each engagement id, `users` (name: password, for basic) and/or `password` (encrypt).
    It must lie outside the content, which is committed and published."""
    if path.resolve().is_relative_to(content_dir.resolve()):
        raise OpsdocsError(f"{path} is inside the content folder", "keep credentials outside the content (and out of git)")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise OpsdocsError(f"cannot read the credentials file {path}: {exc.strerror}", "pass --credentials FILE") from None
    except yaml.YAMLError as exc:
        raise OpsdocsError(f"{path} is not YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise OpsdocsError(f"{path}: expected 'engagement-id:' entries with users and/or password")
    found = {}
    for eid, entry in raw.items():
        entry = entry if isinstance(entry, dict) else {}
        users = entry.get("users") or {}
        if not isinstance(users, dict) or not all(isinstance(v, str) and v for v in users.values()):
            raise OpsdocsError(f"{path}: '{eid}.users' must map each user name to a password (quoted text)")
        password = entry.get("password")
        if password is not None and not isinstance(password, str):
            raise OpsdocsError(f"{path}: '{eid}.password' must be text (quote it)")
        found[str(eid)] = Credentials({str(k): v for k, v in users.items()}, password)
    return found


def credentials_for(target: Target, known: dict[str, Credentials], path: Path | None) -> Credentials:
    """The credentials a client's access needs; an error naming what is missing."""
    if target.access == "none":
        return Credentials()
    entry = known.get(target.eid)
    where = str(path) if path else "the credentials file (--credentials FILE, or publish.credentials in site.yaml)"
    if target.access == "basic" and (entry is None or not entry.users):
        raise OpsdocsError(f"'{target.eid}' is published with --access basic and has no users in {where}",
                           f"add '{target.eid}: {{users: {{name: password}}}}'")
    if target.access == "encrypt" and (entry is None or not entry.password):
        raise OpsdocsError(f"'{target.eid}' is published with --access encrypt and has no password in {where}",
                           f"add '{target.eid}: {{password: ...}}'")
    return entry
