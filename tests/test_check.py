"""`opsdocs check`: the example passes, and each kind of mistake is reported at its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

ENG = "content/engagements/kestrel-shop/engagement.yaml"
INC = "content/engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml"
RUNBOOK = "content/engagements/kestrel-shop/runbooks/checkout-errors.yaml"


def check(*args: str):
    return CliRunner().invoke(cli, ["check", *args])


def replace(path: str, old: str, new: str) -> int:
    """Edit a content file in place; returns the 1-based line of the edit."""
    file = Path(path)
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def errors_of(output: str) -> list[tuple[str, int, int, str]]:
    found = re.findall(r"^(\S+?):(\d+)(?::(\d+))?: (.*)$", output, re.M)
    return [(path, int(line), int(col or 0), msg) for path, line, col, msg in found]


def test_example_content_passes(project: Path) -> None:
    result = check()
    assert result.exit_code == 0, result.output
    assert result.output.strip().startswith("ok: 1 engagement, 5 runbooks, 4 incidents, 1 phase")


def test_unknown_key_says_did_you_mean(project: Path) -> None:
    line = replace(ENG, "\nclient:\n", "\nclinet:\n") + 1
    result = check()
    assert result.exit_code == 1
    assert (ENG, line, 1, "unknown key 'clinet'") in errors_of(result.output)
    assert "hint: did you mean 'client'?" in result.output


def test_every_error_is_reported_in_one_pass(project: Path) -> None:
    replace(ENG, "\nclient:\n", "\nclinet:\n")
    replace(RUNBOOK, "owner: Priya Raman", "ownr: Priya Raman")
    replace(INC, "status: complete", "status: complet")
    result = check()
    assert result.exit_code == 1
    files = {e[0] for e in errors_of(result.output)}
    assert {ENG, RUNBOOK, INC} <= files
    assert "errors; nothing was written." in result.output


def test_duplicate_key(project: Path) -> None:
    line = replace(RUNBOOK, "owner: Priya Raman\n", "owner: Priya Raman\nowner: Sam Lee\n") + 1
    result = check()
    assert result.exit_code == 1
    assert (RUNBOOK, line, 1, "duplicate key 'owner'") in errors_of(result.output)
    assert f"already set on line {line - 1}" in result.output


def test_alert_pointing_at_missing_runbook(project: Path) -> None:
    line = replace(ENG, "runbook: database-disk-full", "runbook: database-disk-ful")
    result = check()
    assert result.exit_code == 1
    assert (ENG, line, 18, "unknown runbook 'database-disk-ful'") in errors_of(result.output)
    assert "did you mean 'database-disk-full'?" in result.output


def test_severity_without_response_window(project: Path) -> None:
    replace(ENG, "    - {severity: sev3, response: 2d}\n", "")
    line = Path(ENG).read_text().splitlines().index(
        "      - {id: sev3, name: Minor, description: Limited impact or a workaround exists, postmortem: optional}"
    ) + 1
    result = check()
    assert result.exit_code == 1
    assert (ENG, line, 14, "severity 'sev3' has no response window") in errors_of(result.output)


def test_resolved_before_started(project: Path) -> None:
    line = replace(INC, "resolved_at: 2026-03-14T10:40:00+01:00", "resolved_at: 2026-03-14T08:40:00+01:00")
    result = check()
    assert result.exit_code == 1
    assert (INC, line, 14, "'resolved_at' is before 'mitigated_at'") in errors_of(result.output)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "a/b", "x..y"])
def test_id_with_path_characters_in_a_value(project: Path, bad: str) -> None:
    line = replace(ENG, "      - id: checkout-availability", f"      - id: '{bad}'")
    result = check()
    assert result.exit_code == 1
    assert any(e[0] == ENG and e[1] == line and "is not a valid id" in e[3] for e in errors_of(result.output)), result.output


def test_id_with_dots_in_a_file_name(project: Path) -> None:
    src = Path(RUNBOOK)
    bad = src.with_name("checkout..errors.yaml")
    bad.write_text(src.read_text())
    result = check()
    assert result.exit_code == 1
    assert f"{bad.as_posix()}: 'checkout..errors' is not a valid id" in result.output


def test_yaml_syntax_error(project: Path) -> None:
    line = replace(RUNBOOK, "owner: Priya Raman", "owner: [Priya Raman")
    result = check()
    assert result.exit_code == 1
    errs = [e for e in errors_of(result.output) if e[0] == RUNBOOK]
    assert errs and errs[0][3].startswith("YAML syntax error")
    assert errs[0][1] >= line


def test_non_utf8_file(project: Path) -> None:
    path = Path(RUNBOOK)
    data = path.read_bytes().replace("Priya Raman".encode(), "Priya Ram\xe1n".encode("latin-1"))
    path.write_bytes(data)
    line = data[: data.index(b"\xe1")].count(b"\n") + 1
    result = check()
    assert result.exit_code == 1
    assert (RUNBOOK, line, 17, "the file is not valid UTF-8 (byte 0xe1)") in errors_of(result.output)


def test_empty_file(project: Path) -> None:
    Path(RUNBOOK).write_text("")
    result = check()
    assert result.exit_code == 1
    assert (RUNBOOK, 1, 1, "the file is empty") in errors_of(result.output)


def test_file_that_is_a_list(project: Path) -> None:
    Path(RUNBOOK).write_text("- title: x\n- title: y\n")
    result = check()
    assert result.exit_code == 1
    assert (RUNBOOK, 1, 1, "the file holds a list, not a mapping") in errors_of(result.output)


def test_missing_content_folder_is_a_clean_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = check("--content", "nowhere")
    assert result.exit_code == 1
    assert "nowhere: the content folder does not exist" in result.output
