"""Blueprints: the three-way merge of data, not of lines.

`merge(base, ours, theirs)` on plain data: a value changed on one side takes that side; maps merge by key; lists of
items with an id (or a name, a severity) merge by it; lists of plain values merge as lists (what either side added
is added, what either side removed goes). A value changed differently on both sides, or deleted on one side and
changed on the other, is a conflict. `patch(node, merged)` then changes the consultant's round-trip document into
the merged data in place, so only the lines that carry a change differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .yamltext import like, plain

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "(none)"})()
ITEM_KEYS = ("id", "name", "severity", "alert", "record", "activity", "what", "system")


@dataclass(frozen=True)
class Conflict:
    path: tuple  # keys and item ids from the document's top
    base: Any
    ours: Any
    theirs: Any

    def dotted(self) -> str:
        return ".".join(str(p) for p in self.path) or "(the whole file)"


def item_key(*lists: Any) -> str | None:
    """The key that names each item of these lists, if every item of all of them is a map with a distinct one."""
    items = [i for seq in lists if isinstance(seq, list) for i in seq]
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in ITEM_KEYS:
        if all(key in i for i in items) and all(len({str(i[key]) for i in seq}) == len(seq) for seq in lists if isinstance(seq, list)):
            return key
    return None


def merge(base: Any, ours: Any, theirs: Any, conflicts: list[Conflict], keep: str | None = None, path: tuple = ()) -> Any:
    if ours == theirs:
        return ours
    if base == ours:
        return theirs
    if base == theirs:
        return ours
    if isinstance(ours, dict) and isinstance(theirs, dict):
        b = base if isinstance(base, dict) else {}
        merged = {}
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            value = merge(b.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING), conflicts, keep, path + (key,))
            if value is not MISSING:
                merged[key] = value
        return merged
    if isinstance(ours, list) and isinstance(theirs, list):
        b = base if isinstance(base, list) else []
        key = item_key(b, ours, theirs)
        if key is not None:
            return _merge_items(b, ours, theirs, key, conflicts, keep, path)
        if all(not isinstance(v, (dict, list)) for v in [*b, *ours, *theirs]):
            kept = [v for v in ours if not (v in b and v not in theirs)]
            return kept + [v for v in theirs if v not in b and v not in kept]
    if keep == "ours":
        return ours
    if keep == "theirs":
        return theirs
    conflicts.append(Conflict(path, base, ours, theirs))
    return ours


def _merge_items(base: list, ours: list, theirs: list, key: str, conflicts: list[Conflict], keep: str | None, path: tuple) -> list:
    by = {name: {str(i[key]): i for i in seq} for name, seq in (("b", base), ("o", ours), ("t", theirs))}
    order = [str(i[key]) for i in ours]
    previous = None
    for item in theirs:  # an item only theirs has goes after the one it follows there
        ident = str(item[key])
        if ident not in order:
            order.insert(order.index(previous) + 1 if previous in order else len(order), ident)
        previous = ident
    merged = []
    for ident in order:
        value = merge(by["b"].get(ident, MISSING), by["o"].get(ident, MISSING), by["t"].get(ident, MISSING), conflicts, keep,
                      path + (ident,))
        if value is not MISSING:
            merged.append(value)
    return merged


def patch(node: Any, target: Any) -> Any:
    """Make the round-trip `node` equal `target`, touching only what differs; returns the node to keep (a new one
    when the kinds differ)."""
    if isinstance(node, CommentedMap) and isinstance(target, dict):
        for key in [k for k in node if str(k) not in target]:
            del node[key]
        previous = None
        for key, value in target.items():
            if key in node:
                if plain(node[key]) != value:
                    node[key] = patch(node[key], value)
            else:
                at = list(node).index(previous) + 1 if previous in node else len(node)
                node.insert(at, key, like(None, value))
            previous = key
        return node
    if isinstance(node, CommentedSeq) and isinstance(target, list):
        key = item_key(plain(node), target)
        if key is not None:
            wanted = [str(i[key]) for i in target]
            for i in reversed(range(len(node))):
                if str(node[i][key]) not in wanted:
                    del node[i]
            for at, item in enumerate(target):
                here = next((j for j in range(len(node)) if str(node[j][key]) == str(item[key])), None)
                if here is None:
                    node.insert(at, like(None, item))
                elif plain(node[here]) != item:
                    node[here] = patch(node[here], item)
            return node
        if all(not isinstance(v, (dict, list)) for v in target):
            for i in reversed(range(len(node))):
                if plain(node[i]) not in target:
                    del node[i]
            have = [plain(v) for v in node]
            for value in target:
                if value not in have:
                    node.append(like(None, value))
            if [plain(v) for v in node] == target:
                return node
    return like(node, target)
