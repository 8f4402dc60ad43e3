"""Pipeline: load → model → compute → render → targets → write, as the commands call it."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ContentErrors, OpsdocsError
from .load import load_content
from .model import Content, validate_content
from .project import Project


@dataclass(frozen=True)
class Checked:
    content: Content
    warnings: list[OpsdocsError]


def read_content(project: Project) -> Checked:
    """Load and validate the whole content tree; raise every error found, in one go."""
    raw, problems = load_content(project.content_dir, project.root)
    content, more = validate_content(raw)
    problems.extend(more)
    errors = [p for p in problems if not p.warning]
    if errors or content is None:
        raise ContentErrors(errors)
    return Checked(content, sorted(p for p in problems if p.warning))
