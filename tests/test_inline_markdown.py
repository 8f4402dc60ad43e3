"""Short text fields are lines of inline Markdown: code, emphasis and links render in every target; blocks do not."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.export import export_handover
from generator.project import BuildOptions, Project
from tests.conftest import ROOT

INCIDENT = "content/engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml"
EVENT = "Logs show `certificate verify failed` on every payment call"
RICH = "Counted with `grep -c fail app.log | sort`, *all* of them; see [the provider's notice](https://status.example.com/)"
BLOCKY = "# not a heading"


def edit_timeline(project: Path) -> None:
    path = project / INCIDENT
    text = path.read_text(encoding="utf-8")
    assert EVENT in text
    text = text.replace(EVENT, RICH, 1)
    text = text.replace("event: Sam joins; decision to update the pinned bundle rather than disable pinning}", f'event: "{BLOCKY}"}}', 1)
    assert BLOCKY in text
    path.write_text(text, encoding="utf-8")


def row_of(html: str, needle: str) -> str:
    return next(row for row in re.findall(r"<tr>.*?</tr>", html, re.S) if needle in row)


def test_a_timeline_event_renders_inline_markdown_in_mkdocs(project: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    edit_timeline(project)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 0, result.output
    html = (project / "site/engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage/index.html").read_text()
    row = row_of(html, "grep -c fail")
    assert row.count("<td") == 2  # the pipe inside the code span did not split the cell
    assert "<code>grep -c fail app.log | sort</code>" in row and "<em>all</em>" in row
    assert '<a href="https://status.example.com/">the provider\'s notice</a>' in row
    assert "# not a heading" in row_of(html, "not a heading")


def test_a_timeline_event_in_the_docusaurus_tree_keeps_its_pipe_in_the_code(project: Path) -> None:
    edit_timeline(project)
    result = CliRunner().invoke(cli, ["build", "--target", "docusaurus", "--out", "tree"])
    assert result.exit_code == 0, result.output
    page = (project / "tree/engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage.md").read_text()
    # GFM splits table cells at a pipe inside a code span too: there it is escaped, and shows as a pipe.
    assert "`grep -c fail app.log \\| sort`, *all* of them; see [the provider's notice](https://status.example.com/)" in page
    assert "| \\# not a heading |" in page


def test_a_timeline_event_in_the_handover(project: Path) -> None:
    edit_timeline(project)
    html = export_handover(Project.at("content", project), "kestrel-shop", "html", BuildOptions(), chromium=None) \
        if shutil.which("chromium") else None
    markdown = export_handover(Project.at("content", project), "kestrel-shop", "md", BuildOptions()).decode()
    assert "`grep -c fail app.log \\| sort`" in markdown
    if html is not None:
        row = row_of(html.decode(), "grep -c fail")
        assert row.count("<td") == 2 and "<code>grep -c fail app.log | sort</code>" in row
