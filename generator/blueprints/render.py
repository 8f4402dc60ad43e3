"""Blueprints: where a blueprint is found, its files made with the answers, and the migrations between versions."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ContentErrors, OpsdocsError, Problem, did_you_mean
from ..parse import parse_yaml
from ..project import Project
from .spec import PLACEHOLDER, SPEC, BlueprintSpec, Migration, parse_version, read_spec
from .yamltext import YAML_SUFFIXES, dump, like, load


@dataclass(frozen=True)
class Source:
    ref: str  # as the user named it, and as the record keeps it: NAME or PATH[@REV]
    folder: Path
    spec: BlueprintSpec


def find(project: Project, ref: str, scratch: Path) -> Source:
    """A blueprint by name (templates/blueprints/NAME in the project, then opsdocs' own) or by folder, at a git
    revision with PATH@REV (checked out from the repository that holds PATH, into `scratch`)."""
    path_part, _, rev = ref.partition("@") if "@" in ref and not ref.startswith("git@") else (ref, "", "")
    if "/" not in path_part and not path_part.startswith("."):
        tiers = [t / "blueprints" / path_part for t in project.template_tiers(None)]
        folder = next((t for t in tiers if (t / SPEC).is_file()), None)
        if folder is None:
            known = sorted({p.parent.name for t in project.template_tiers(None) for p in (t / "blueprints").glob(f"*/{SPEC}")})
            raise OpsdocsError(f"no blueprint named '{path_part}'", did_you_mean(path_part, known) or
                               "blueprints live in templates/blueprints/NAME/, or give a folder's path")
    else:
        folder = (project.root / path_part).resolve()
    if rev:
        folder = _checkout(folder, rev, scratch)
    display = project.rel(folder) if not rev else f"{path_part}@{rev}"
    return Source(ref, folder, read_spec(folder, display))


def _checkout(folder: Path, rev: str, scratch: Path) -> Path:
    top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True, text=True)
    if top.returncode != 0:
        raise OpsdocsError(f"{folder} is not in a git repository, so it has no revision '{rev}'", "leave out @REV")
    root = Path(top.stdout.strip())
    inside = folder.resolve().relative_to(root.resolve()).as_posix()
    done = subprocess.run(["git", "archive", "--format=tar", rev, "--", inside or "."], cwd=root, capture_output=True)
    if done.returncode != 0:
        raise OpsdocsError(f"git has no revision '{rev}' of {folder}: {done.stderr.decode(errors='replace').strip()}")
    out = scratch / f"blueprint-{rev.replace('/', '_')}"
    shutil.rmtree(out, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(out, filter="data")
    return out / inside if inside else out


def blueprint_files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p.name != SPEC and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def answers_for(spec: BlueprintSpec, given: dict[str, str], recorded: dict[str, str], ask) -> dict[str, str]:
    """Every question's answer: given (--answer), else recorded, else asked (`ask` returns None under --no-input),
    else its default; a question left without one is an error naming it."""
    unknown = sorted(set(given) - {q.name for q in spec.questions})
    if unknown:
        raise OpsdocsError(f"--answer {unknown[0]}=...: blueprint '{spec.name}' asks no question '{unknown[0]}'",
                           did_you_mean(unknown[0], [q.name for q in spec.questions]))
    found = {}
    for q in spec.questions:
        value = given.get(q.name, recorded.get(q.name))
        if value is None:
            value = ask(q)
        if value is None:
            value = q.default
        if value is None:
            raise OpsdocsError(f"blueprint '{spec.name}' asks '{q.name}' ({q.prompt}) and it has no answer",
                               f"pass --answer {q.name}=VALUE")
        found[q.name] = str(value)
    return found


def render(source: Source, answers: dict[str, str], display: str) -> dict[str, str]:
    """The blueprint's files with the answers in place of the placeholders; YAML changed as data, so an answer with
    a colon or a quote stays one value."""
    names = {q.name for q in source.spec.questions}
    problems, out = [], {}
    for rel in blueprint_files(source.folder):
        text = (source.folder / rel).read_text(encoding="utf-8")
        for number, line in enumerate(text.split("\n"), 1):
            for m in PLACEHOLDER.finditer(line):
                if m.group(1) not in names:
                    problems.append(Problem(f"{display}/{rel}", number, m.start() + 1, f"the placeholder {m.group(0)} names no question",
                                            did_you_mean(m.group(1), names) or f"declare '{m.group(1)}' under questions in {SPEC}"))
        if rel.endswith(YAML_SUFFIXES):
            if problems:
                continue
            parse_yaml(text, source.folder / rel, f"{display}/{rel}")  # a syntax error at its line, not a traceback
            yaml, data = load(text)
            out[rel] = dump(yaml, _fill(data, answers)) if data is not None else text
        else:
            out[rel] = PLACEHOLDER.sub(lambda m: answers.get(m.group(1), m.group(0)), text)
    if problems:
        raise ContentErrors(problems)
    return out


def _fill(node: Any, answers: dict[str, str]) -> Any:
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _fill(node[key], answers)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            node[i] = _fill(value, answers)
    elif isinstance(node, str) and PLACEHOLDER.search(node):
        filled = PLACEHOLDER.sub(lambda m: answers.get(m.group(1), m.group(0)), str(node))
        return type(node)(filled) if type(node) is not str else filled
    return node


def migrations_between(spec: BlueprintSpec, old: str, new: str) -> list[Migration]:
    low, high = parse_version(old), parse_version(new)
    return sorted((m for m in spec.migrations if low < parse_version(m.version) <= high), key=lambda m: parse_version(m.version))


def migrate(files: dict[str, Any], migration: Migration) -> dict[str, Any]:
    """One migration on a set of documents (rel → round-trip data, or text for other files), in place where it can."""
    if migration.move_file and migration.move_file.from_ in files:
        files[migration.move_file.to] = files.pop(migration.move_file.from_)
    if migration.remove and migration.remove.file:
        files.pop(migration.remove.file, None)
    engagement = files.get("engagement.yaml")
    if migration.rename_key and isinstance(engagement, dict):
        value = _take(engagement, migration.rename_key.from_.split("."))
        if value is not None:
            _put(engagement, migration.rename_key.to.split("."), value)
    if migration.remove and migration.remove.key and isinstance(engagement, dict):
        _take(engagement, migration.remove.key.split("."))
    if migration.rename_id:
        for rel, data in files.items():
            files[rel] = _rename(data, migration.rename_id.from_, migration.rename_id.to)
    return files


def _take(node: dict, path: list[str]) -> Any:
    for part in path[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            return None
    return node.pop(path[-1], None)


def _put(node: dict, path: list[str], value: Any) -> None:
    for part in path[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = like(None, {})
        node = node[part]
    node[path[-1]] = value


def _rename(node: Any, old: str, new: str) -> Any:
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _rename(node[key], old, new)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            node[i] = _rename(value, old, new)
    elif isinstance(node, str) and str(node) == old:
        return type(node)(new) if type(node) is not str else new
    return node


def scratch_dir() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="opsdocs-blueprint-")
