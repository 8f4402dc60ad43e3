"""The handover: its section in engagement.yaml, the page, the completeness checklist (each rule), `check
--handover`, and `export --since` reading the repository's history."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.compute import engagement_insights
from generator.pipeline import read_content
from generator.project import Project
from tests.conftest import need

ENGAGEMENT = "content/engagements/kestrel-shop/engagement.yaml"
AS_OF = date(2026, 10, 3)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def checklist(project: Path, as_of: date = AS_OF):
    content = read_content(Project.at("content", project)).content
    checks = engagement_insights(content.engagements["kestrel-shop"], as_of, content.site).checklist
    return {c.text: c for c in checks.checks}, checks


def edit(project: Path, old: str, new: str, path: str = ENGAGEMENT, count: int = 1) -> None:
    file = project / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, count), encoding="utf-8")


def test_the_example_checklist(project: Path) -> None:
    checks, whole = checklist(project)
    assert len(whole.checks) == 13 and whole.done == 9
    for section in ("Responsibilities", "Maintenance windows", "Backups and restores", "Known issues", "Access",
                    "Out of scope", "Knowledge transfer", "Acceptance"):
        assert checks[f"{section} recorded"].ok
    assert checks["An acceptance of the current version (1.1)"].ok
    assert checks["Every sev1/sev2 alert has a runbook"].missing == (("CheckoutAvailabilityBudgetBurn", ""), ("CheckoutLatencyHigh", ""))
    assert [name for name, _ in checks["No open action item overdue"].missing] == [
        "Time out model calls after 8 s and fall back automatically", "Make the order export idempotent"]


def test_a_restore_test_older_than_180_days_is_missing(project: Path) -> None:
    checks, _ = checklist(project)
    assert checks["Every backup restore-tested within 180 days"].missing == (("Warehouse export archive (SFTP)", date(2026, 2, 10)),)
    edit(project, "restore_tested: 2026-02-10", "restore_tested: 2026-04-06")  # 180 days before the as-of date: still fresh
    assert checklist(project)[0]["Every backup restore-tested within 180 days"].ok
    edit(project, "restore_tested: 2026-04-06", "restore_tested: 2026-04-05")  # 181 days
    assert not checklist(project)[0]["Every backup restore-tested within 180 days"].ok
    edit(project, ", restore_tested: 2026-04-05", "")  # never tested
    assert checklist(project)[0]["Every backup restore-tested within 180 days"].missing == (("Warehouse export archive (SFTP)", None),)


def test_a_missing_acceptance(project: Path) -> None:
    edit(project, 'version: "1.1"                  #', 'version: "1.2"                  #')
    check = checklist(project)[0]["An acceptance of the current version (1.2)"]
    assert not check.ok and check.missing == (("1.2", ""),)
    edit(project, 'version: "1.2"                  #', "#")
    edit(project, '    - {version: "1.1", date: 2026-09-15', '    - {version: "1.1", date: 2026-09-15, visibility: internal', count=1)
    assert checklist(project)[0]["An acceptance of the current version (1.1)"].ok  # the latest accepted is current
    text = (project / ENGAGEMENT).read_text(encoding="utf-8")
    (project / ENGAGEMENT).write_text(re.sub(r"  acceptance:\n(    - .*\n)+", "", text), encoding="utf-8")
    checks, _ = checklist(project)
    assert not checks["Acceptance recorded"].ok and not checks["An acceptance of the current version (—)"].ok


def test_runbooks_alerts_and_action_items_rules(project: Path) -> None:
    checks, _ = checklist(project, date(2026, 3, 5))  # early: every runbook tested within 180 days, nothing overdue yet
    assert checks["No open action item overdue"].ok
    checks, _ = checklist(project)
    assert [name for name, _ in checks["Every runbook tested within 180 days"].missing] == [
        "Database disk almost full", "Switch the Gear Advisor to fallback mode", "Order export stalled"]
    rules = project / "content/engagements/kestrel-shop/runbooks/checkout-errors.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("alerts: [", "alerts: [CheckoutAvailabilityBudgetBurn, CheckoutLatencyHigh, ", 1), encoding="utf-8")
    assert "alerts: [CheckoutAvailabilityBudgetBurn" in rules.read_text(encoding="utf-8")
    assert checklist(project)[0]["Every sev1/sev2 alert has a runbook"].ok


def test_no_handover_section_is_every_section_missing(project: Path) -> None:
    text = (project / ENGAGEMENT).read_text(encoding="utf-8")
    (project / ENGAGEMENT).write_text(text[:text.index("\nhandover:")] + "\n", encoding="utf-8")
    checks, whole = checklist(project)
    assert not checks["Responsibilities recorded"].ok
    assert [c.text for c in whole.checks if c.ok] == ["Every backup restore-tested within 180 days"]  # no backup, none stale
    assert run("build", "--no-html").exit_code == 0
    assert "Nothing recorded yet." in (project / "docs/engagements/kestrel-shop/handover.md").read_text()


def test_check_handover_prints_the_list_and_fails_while_something_is_missing(project: Path) -> None:
    result = run("check", "--handover", "kestrel-shop")
    assert result.exit_code == 1
    assert "kestrel-shop: handover 9 of 13 checks hold (69%), as of 2026-10-03" in result.output
    assert "  MISSING  Every backup restore-tested within 180 days: Warehouse export archive (SFTP) (2026-02-10)" in result.output
    assert "  ok       Acceptance recorded" in result.output
    result = run("check", "--handover", "kestrel-shop", "--as-of", "2026-03-05")
    assert "No open action item overdue" in result.output and result.exit_code == 1
    assert run("check", "--handover", "kestrel").exit_code == 1


def test_a_backup_names_a_runbook_that_exists(project: Path) -> None:
    edit(project, "retention: 30 days, restore_tested: 2026-09-01}", "retention: 30 days, restore_tested: 2026-09-01, runbook: database-restor}")
    result = run("check")
    assert result.exit_code == 1 and "unknown runbook 'database-restor'" in result.output
    edit(project, "runbook: database-restor}", "runbook: database-disk-full}")
    assert run("check").exit_code == 0
    assert run("build", "--no-html").exit_code == 0
    page = (project / "docs/engagements/kestrel-shop/handover.md").read_text()
    assert "| [Database disk almost full](runbooks/database-disk-full.md) |" in page


def test_the_page_overview_and_portfolio_show_it(project: Path) -> None:
    assert run("build", "--no-html").exit_code == 0
    docs = project / "docs/engagements"
    page = (docs / "kestrel-shop/handover.md").read_text()
    assert "9 of 13 checks hold (69%), as of October 3, 2026." in page
    assert "| Every backup restore-tested within 180 days | **missing** | Warehouse export archive (SFTP) (February 10, 2026) |" in page
    assert "| Deploy storefront and checkout releases | Kestrel dev team | Jonas Wirth | Sam Lee | Miriam Albers |" in page
    assert "| 1\\.1 | September 15, 2026 | Miriam Albers (CTO) | Gear Advisor and payment webhook runbooks added |" in page
    assert "| Handover complete | 69% (9 of 13 checks) |" in (docs / "kestrel-shop/index.md").read_text()
    assert re.search(r"\| Handover complete \|\n.*\n\| \[Kestrel Shop operations\].* \| 69% \|", (docs / "index.md").read_text())


# `export --since`: a small history in a temporary repository.

def git(project: Path, *args: str, when: str | None = None) -> str:
    env = {**os.environ, **({"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {})}
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=project,
                          capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


@pytest.fixture
def history(project: Path) -> Path:
    need(shutil.which("git") is not None, "git is not installed")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "first handover", when="2026-03-01T12:00:00")
    return project


def commit_changes(project: Path) -> None:
    folder = project / "content/engagements/kestrel-shop"
    shutil.copy(folder / "runbooks/checkout-errors.yaml", folder / "runbooks/checkout-slow.yaml")
    edit(project, "title: Checkout error rate high", "title: Checkout slower than usual", "content/engagements/kestrel-shop/runbooks/checkout-slow.yaml")
    last = "owner: Sam Lee, due: 2026-09-01, status: wont-do}\n"
    edit(project, last, last + "  - {do: Alert when the export queue is older than 20 minutes, type: detect, owner: Priya Raman, "
                               "due: 2026-11-30, status: open}\n", "content/engagements/kestrel-shop/incidents/2026-07-19-order-export-stall.yaml")
    (folder / "runbooks/database-disk-full.yaml").unlink()
    edit(project, "        runbook: database-disk-full\n", "")  # its alert has no runbook now
    edit(project, "notice_period: 30d", "notice_period: 60d")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "quarterly update", when="2026-10-01T12:00:00")


def changes_section(markdown: str) -> str:
    start = markdown.index('<a id="changes"></a>')
    return markdown[start:markdown.index('<a id="overview"></a>')]


def test_export_since_lists_exactly_what_changed(history: Path) -> None:
    first = git(history, "rev-parse", "HEAD")
    git(history, "tag", "v1.0")
    commit_changes(history)
    result = run("export", "kestrel-shop", "--format", "md", "--out", "handover.md", "--since", "v1.0")
    assert result.exit_code == 0, result.output
    markdown = (history / "handover.md").read_text(encoding="utf-8")
    assert "1. [Changes since v1.0](#changes)\n2. [Overview](#overview)" in markdown
    section = changes_section(markdown)
    assert f"Compared with commit {first[:10]} of March 1, 2026." in section
    rows = re.findall(r"^\| (added|changed|removed) \| (.+) \|$", section, re.M)
    assert rows == [
        ("added", "[Checkout slower than usual](#runbooks-checkout-slow)"),
        ("removed", "Database disk almost full"),
        ("changed", "[Orders not sent to the warehouse overnight](#postmortems-2026-07-19-order-export-stall)"),
    ]
    assert re.findall(r"^- (.+)$", section, re.M) == ["O1 — Monitor", "Engagement terms"]
    assert re.findall(r"^\| (Alert when .+?) \|", section, re.M) == ["Alert when the export queue is older than 20 minutes"]
    # The same comparison by date, and by the latest acceptance (2026-09-15: the first commit is the last before it).
    for since in ("2026-03-01", "last-acceptance"):
        result = run("export", "kestrel-shop", "--format", "md", "--out", f"by-{since}.md", "--since", since)
        assert result.exit_code == 0, result.output
        assert changes_section((history / f"by-{since}.md").read_text(encoding="utf-8")) == section.replace("v1.0", since)


def test_export_since_with_nothing_changed_says_so(history: Path) -> None:
    result = run("export", "kestrel-shop", "--format", "md", "--out", "same.md", "--since", "HEAD")
    assert result.exit_code == 0, result.output
    assert "Nothing in this handover changed since then." in (history / "same.md").read_text(encoding="utf-8")


def test_export_since_errors(history: Path, project: Path, monkeypatch) -> None:
    result = run("export", "kestrel-shop", "--format", "md", "--since", "no-such-tag")
    assert result.exit_code == 1 and "--since no-such-tag: the repository has no such revision" in result.output
    result = run("export", "kestrel-shop", "--format", "md", "--since", "2020-01-01")
    assert result.exit_code == 1 and "no commit on or before 2020-01-01" in result.output
    shutil.rmtree(history / ".git")
    result = run("export", "kestrel-shop", "--format", "md", "--since", "HEAD")
    assert result.exit_code == 1 and "is not in one" in result.output
    monkeypatch.setenv("PATH", str(project / "no-bin"))
    result = run("export", "kestrel-shop", "--format", "md", "--since", "HEAD")
    assert result.exit_code == 1 and "git is not installed" in result.output


def test_the_new_engagement_skeleton_has_a_handover_that_checks_once_uncommented(project: Path) -> None:
    result = run("new", "engagement", "acme", "--client", "ACME GmbH", "--system", "Shop", "--contact-name", "Ann Bee",
                 "--contact-email", "ann@acme.example", "--lead", "Sam Lee", "--model", "hourly", "--start", "2026-01-01",
                 "--hourly-rate", "150", "--timezone", "Europe/Berlin", "--no-input")
    assert result.exit_code == 0, result.output
    path = project / "content/engagements/acme/engagement.yaml"
    text = path.read_text(encoding="utf-8")
    assert "# handover:\n" in text and "`opsdocs check --handover acme`" in text
    path.write_text(re.sub(r"(?m)^# handover:$", "handover:", re.sub(r"(?m)^#   ", "  ", text)), encoding="utf-8")
    assert run("check").exit_code == 0
    content = read_content(Project.at("content", project)).content
    handover = content.engagements["acme"].engagement.handover
    assert [len(getattr(handover, key)) for key in ("responsibilities", "backups", "access", "acceptance")] == [1, 1, 1, 1]


def test_a_client_handover_export_has_no_internal_handover_item(project: Path) -> None:
    from tests.test_audience import internal_strings

    internal = [s for s in internal_strings() if s in (project / ENGAGEMENT).read_text(encoding="utf-8").split("handover:")[1]]
    assert len(internal) >= 3  # the example's internal RACI row, known issue and access entry
    result = run("export", "kestrel-shop", "--format", "md", "--out", "client.md")
    assert result.exit_code == 0, result.output
    text = (project / "client.md").read_text(encoding="utf-8")
    assert "Staff the autumn-sale war room" not in text and [s for s in internal if s in text] == []
    result = run("export", "kestrel-shop", "--format", "md", "--out", "internal.md", "--audience", "internal")
    assert "Staff the autumn-sale war room" in (project / "internal.md").read_text(encoding="utf-8")


def test_check_handover_counts_what_the_client_receives(project: Path) -> None:
    edit(project, "  maintenance_windows:\n    - {when: \"Tuesdays 06:00–07:00\", timezone: Europe/Berlin, what: OS and Kubernetes node patches}\n"
                  "    - {when: \"First Sunday of the month 05:00–06:00\", timezone: Europe/Berlin, what: PostgreSQL minor version upgrades}\n",
         "  maintenance_windows:\n    - {when: \"Tuesdays 06:00–07:00\", timezone: Europe/Berlin, what: OS patches, visibility: internal}\n")
    result = run("check", "--handover", "kestrel-shop")
    assert "  MISSING  Maintenance windows recorded" in result.output  # the only window is internal
