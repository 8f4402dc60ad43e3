"""Extensions from other packages, found through entry point groups (as MkDocs finds its plugins):

- `opsdocs.kinds`: a module that calls `model.kinds.register_kind` (a kind of document);
- `opsdocs.engines`: a module that calls `targets.register` (an output engine);
- `opsdocs.languages`: name = a language tag, value = a module attribute holding the path of its `opsdocs.po`;
- `opsdocs.templates`: value = a module attribute holding the path of a template folder (`common/`, `<engine>/`,
  `scaffold/` inside, as in opsdocs' own), tried after the project's templates and before the shipped ones.

Only the names are read at start; a module is imported when its group is first asked for.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

KINDS, ENGINES, LANGUAGES, TEMPLATES = "opsdocs.kinds", "opsdocs.engines", "opsdocs.languages", "opsdocs.templates"


@lru_cache(maxsize=None)
def _entries(group: str) -> tuple:
    from importlib.metadata import entry_points

    return tuple(sorted(entry_points(group=group), key=lambda entry: entry.name))


def load_modules(group: str) -> None:
    """Import every module of a group (each registers what it brings)."""
    for entry in _entries(group):
        entry.load()


@lru_cache(maxsize=None)
def paths(group: str) -> dict[str, Path]:
    """A group whose values are paths (a catalog, a template folder), by entry name."""
    return {entry.name: Path(entry.load()) for entry in _entries(group)}
