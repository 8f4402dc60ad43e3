"""Load: scalars as written, positions, and what the loader refuses."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from generator.errors import ContentErrors
from generator.model.incident import Incident
from generator.parse import parse_yaml
from tests.conftest import EXAMPLE


def parse(text: str):
    return parse_yaml(text, Path("x.yaml"), "x.yaml")


def test_scalars_stay_as_written() -> None:
    doc = parse("at: 09:15\ncountry: NO\nversion: 1.10\nday: 2026-03-14\nflag: yes\nnum: 0x1A\nempty:\nnull_word: ~\nquoted: 'null'\n")
    assert doc.data == {
        "at": "09:15",
        "country": "NO",
        "version": "1.10",
        "day": "2026-03-14",
        "flag": "yes",
        "num": "0x1A",
        "empty": None,
        "null_word": None,
        "quoted": "null",
    }


def test_positions_of_keys_and_values() -> None:
    doc = parse("a:\n  b:\n    - x\n    - {c: 1}\n")
    assert doc.keys[("a", "b")] == (2, 3)
    assert doc.values[("a", "b", 1, "c")] == (4, 11)
    assert doc.where(("a", "b", 1, "missing")) == (4, 7)


def test_unquoted_time_of_day_in_a_timeline_keeps_its_time() -> None:
    path = EXAMPLE / "engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml"
    doc = parse(path.read_text(encoding="utf-8"))
    incident = Incident.model_validate(doc.data)
    assert incident.timeline[1].at == time(9, 15)  # written `at: 09:15`, unquoted
    assert incident.timeline_moments()[1].isoformat() == "2026-03-14T09:15:00+01:00"


def test_duplicate_keys_are_errors_with_both_lines() -> None:
    with pytest.raises(ContentErrors) as info:
        parse("a: 1\nb: 2\na: 3\n")
    (error,) = info.value.problems
    assert (error.line, error.column, error.message) == (3, 1, "duplicate key 'a'")
    assert "line 1" in error.hint


def test_alias_bomb_is_refused() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    with pytest.raises(ContentErrors) as info:
        parse("\n".join(lines) + "\n")
    assert "aliases expand to more than" in info.value.problems[0].message


def test_modest_aliases_are_fine() -> None:
    doc = parse("base: &b {x: 1}\nuse: *b\n")
    assert doc.data["use"] == {"x": "1"}


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(ContentErrors) as info:
        parse("a: &a\n  - *a\n")
    assert "refers to the node that contains it" in info.value.problems[0].message


def test_merge_keys_merge_as_yaml_means() -> None:
    """`<<` brings in an anchored mapping's keys; the mapping's own keys win (as editors' YAML parsers read it)."""
    doc = parse("base: &b {title: x, owner: y}\nmore:\n  <<: *b\n  owner: z\nboth:\n  <<: [*b, {extra: w}]\n")
    assert doc.data["more"] == {"owner": "z", "title": "x"}
    assert doc.data["both"] == {"title": "x", "owner": "y", "extra": "w"}
    assert doc.keys[("more", "title")] == (1, 11)  # an error about a merged key points where it is written


def test_a_merge_key_needs_a_mapping() -> None:
    with pytest.raises(ContentErrors) as info:
        parse("a:\n  <<: text\n")
    assert "takes a mapping" in info.value.problems[0].message


def test_tab_indentation_hint() -> None:
    with pytest.raises(ContentErrors) as info:
        parse("a:\n\tb: 1\n")
    assert info.value.problems[0].line == 2
    assert "tabs" in info.value.problems[0].hint


def test_colon_in_plain_value_hint() -> None:
    with pytest.raises(ContentErrors) as info:
        parse("a: b: c\n")
    assert info.value.problems[0].line == 1 and "quoted" in info.value.problems[0].hint
