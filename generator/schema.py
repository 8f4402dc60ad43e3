"""Schema: JSON Schema files for editors, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import OpsdocsError
from .model import DOCUMENT_MODELS


def document_schema(kind: str) -> dict:
    model = DOCUMENT_MODELS[kind]
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"opsdocs {kind} document"
    return schema


def write_schemas(out_dir: Path) -> list[Path]:
    """Write one `<kind>.schema.json` per document kind; returns the paths written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OpsdocsError(str(out_dir), 0, 0, f"cannot create the folder: {exc.strerror}") from None
    written = []
    for kind in sorted(DOCUMENT_MODELS):
        path = out_dir / f"{kind}.schema.json"
        path.write_text(json.dumps(document_schema(kind), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
