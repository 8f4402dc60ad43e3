"""Load: YAML text into plain data, with the line and column of every key and value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentErrors, Problem

try:  # libyaml's parser is several times faster and keeps the same marks
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# An anchor may be reused, but expanding aliases may add at most this many
# nodes to a document: enough for any real file, far below a "billion laughs".
MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = 200
# A content file is a page of text; anything this large is a mistake (a log pasted in, a binary).
MAX_FILE_BYTES = 5 * 1024 * 1024
NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Loc = tuple[str | int, ...]


class PositionLoader(_BaseLoader):
    """Our own loader class, so no global PyYAML state is ever patched."""


@dataclass(frozen=True)
class Document:
    """One YAML file as plain data: mappings, lists, strings and None.

    Every scalar is the text as written (the model's field type decides what
    `09:12` or `NO` means). `values` and `keys` give the 1-based (line, column)
    of each value and of each mapping key, by their path in the data.
    """

    path: Path
    rel: str
    data: Any
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The closest known position for `loc`: its key or value, else its nearest parent."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def error(self, loc: Loc, message: str, hint: str | None = None, *, key: bool = False, severity: str = "error") -> Problem:
        line, column = self.where(loc, key=key)
        return Problem(self.rel, line, column, message, hint, severity)


class _Builder:
    """Turns a composed node graph into plain data, refusing what the format forbids."""

    def __init__(self, rel: str):
        self.rel = rel
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.errors: list[Problem] = []
        self.expanded = 0
        self.seen: set[int] = set()

    def _pos(self, node: yaml.Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def build(self, node: yaml.Node, loc: Loc, active: tuple[int, ...] = ()) -> Any:
        if len(loc) > MAX_DEPTH:
            raise _Refused(self._pos(node), f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
        ident = id(node)
        if ident in active:
            raise _Refused(self._pos(node), "an alias refers to the node that contains it", "remove the recursive alias")
        if ident in self.seen and not isinstance(node, yaml.ScalarNode):
            self.expanded += _size(node)
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise _Refused(
                    self.values.get(loc[:1], self._pos(node)),  # the top-level entry whose aliases blow up
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes",
                    "this looks like a 'billion laughs' document; write the data out instead of nesting aliases",
                )
        self.seen.add(ident)
        self.values[loc] = self._pos(node)
        if isinstance(node, yaml.ScalarNode):
            if node.style in (None, "") and node.value in NULLS:
                return None
            return node.value
        if isinstance(node, yaml.SequenceNode):
            inner = active + (ident,)
            return [self.build(item, loc + (i,), inner) for i, item in enumerate(node.value)]
        return self._mapping(node, loc, active + (ident,))

    def _mapping(self, node: yaml.MappingNode, loc: Loc, inner: tuple[int, ...]) -> dict[str, Any]:
        """A mapping: its own keys (each once), then the keys merged in with '<<' that it does not set itself."""
        explicit, merged = self._pairs(node, inner)
        result: dict[str, Any] = {}
        for key_node, value_node in explicit:
            if not isinstance(key_node, yaml.ScalarNode):
                self.errors.append(Problem(self.rel, *self._pos(key_node), "a key must be plain text"))
                continue
            key = key_node.value
            if key in result:
                first = self.keys[loc + (key,)]
                self.errors.append(
                    Problem(
                        self.rel,
                        *self._pos(key_node),
                        f"duplicate key '{key}'",
                        f"'{key}' is already set on line {first[0]}; keep one of them",
                    )
                )
                continue
            self.keys[loc + (key,)] = self._pos(key_node)
            result[key] = self.build(value_node, loc + (key,), inner)
        for key_node, value_node in merged:  # as YAML's merge key means: the mapping's own keys win, then the first source
            if isinstance(key_node, yaml.ScalarNode) and key_node.value not in result:
                self.keys[loc + (key_node.value,)] = self._pos(key_node)
                result[key_node.value] = self.build(value_node, loc + (key_node.value,), inner)
        return result

    def _pairs(self, node: yaml.MappingNode, inner: tuple[int, ...]) -> tuple[list, list]:
        """A mapping's own (key, value) nodes, and those its '<<' keys bring in, in the order they count."""
        explicit, merged = [], []
        for key_node, value_node in node.value:
            if key_node.tag != "tag:yaml.org,2002:merge":
                explicit.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, yaml.MappingNode):
                    raise _Refused(self._pos(key_node), "a merge key ('<<') takes a mapping, or a list of mappings",
                                   "write '<<: *name' where '&name' marks a mapping")
                if id(source) in inner:
                    raise _Refused(self._pos(key_node), "an alias refers to the node that contains it", "remove the recursive alias")
                own, more = self._pairs(source, inner + (id(source),))
                merged.extend(own + more)
        return explicit, merged


def _size(node: yaml.Node) -> int:
    """How many nodes an alias to `node` adds (stops early: only the bound matters)."""
    count, stack = 0, [node]
    while stack and count <= MAX_ALIAS_EXPANSION:
        current = stack.pop()
        count += 1
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for k, v in current.value:
                stack.extend((k, v))
    return count


class _Refused(Exception):
    def __init__(self, where: tuple[int, int], message: str, hint: str):
        self.where, self.message, self.hint = where, message, hint


def read_text(path: Path, rel: str) -> str:
    """A content file's text: UTF-8 (a BOM is allowed), or an error saying where it is not."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ContentErrors.at(
            rel, 0, 0, f"the file is {size / 1024 / 1024:.1f} MB; content files are limited to {MAX_FILE_BYTES // 1024 // 1024} MB",
            "keep logs and exports out of content/; link to them instead",
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise ContentErrors.at(
            rel, line, column, f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8 in your editor",
        ) from None


def parse_yaml(text: str, path: Path, rel: str) -> Document:
    """Parse one YAML document from text; raises ContentErrors on syntax errors."""
    loader = PositionLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise ContentErrors([_syntax_error(exc, rel, text)]) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        raise ContentErrors.at(rel, 1, 1, f"YAML could not be read: {exc}") from None
    finally:
        loader.dispose()
    if node is None:
        raise ContentErrors.at(rel, 1, 1, "the file is empty", "a content file holds one YAML mapping (key: value lines)")
    return _document(node, path, rel)


def parse_yaml_documents(text: str, path: Path, rel: str) -> list[Document]:
    """Every YAML document of a text (`---` between them), each a mapping; empty ones are skipped."""
    loader = PositionLoader(text)
    nodes = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                nodes.append(node)
    except yaml.MarkedYAMLError as exc:
        raise ContentErrors([_syntax_error(exc, rel, text)]) from None
    except yaml.YAMLError as exc:
        raise ContentErrors.at(rel, 1, 1, f"YAML could not be read: {exc}") from None
    finally:
        loader.dispose()
    return [_document(node, path, rel) for node in nodes]


def _document(node: yaml.Node, path: Path, rel: str) -> Document:
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        raise ContentErrors.at(
            rel, node.start_mark.line + 1, node.start_mark.column + 1,
            f"the file holds {kind}, not a mapping",
            "the top level must be 'key: value' lines, not '- item' lines or a bare value",
        )
    builder = _Builder(rel)
    try:
        data = builder.build(node, ())
    except _Refused as refused:
        raise ContentErrors.at(rel, *refused.where, refused.message, refused.hint) from None
    if builder.errors:
        raise ContentErrors(builder.errors)
    return Document(path, rel, data, builder.values, builder.keys)


def load_yaml(path: Path, rel: str) -> Document:
    """Read and parse one YAML content file."""
    return parse_yaml(read_text(path, rel), path, rel)


def _syntax_error(exc: yaml.MarkedYAMLError, rel: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = text.splitlines()
    here = lines[line - 1][column - 1 : column] if line <= len(lines) else ""
    problem = (exc.problem or "syntax error").strip()
    context = ""
    if exc.context:
        started = exc.context_mark.line + 1 if exc.context_mark else None
        # "while parsing a flow sequence" → "the flow sequence that starts on line 8"
        what = exc.context.removeprefix("while parsing ").removeprefix("while scanning ").removeprefix("a ").removeprefix("an ")
        context = f" (in the {what} that starts on line {started})" if started and started != line else f" ({exc.context})"
    hint = "check the indentation and the ':' after each key"
    if here == "\t" or "'\\t'" in problem:
        hint = "YAML indents with spaces, never tabs"
    elif "mapping values are not allowed" in problem:
        hint = "a value that contains ': ' must be quoted, e.g. key: \"a: b\""
    elif "found character" in problem and "that cannot start any token" in problem:
        hint = "values starting with @, ` or % must be quoted"
    elif "found undefined alias" in problem:
        hint = "a value starting with '*' is an alias; quote it if you meant text"
    elif "expected <block end>" in problem or "did not find expected key" in problem:
        hint = "check that the keys of one mapping line up, and quote values that start with [, {, * or &"
    return Problem(rel, line, column, f"YAML syntax error: {problem}{context}", hint)
