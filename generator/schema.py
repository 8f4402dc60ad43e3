"""Schema: JSON Schema files for editors, generated from the models."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import OpsdocsError
from .model.kinds import KIND, kinds


def document_schema(kind: str) -> dict:
    model = KIND[kind].model
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"opsdocs {kind} document"
    return schema


def write_schemas(out_dir: Path) -> list[Path]:
    """Write one `<kind>.schema.json` per document kind; returns the paths written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OpsdocsError(f"{out_dir}: cannot create the folder: {exc.strerror}") from None
    written = []
    for kind in sorted(k.name for k in kinds()):
        path = out_dir / f"{kind}.schema.json"
        path.write_text(json.dumps(document_schema(kind), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
