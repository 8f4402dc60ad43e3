"""Blueprints: `blueprint.yaml`, the questions a blueprint asks and the migrations between its versions.

A blueprint is a folder shaped like an engagement folder (engagement.yaml, runbooks/, monitoring/ ...) whose text
values may hold `{{ name }}` placeholders for the answers, plus this file:

    name: web-shop
    version: "1.3"                  # compared as a version number: 1.10 comes after 1.9
    questions:
      - {name: client, prompt: "The client's name"}
      - {name: timezone, prompt: "The client's time zone", default: Europe/Berlin}
    migrations:                     # applied in version order by `opsdocs update`
      - {version: "1.3", rename_key: {from: operate.monitor.dashboards, to: operate.monitor.boards}}
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import ContentErrors, Problem
from ..model import inner_model, validate_document
from ..model.engagement import Engagement
from ..model.types import Text
from ..parse import load_yaml

SPEC = "blueprint.yaml"
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def parse_version(text: str) -> tuple[int, ...]:
    if not re.fullmatch(r"\d+(\.\d+)*", text or ""):
        raise ValueError(f"'{text}' is not a version: write numbers with dots, e.g. \"1.3\" (quoted)")
    return tuple(int(part) for part in text.split("."))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Question(_Strict):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", description="how templates name the answer: {{ name }}")
    prompt: Text
    default: Text | None = None


class Move(_Strict):
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)


class RenameKey(_Strict):
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)

    @field_validator("from_", "to")
    @classmethod
    def _known(cls, value: str) -> str:
        if not known_key(value):
            raise ValueError("engagement.yaml has no such key (write a dotted path, e.g. operate.monitor.tracing)")
        return value


class RenameId(_Strict):
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)


class Remove(_Strict):
    key: str | None = Field(None, description="a dotted path in engagement.yaml")
    file: str | None = Field(None, description="a file of the engagement folder")


class Migration(_Strict):
    version: str
    rename_key: RenameKey | None = Field(None, description="a dotted path in engagement.yaml, moved to another")
    rename_id: RenameId | None = Field(None, description="an id, and every reference to it, in every file")
    move_file: Move | None = None
    remove: Remove | None = None

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        parse_version(value)
        return value

    @model_validator(mode="after")
    def _one(self) -> "Migration":
        done = [k for k in ("rename_key", "rename_id", "move_file", "remove") if getattr(self, k) is not None]
        if len(done) != 1:
            raise ValueError("a migration does one thing: rename_key, rename_id, move_file or remove")
        return self


class BlueprintSpec(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str
    description: Text | None = None
    questions: list[Question] = []
    migrations: list[Migration] = []

    @field_validator("version")
    @classmethod
    def _version(cls, value: str) -> str:
        parse_version(value)
        return value


def known_key(path: str) -> bool:
    """Whether a dotted path names a key of engagement.yaml's format."""
    model: Any = Engagement
    for part in path.split("."):
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return False
        model = inner_model(fields[part].annotation)
    return True


def read_spec(folder: Path, display: str) -> BlueprintSpec:
    """blueprint.yaml of a blueprint folder, validated; every problem at its line."""
    path = folder / SPEC
    if not path.is_file():
        raise ContentErrors([Problem(f"{display}/{SPEC}", 0, 0, f"{SPEC} is missing: this folder is no blueprint",
                                     "a blueprint is an engagement-shaped folder with a blueprint.yaml (name, version, questions)")])
    problems: list[Problem] = []
    spec = validate_document(load_yaml(path, f"{display}/{SPEC}"), BlueprintSpec, problems)
    if problems or spec is None:
        raise ContentErrors(problems)
    return spec
