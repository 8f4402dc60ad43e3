"""Blueprints that keep flowing into running engagements.

`new_from_blueprint` writes an engagement from a blueprint and records in its folder (`.blueprint/`) which
blueprint, which version, the answers, and the files as the blueprint gave them: the base of every later merge,
so no old version of the blueprint is ever needed again. `update` merges three ways, file by file: the base,
ours (the engagement now) and theirs (the blueprint now, with the recorded answers), after the blueprint's
migrations between the two versions ran on base and ours. See `merge.py` for how data merges.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..errors import ContentErrors, OpsdocsError, Problem, unknown_engagement
from ..load import load_engagement
from ..model import validate_document, validate_engagement
from ..model.kinds import kinds_in
from ..parse import load_yaml, parse_yaml
from ..project import Project
from ..write import write_atomic
from .merge import MISSING, Conflict, merge, patch
from .render import Source, answers_for, find, migrate, migrations_between, render, scratch_dir
from .spec import parse_version
from .yamltext import YAML_SUFFIXES, dump, load, plain

RECORD_DIR = ".blueprint"
RECORD = f"{RECORD_DIR}/record.yaml"
BASE = f"{RECORD_DIR}/base"


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    blueprint: str
    source: str
    version: str
    answers: dict[str, str] = {}


@dataclass
class Outcome:
    """What an update does to one engagement."""

    eid: str
    blueprint: str
    old: str
    new: str
    files: dict[str, str | None] = field(default_factory=dict)  # rel → new text (None: removed), only what changes
    changes: list[str] = field(default_factory=list)  # "engagement.yaml: operate.monitor.alerts.disk-full"
    conflicts: list[str] = field(default_factory=list)  # "file:line: path: base / ours / theirs"


def read_record(project: Project, folder: Path) -> Record:
    path = folder / RECORD
    if not path.is_file():
        raise OpsdocsError(f"engagement '{folder.name}' was not made from a blueprint (no {RECORD})",
                           "only engagements made with 'opsdocs new engagement ID --blueprint NAME' can be updated")
    problems: list[Problem] = []
    record = validate_document(load_yaml(path, project.rel(path)), Record, problems)
    if problems or record is None:
        raise ContentErrors(problems)
    try:
        parse_version(record.version)
    except ValueError as exc:
        raise ContentErrors([Problem(project.rel(path), 0, 0, f"a broken record: {exc}", "restore it from git")]) from None
    return record


def _record_files(source: Source, answers: dict[str, str], rendered: dict[str, str]) -> dict[str, str]:
    record = dump(load("")[0], {"blueprint": source.spec.name, "source": source.ref, "version": source.spec.version,
                                "answers": dict(sorted(answers.items()))})
    head = "# Written by opsdocs: the blueprint this engagement follows. 'opsdocs update' reads it; base/ is the merge base.\n"
    return {RECORD: head + record, **{f"{BASE}/{rel}": text for rel, text in rendered.items()}}


def new_from_blueprint(project: Project, eid: str, ref: str, given: dict[str, str], ask: Callable) -> dict[str, bytes]:
    """The files of a new engagement made from a blueprint (relative to the content folder), its record included."""
    with scratch_dir() as scratch:
        source = find(project, ref, Path(scratch))
        answers = answers_for(source.spec, given, {}, ask)
        rendered = render(source, answers, project.rel(source.folder))
    files = {**rendered, **_record_files(source, answers, rendered)}
    return {f"engagements/{eid}/{rel}": text.encode("utf-8") for rel, text in files.items()}


def blueprint_engagements(project: Project) -> list[str]:
    root = project.content_dir / "engagements"
    return sorted(p.parent.parent.name for p in root.glob(f"*/{RECORD}")) if root.is_dir() else []


def plan_update(project: Project, eid: str, to: str | None, keep: str | None, given: dict[str, str], ask: Callable) -> Outcome:
    """What updating one engagement to its blueprint's version (or `to`) would change, and its conflicts."""
    folder = project.content_dir / "engagements" / eid
    if not folder.is_dir():
        raise unknown_engagement(eid, blueprint_engagements(project))
    record = read_record(project, folder)
    with scratch_dir() as scratch:
        ref = f"{record.source.split('@')[0]}@{to}" if to else record.source  # --to: another revision of the same blueprint
        source = find(project, ref, Path(scratch))
        if parse_version(source.spec.version) < parse_version(record.version):
            raise OpsdocsError(f"'{eid}' follows {source.spec.name} {record.version}; {ref} is the older {source.spec.version}",
                               "an update never goes back a version")
        answers = answers_for(source.spec, given, record.answers, ask)
        theirs = render(source, answers, project.rel(source.folder))
    base = {p.relative_to(folder / BASE).as_posix(): p.read_text(encoding="utf-8") for p in sorted((folder / BASE).rglob("*")) if p.is_file()}
    ours = {rel: (folder / rel).read_text(encoding="utf-8") for rel in sorted(set(base) | set(theirs)) if (folder / rel).is_file()}
    for rel, text in ours.items():  # a hand edit that broke a file: said at its line, before anything is merged
        if rel.endswith(YAML_SUFFIXES):
            parse_yaml(text, folder / rel, project.rel(folder / rel))
    outcome = Outcome(eid, source.spec.name, record.version, source.spec.version)
    steps = migrations_between(source.spec, record.version, source.spec.version)
    base_docs, ours_docs, yamls = _documents(base), _documents(ours), {}
    for rel, text in ours.items():
        if rel.endswith(YAML_SUFFIXES):
            yamls[rel] = load(text)[0]
    for step in steps:
        migrate(base_docs, step)
        migrate(ours_docs, step)
    for rel in sorted(set(base_docs) | set(ours_docs) | set(theirs)):
        _merge_file(outcome, rel, base_docs.get(rel, MISSING), ours_docs.get(rel, MISSING), theirs.get(rel), ours.get(rel),
                    yamls.get(rel), keep)
    for rel in sorted(set(ours) - set(ours_docs)):  # moved or removed by a migration
        outcome.files.setdefault(rel, None)
    outcome.files.update({rel: text for rel, text in _record_files(source, answers, theirs).items()})
    outcome.files.update({f"{BASE}/{rel}": None for rel in set(base) - set(theirs)})
    return outcome


def _documents(texts: dict[str, str]) -> dict[str, Any]:
    return {rel: (load(text)[1] if rel.endswith(YAML_SUFFIXES) else text) for rel, text in texts.items()}


def _merge_file(outcome: Outcome, rel: str, base: Any, ours: Any, theirs_text: str | None, ours_text: str | None, yaml, keep) -> None:
    theirs = MISSING if theirs_text is None else (load(theirs_text)[1] if rel.endswith(YAML_SUFFIXES) else theirs_text)
    conflicts: list[Conflict] = []
    b, o, t = (plain(x) if x is not MISSING else MISSING for x in (base, ours, theirs))
    if t is MISSING and b is not MISSING and o is not MISSING and o != b:
        outcome.changes.append(f"{rel}: kept (the blueprint removed it; it was changed here)")
        return  # a file the blueprint removes goes only if the consultant did not change it
    merged = merge(b, o, t, conflicts, keep)
    for c in conflicts:
        outcome.conflicts.append(f"{rel}:{_line(ours, c.path)}: {c.dotted()}: base {_show(c.base)} / ours {_show(c.ours)} / "
                                 f"theirs {_show(c.theirs)}")
    on_disk = MISSING if ours_text is None else (plain(load(ours_text)[1]) if rel.endswith(YAML_SUFFIXES) else ours_text)
    if merged == on_disk or (merged is MISSING and on_disk is MISSING):
        return  # nothing changes in this file (a migration's change to it counts as a change)
    if merged is MISSING:
        outcome.files[rel] = None
        outcome.changes.append(f"{rel}: removed")
        return
    if not rel.endswith(YAML_SUFFIXES):
        outcome.files[rel] = merged
    elif ours is MISSING or ours is None:
        outcome.files[rel] = theirs_text
    else:
        node = patch(ours, merged)
        outcome.files[rel] = dump(yaml or load(ours_text or "")[0], node)
    outcome.changes.append(f"{rel}: " + (", ".join(_paths(on_disk, merged)) if on_disk is not MISSING else "added"))


def _paths(old: Any, new: Any, path: tuple = ()) -> list[str]:
    """Where two versions of a document differ, as dotted paths (items of a list named by their id)."""
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        return [p for k in [*old, *(k for k in new if k not in old)] for p in _paths(old.get(k), new.get(k), path + (k,))]
    return [".".join(map(str, path)) or "(whole file)"]


def _line(node: Any, path: tuple) -> int:
    line = 1
    for part in path:
        try:
            if isinstance(node, dict) and part in node:
                line, node = node.lc.key(part)[0] + 1, node[part]
            elif isinstance(node, list):
                index = next(i for i, item in enumerate(node) if isinstance(item, dict) and part in map(str, item.values()))
                line, node = node.lc.item(index)[0] + 1, node[index]
            else:
                break
        except (AttributeError, KeyError, StopIteration, TypeError):
            break
    return line


def _show(value: Any) -> str:
    text = "(none)" if value is MISSING else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def check_result(project: Project, outcome: Outcome) -> None:
    """The engagement as the update would leave it must pass `opsdocs check`'s rules for one engagement."""
    folder = project.content_dir / "engagements" / outcome.eid
    with scratch_dir() as scratch:
        copy = Path(scratch) / outcome.eid
        shutil.copytree(folder, copy)
        for rel, text in outcome.files.items():
            if text is None:
                (copy / rel).unlink(missing_ok=True)
            else:
                (copy / rel).parent.mkdir(parents=True, exist_ok=True)
                (copy / rel).write_text(text, encoding="utf-8")
        raw, problems = load_engagement(copy, kinds_in("engagement"), Path(scratch))
        if raw is not None:
            problems += validate_engagement(raw)[1]
        errors = [p for p in problems if not p.warning]
    if errors:
        raise ContentErrors([Problem(f"{project.rel(folder)}/{p.path.split('/', 1)[-1]}", p.line, p.column,
                                     f"after the update: {p.message}", p.hint) for p in errors])


def apply(project: Project, outcome: Outcome) -> None:
    folder = project.content_dir / "engagements" / outcome.eid
    for rel, text in sorted(outcome.files.items()):
        if text is None:
            (folder / rel).unlink(missing_ok=True)
        else:
            write_atomic(folder / rel, text.encode("utf-8"))
