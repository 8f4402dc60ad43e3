"""`opsdocs check --strict`: mojibake, unclosed fences and dead links, by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.lint import find_mojibake, unbalanced_fence

RUNBOOK = "content/engagements/kestrel-shop/runbooks/checkout-errors.yaml"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("down â€” again", [("â€”", "—")]),           # UTF-8 read as Windows-1252
        ("down ‚Äî again", [("‚Äî", "—")]),          # UTF-8 read as Mac Roman
        ("cafÃ© crème", [("Ã©", "é")]),               # UTF-8 read as Latin-1
        ("Müller, Tomás, naïve", []),
        ("Operate ⚙️ and 🤝", []),
        ("שלום עולם", []),
        ("plain ASCII", []),
    ],
)
def test_mojibake(text: str, expected: list) -> None:
    assert find_mojibake(text) == expected


@pytest.mark.parametrize(
    "markdown, unbalanced",
    [("```\ncode\n```", False), ("```bash\ncode", True), ("~~~\n```\n~~~", False), ("````\n```\n````", False), ("text", False)],
)
def test_fences(markdown: str, unbalanced: bool) -> None:
    assert unbalanced_fence(markdown) is unbalanced


def test_strict_check_reports_each_by_file_and_line(project: Path) -> None:
    path = project / RUNBOOK
    text = path.read_text()
    text = text.replace("owner: Priya Raman", "owner: Priya Raman â€” SRE")
    text = text.replace("  until proven otherwise.\n", "  until proven otherwise; see [the old page](old-runbook.md)\n  and [webhooks](payment-webhook-backlog.md).\n\n  ```\n  never closed\n")
    path.write_text(text)
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0  # valid content: only --strict lints
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"{RUNBOOK}:3:10: a code fence (``` or ~~~) is opened here and never closed" in lines
    assert f"{RUNBOOK}:3:10: a link to a page that does not exist: old-runbook.md" in lines
    assert not any("payment-webhook-backlog.md" in line for line in lines)  # that page exists
    assert f"{RUNBOOK}:13:8: 'â€”' looks like garbled text (UTF-8 read with the wrong encoding)" in lines


def test_the_example_is_lint_free(project: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0, result.output
