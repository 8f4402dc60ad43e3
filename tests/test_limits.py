"""Resource bounds: huge, deep or self-multiplying input ends in a clean result or a clean error, in bounded memory."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.pipeline import render_site
from generator.project import BuildOptions, Project

RUNBOOK = "content/engagements/kestrel-shop/runbooks/checkout-errors.yaml"
BASE = "title: Big\nsummary: s\nsymptoms: [x]\nsteps:\n  diagnose: [{do: a}]\n  mitigate: [{do: b}]\n  verify: [{do: c}]\n"


def check_with(project: Path, text: str) -> tuple[int, str, int]:
    (project / RUNBOOK).write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        result = CliRunner().invoke(cli, ["check"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output, peak


def test_a_20_mb_file_is_refused_before_it_is_parsed(project: Path) -> None:
    code, output, peak = check_with(project, BASE + "notes: " + "x" * (20 * 1024 * 1024) + "\n")
    assert code == 1 and "the file is 20.0 MB; content files are limited to 5 MB" in output
    assert peak < 50 * 1024 * 1024


def test_an_alias_bomb_is_refused(project: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
    )
    code, output, peak = check_with(project, bomb)
    assert code == 1 and "aliases expand to more than 100,000 nodes" in output
    assert peak < 100 * 1024 * 1024


@pytest.mark.parametrize("depth", [200, 5000])
def test_deep_nesting_is_a_clean_error(project: Path, depth: int) -> None:
    code, output, _ = check_with(project, BASE + "x: " + "[" * depth + "]" * depth + "\n")
    assert code == 1 and RUNBOOK in output


def test_ten_thousand_items_and_a_megabyte_string_build(project: Path) -> None:
    symptoms = "".join(f"  - Symptom number {i}\n" for i in range(10_000))
    text = BASE.replace("symptoms: [x]\n", "symptoms:\n" + symptoms).replace("summary: s", "summary: " + "word " * 200_000)
    code, output, peak = check_with(project, text)
    assert code == 0, output
    assert peak < 300 * 1024 * 1024
    p = Project(project, project / "content")
    files = render_site(p, "mkdocs", BuildOptions()).files
    page = files["engagements/kestrel-shop/runbooks/checkout-errors.md"].decode()
    assert "Symptom number 9999" in page and len(page) > 1_000_000
