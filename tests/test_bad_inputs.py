"""A corpus of bad inputs (tests/bad/*.json): each edit of the example must fail `check` at the stated line (a case's
`also` lists edits it needs first, such as naming a new file in engagement.yaml)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

CASES = sorted((Path(__file__).parent / "bad").glob("*.json"))
ERROR = re.compile(r"^(\S+?):(\d+)(?::(\d+))?: (.*)$", re.M)


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
def test_bad_input(project: Path, case_path: Path) -> None:
    case = json.loads(case_path.read_text(encoding="utf-8"))
    for edit in [*case.get("also", []), case]:  # the edits a case needs besides the one that is wrong, then that one
        target = project / "content" / edit["file"]
        if "content" in edit:
            target.write_bytes(edit["content"].encode(edit.get("encoding", "utf-8")))
        else:
            text = target.read_text(encoding="utf-8")
            assert edit["replace"] in text, f"{case_path.name}: the text to replace is not in {edit['file']}"
            target.write_text(text.replace(edit["replace"], edit["with"], 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    errors = [(path, int(line), msg) for path, line, _, msg in ERROR.findall(result.output)]
    expected = case["expect"]
    wanted = f"content/{case['file']}"
    matching = [e for e in errors if e[0] == wanted and expected["message"] in e[2]]
    assert matching, f"{case['what']}: no error with {expected['message']!r} in {wanted}:\n{result.output}"
    assert matching[0][1] == expected["line"], f"{case['what']}: reported at line {matching[0][1]}, expected {expected['line']}"
    # One mistake, one error: a broken file is not reported again by every reference to it.
    count = expected.get("count", 1)
    assert len(errors) == count, f"{case['what']}: {len(errors)} errors, expected {count}:\n{result.output}"
