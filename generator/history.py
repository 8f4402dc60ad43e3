"""Collect and compute: what changed in one engagement since an earlier revision of the repository, for the
handover export's "Changes since" section. The earlier files are read with git; nothing is checked out."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from .errors import ContentErrors, OpsdocsError
from .i18n import N_
from .model import EngagementData, models_of
from .model.kinds import Kind, kinds_in
from .parse import parse_yaml

LAST_ACCEPTANCE = "last-acceptance"
LAST_PUBLISH = "last-publish"
PUBLISH_RECORD = "publish-record.json"  # what `opsdocs publish` delivered, at the project's top
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# The parts of engagement.yaml whose change the section names: a key path and its title.
PARTS = (
    (("operate", "monitor"), N_("O1 — Monitor")),
    (("operate", "fix"), N_("O2 — Fix")),
    (("operate", "improve"), N_("O3 — Improve")),
    (("operate", "optimize"), N_("O4 — Optimize")),
    (("terms",), N_("Engagement terms")),
    (("handover",), N_("Handover")),
)


@dataclass(frozen=True)
class Since:
    """An earlier revision: the commit, how it was asked for, and its date."""

    commit: str
    asked: str
    day: date
    top: Path  # the repository's top folder


@dataclass
class Changes:
    since: Since
    added: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # kind → (id, title)
    changed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    removed: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    parts: list[str] = field(default_factory=list)  # titles (messages) of the engagement.yaml parts that changed
    actions: list[tuple[str, object]] = field(default_factory=list)  # (incident id, action item) added since

    @property
    def empty(self) -> bool:
        return not (any(self.added.values()) or any(self.changed.values()) or any(self.removed.values())
                    or self.parts or self.actions)


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise OpsdocsError(f"git {' '.join(args[:2])}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def _repository(root: Path) -> Path:
    """The top folder of the git repository `root` is in."""
    if shutil.which("git") is None:
        raise OpsdocsError("--since reads the repository's history, and git is not installed", "install git, or leave out --since")
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=root, capture_output=True, text=True)
    if done.returncode != 0:
        raise OpsdocsError(f"--since needs the content in a git repository, and {root} is not in one",
                           "commit the content to git, or leave out --since")
    return Path(done.stdout.strip()).resolve()


def _published_revision(root: Path, eid: str) -> str:
    """The content revision the engagement was last published from, as `publish-record.json` (at `root`) says."""
    path = root / PUBLISH_RECORD
    record = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    revision = (record.get(eid) or {}).get("revision", "")
    if not revision:
        raise OpsdocsError(f"--since {LAST_PUBLISH}: engagement '{eid}' was never published from this project",
                           "run 'opsdocs publish' first, or give a revision or a date")
    if revision.startswith("content:"):
        raise OpsdocsError(f"--since {LAST_PUBLISH}: '{eid}' was published from content that was not committed to git",
                           "commit the content before publishing, or give a date")
    return revision.removesuffix("+changes")


def resolve(root: Path, asked: str, data: EngagementData) -> Since:
    """The commit `--since` means: a revision or tag, a date (the last commit of that day), or `last-acceptance`."""
    top = _repository(root)
    when = asked
    if asked == LAST_ACCEPTANCE:
        latest = data.engagement.handover.latest_acceptance() if data.engagement.handover else None
        if latest is None:
            raise OpsdocsError(f"--since {LAST_ACCEPTANCE}: engagement '{data.id}' has no acceptance recorded",
                               "add one under handover.acceptance, or give a revision or a date")
        when = latest.date.isoformat()
    if asked == LAST_PUBLISH:
        when = _published_revision(root, data.id)
    if _DATE.match(when):
        commit = _git(root, "rev-list", "-1", f"--before={when} 23:59:59", "HEAD").strip()
        if not commit:
            raise OpsdocsError(f"--since {asked}: the repository has no commit on or before {when}")
    else:
        done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{when}^{{commit}}"], cwd=root,
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise OpsdocsError(f"--since {asked}: the repository has no such revision",
                               "give a tag, a branch, a commit, a date (YYYY-MM-DD) or last-acceptance")
        commit = done.stdout.strip()
    day = date.fromisoformat(_git(root, "show", "-s", "--format=%cs", commit).strip())
    return Since(commit, asked, day, top)


def _old_files(root: Path, commit: str, folder: PurePosixPath) -> dict[str, str]:
    """The engagement's YAML files at `commit`, by path relative to its folder."""
    names = _git(root, "ls-tree", "-r", "--name-only", commit, "--", f"{folder}/").splitlines()
    found = {}
    for name in names:
        rel = PurePosixPath(name).relative_to(folder).as_posix()
        if rel == "engagement.yaml" or any(re.fullmatch(re.escape(kind.source) + r"[^/]+\.ya?ml", rel) for kind in listed()):
            found[rel] = _git(root, "show", f"{commit}:{name}")
    return found


def _data(text: str | None, name: str) -> object:
    """A file's data as YAML reads it (positions left out), to compare two versions; its text if it did not parse."""
    if text is None:
        return None
    try:
        return parse_yaml(text, Path(name), name).data
    except ContentErrors:
        return text


def _at(node: object, path: tuple[str, ...]) -> object:
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _title(data: object, fallback: str) -> str:
    title = data.get("title") if isinstance(data, dict) else None
    return str(title) if title else fallback


def changes_since(root: Path, folder: Path, since: Since, data: EngagementData, visible: EngagementData) -> Changes:
    """What changed in the engagement's folder between `since` and its files as they are now.

    `data` is the engagement as read (its files' data in `sources`); `visible` is what the document's audience
    sees, so an internal action item is never listed as new in a client's handover."""
    top, folder = since.top, folder.resolve()
    if not folder.is_relative_to(top):
        raise OpsdocsError(f"--since: {folder} is not inside the git repository at {top}")
    files = _old_files(root, since.commit, PurePosixPath(folder.relative_to(top).as_posix()))
    old = {name: _data(text, name) for name, text in files.items()}
    found = Changes(since)
    for listed_kind in listed():
        kind, sub, now = listed_kind.name, listed_kind.source, models_of(visible, listed_kind)
        before = {PurePosixPath(name).stem: value for name, value in old.items() if name.startswith(sub)}
        current = {ident: data.sources[(kind, ident)].data for ident in now if (kind, ident) in data.sources}
        found.added[kind] = [(i, now[i].title) for i in sorted(now) if i not in before]
        found.changed[kind] = [(i, now[i].title) for i in sorted(now) if i in before and current.get(i) != before[i]]
        found.removed[kind] = [(i, _title(before[i], i)) for i in sorted(before)
                               if i not in now and (kind, i) not in data.sources]
    engagement_now = data.sources[("engagement", "")].data
    found.parts = [title for path, title in PARTS if _at(engagement_now, path) != _at(old.get("engagement.yaml"), path)]
    for iid, incident in sorted(visible.incidents.items()):
        earlier = _at(_before_incident(old, iid), ("action_items",))
        known = {str(item.get("do")) for item in earlier if isinstance(item, dict)} if isinstance(earlier, list) else set()
        found.actions.extend((iid, item) for item in incident.action_items if str(item.do) not in known)
    return found


def listed() -> tuple[Kind, ...]:
    """The kinds whose documents "changes since" lists: an engagement's folders of documents with pages."""
    return tuple(kind for kind in kinds_in("engagement") if kind.many and kind.page_template and kind.changes)


def _before_incident(old: dict[str, object], iid: str) -> object:
    return old.get(f"incidents/{iid}.yaml", old.get(f"incidents/{iid}.yml"))
