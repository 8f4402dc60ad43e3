"""Blueprints: YAML read and written as the consultant wrote it (ruamel.yaml's round trip: comments, key order,
quoting and indentation kept), and the same documents as plain data for merging."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.util import load_yaml_guess_indent

YAML_SUFFIXES = (".yaml", ".yml")


def round_trip(text: str) -> YAML:
    """A round-trip loader and dumper set to the text's own indentation."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16
    try:
        _, indent, block_seq = load_yaml_guess_indent(text)
    except Exception:  # noqa: BLE001 - an empty or odd file: the defaults
        indent, block_seq = 2, 0
    indent = indent or 2
    yaml.indent(mapping=(indent - block_seq) if block_seq else indent, sequence=indent, offset=block_seq or 0)
    return yaml


def load(text: str) -> tuple[YAML, Any]:
    yaml = round_trip(text)
    return yaml, yaml.load(text)


def dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def plain(node: Any) -> Any:
    """The document as plain dicts, lists and scalars (what the merge compares)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, ScalarString):
        return str(node)
    return node


def like(old: Any, value: Any) -> Any:
    """`value` in the style of `old` where both are text (a quoted string stays quoted); new maps and lists as
    round-trip nodes, so they are written in block style like their neighbours."""
    if isinstance(value, str) and isinstance(old, ScalarString) and not isinstance(value, ScalarString):
        return type(old)(value)
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = like(None, v)
        return node
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        seq = CommentedSeq()
        seq.extend(like(None, v) for v in value)
        return seq
    return value
