"""Runbooks an on-call engineer can trust: the review cycle (boundaries, where it shows, `check --strict`) and the
commands of steps checked by bash -n, ShellCheck and promtool at their lines in the YAML."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.compute import review_every, reviews_due
from generator.export import export_handover
from generator.pipeline import read_content, render_site
from generator.project import BuildOptions, Project
from tests.conftest import EXAMPLE, ROOT, need

FIXTURE = Path(__file__).parent / "fixtures" / "steps" / "cache-warmup.yaml"
RUNBOOKS = "content/engagements/kestrel-shop/runbooks"


def example():
    return read_content(Project(ROOT, EXAMPLE)).content


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the fixture that holds `needle`, so the test says which line it means, not a number."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# The review cycle


def test_a_runbook_is_due_the_day_after_its_cycle_ends_not_on_it() -> None:
    content = example()
    data = content.engagements["kestrel-shop"]
    runbook = data.runbooks["checkout-errors"]  # tested 2026-09-08, no review date: the test counts
    due_day = runbook.last_tested + review_every(data, "checkout-errors", content.site)
    assert due_day == date(2026, 9, 8) + timedelta(days=180)
    assert "checkout-errors" not in reviews_due(data, due_day, content.site)
    assert reviews_due(data, due_day + timedelta(days=1), content.site)["checkout-errors"] == due_day


def test_the_newer_of_review_and_test_counts_and_the_runbook_cycle_wins(project: Path) -> None:
    path = project / RUNBOOKS / "payment-webhook-backlog.yaml"  # tested 2026-06-30, reviewed 2026-09-15, every 90 days
    content = read_content(Project.at("content", project)).content
    data = content.engagements["kestrel-shop"]
    assert review_every(data, "payment-webhook-backlog", content.site) == timedelta(days=90)
    assert "payment-webhook-backlog" not in reviews_due(data, date(2026, 12, 14), content.site)
    assert reviews_due(data, date(2026, 12, 15), content.site)["payment-webhook-backlog"] == date(2026, 12, 14)
    path.write_text(path.read_text().replace("review_every: 90d\n", ""))
    engagement = project / "content/engagements/kestrel-shop/engagement.yaml"
    engagement.write_text(engagement.read_text() + "runbooks:\n  review_every: 30d\n")
    content = read_content(Project.at("content", project)).content
    data = content.engagements["kestrel-shop"]
    assert review_every(data, "payment-webhook-backlog", content.site) == timedelta(days=30)  # the engagement's
    assert review_every(data, "checkout-errors", content.site) == timedelta(days=30)
    assert reviews_due(data, date(2026, 10, 16), content.site)["payment-webhook-backlog"] == date(2026, 10, 15)


def test_a_runbook_never_reviewed_nor_tested_is_not_due_but_listed_as_never_tested() -> None:
    content = example()
    data = content.engagements["kestrel-shop"]
    assert data.runbooks["gear-advisor-fallback"].last_tested is None
    assert "gear-advisor-fallback" not in reviews_due(data, date(2030, 1, 1), content.site)


@pytest.mark.parametrize("engine", ["mkdocs", "docusaurus"])
def test_the_overdue_runbook_shows_on_its_page_the_overview_and_the_portfolio(engine: str) -> None:
    files = render_site(Project(ROOT, EXAMPLE), engine, BuildOptions(targets=(engine,))).files

    def page(path: str) -> str:
        return next(v.decode() for k, v in files.items() if k.replace("/index.md", ".md").endswith(path))

    runbook = page("kestrel-shop/runbooks/database-disk-full.md")
    callout = "Review due since May 19, 2026"
    assert callout in runbook.split("The managed PostgreSQL")[0]  # at the top, before the summary
    assert "Last reviewed: never; last tested: November 20, 2025" in runbook
    assert "Review due" not in page("kestrel-shop/runbooks/checkout-errors.md")
    overview = page("engagements/kestrel-shop.md") if engine == "mkdocs" else files["engagements/kestrel-shop/index.md"].decode()
    section = overview.split("Runbooks due for review")[1].split("\n## ")[0]
    assert "Database disk almost full" in section and "Order export stalled" in section and "Checkout" not in section
    portfolio = files["engagements/index.md"].decode()
    assert "Runbooks due for review" in portfolio and "(kestrel-shop/runbooks/database-disk-full.md)" in portfolio


def test_the_export_carries_the_review_warning() -> None:
    markdown = export_handover(Project(ROOT, EXAMPLE), "kestrel-shop", "md", BuildOptions()).decode()
    runbook = markdown.split("\n### Database disk almost full")[1].split("\n### ")[0]
    assert "Review due since May 19, 2026" in runbook.split("The managed PostgreSQL")[0]


def test_check_strict_warns_at_the_date_line_in_every_format(project: Path) -> None:
    text = (project / RUNBOOKS / "database-disk-full.yaml").read_text()
    line = line_of(text, "last_tested:")
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0
    assert f"{RUNBOOKS}/database-disk-full.yaml:{line}:14: warning: runbook review due since 2026-05-19 (as of 2026-10-03)" \
        in result.output.splitlines()
    assert CliRunner().invoke(cli, ["check"]).output.count("review due") == 0  # a lint: only under --strict
    found = json.loads(CliRunner().invoke(cli, ["check", "--strict", "--format", "json"]).stdout)
    assert {"path": f"{RUNBOOKS}/database-disk-full.yaml", "line": line, "column": 14, "severity": "warning"}.items() <= \
        next(p for p in found if "review due" in p["message"] and "disk" in p["path"]).items()
    github = CliRunner().invoke(cli, ["check", "--strict", "--format", "github"]).stdout
    assert f"::warning file={RUNBOOKS}/database-disk-full.yaml,line={line},col=14,title=opsdocs::runbook review due since 2026-05-19" in github


# Commands


def test_check_strict_reports_each_broken_command_at_its_line(project: Path) -> None:
    need(shutil.which("shellcheck") is not None, "ShellCheck is not installed (apt-get install shellcheck)")
    need(shutil.which("promtool") is not None, "promtool is not installed (apt-get install prometheus)")
    shutil.copy(FIXTURE, project / RUNBOOKS / "cache-warmup.yaml")
    text = FIXTURE.read_text()
    result = CliRunner().invoke(cli, ["check", "--strict", "--format", "json"])
    assert result.exit_code == 1
    found = sorted((p["line"], p["severity"], p["message"].split(":")[0]) for p in json.loads(result.stdout)
                   if p["path"].endswith("cache-warmup.yaml"))
    assert found == sorted([
        (line_of(text, 'echo "found'), "error", "shell syntax error"),
        (line_of(text, "run: sum(rate(cache_hits_total"), "error", "PromQL"),
        (line_of(text, "cd /opt/shop/tools"), "warning", "ShellCheck SC2164 (warning)"),
        (line_of(text, "rate(cache_hits_total[5m)"), "error", "PromQL"),
    ])  # the second `cd` has its warning disabled; the valid query and the quoted redis-cli pass


def test_without_shellcheck_and_promtool_bash_still_finds_the_syntax_error_and_check_says_what_it_skipped(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.lint_steps

    monkeypatch.setattr(generator.lint_steps.shutil, "which", lambda name: None)
    shutil.copy(FIXTURE, project / RUNBOOKS / "cache-warmup.yaml")
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 1
    syntax = line_of(FIXTURE.read_text(), 'echo "found')
    assert f"cache-warmup.yaml:{syntax}: shell syntax error" in result.output
    assert "ShellCheck SC" not in result.output and "PromQL" not in result.output
    (project / RUNBOOKS / "cache-warmup.yaml").unlink()
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0
    assert "note: shellcheck is not installed, so the commands it checks were not checked by it" in result.output


def test_a_promql_step_is_shown_as_promql_with_a_copy_button() -> None:
    files = render_site(Project(ROOT, EXAMPLE), "mkdocs", BuildOptions()).files
    assert "content.code.copy" in (ROOT / "mkdocs.yml").read_text()  # Material's copy button on every code block
    page = files["engagements/kestrel-shop/runbooks/checkout-errors.md"].decode()
    assert "```promql" in page


# Alert links


RULES = "content/engagements/kestrel-shop/monitoring/rules/checkout.rules.yaml"
SITE = "https://docs.northwind.example/"  # site.yaml's site.url


def test_a_runbook_url_into_the_site_must_lead_to_a_page_and_runbook_urls_write_fixes_it(project: Path) -> None:
    rules = project / RULES
    text = rules.read_text()
    broken = SITE + "engagements/kestrel-shop/runbooks/checkout-error/"
    rules.write_text(text.replace('''          summary: "Checkout answers more than 2 % of requests with a 5xx"''',
                                  f'''          summary: "Checkout answers more than 2 % of requests with a 5xx"\n          runbook_url: {broken}'''))
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0  # checked under --strict only
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 1
    line = line_of(text, "alert: CheckoutErrorRateHigh")
    assert f"{RULES}:{line}: alert 'CheckoutErrorRateHigh': its runbook_url leads to no page of the site: {broken}" \
        in result.output.splitlines()
    assert f"hint: did you mean {SITE}engagements/kestrel-shop/runbooks/checkout-errors/ ?" in result.output
    written = CliRunner().invoke(cli, ["runbook-urls", "kestrel-shop", "--site-url", SITE, "--write"])
    assert written.exit_code == 0, written.output
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0, result.output
    assert f"runbook_url: {SITE}engagements/kestrel-shop/runbooks/checkout-errors/" in rules.read_text()
    # the one runbook_url elsewhere is named as not verified, by host
    assert f"note: 1 runbook_url outside {SITE} not verified: wiki.kestrel-outdoor.example (1)" in result.output


@pytest.mark.parametrize("directory_urls", [True, False])
def test_runbook_urls_output_resolves_by_construction_with_either_url_style(project: Path, directory_urls: bool) -> None:
    (project / "mkdocs.yml").write_text(f"site_name: Ops\nsite_url: https://ops.example.com/handbook/\n"
                                        f"use_directory_urls: {'true' if directory_urls else 'false'}\n")
    written = CliRunner().invoke(cli, ["runbook-urls", "kestrel-shop", "--site-url", "https://ops.example.com/handbook/", "--write"])
    assert written.exit_code == 0, written.output
    rules = project / RULES
    urls = [line.split("runbook_url: ")[1] for line in rules.read_text().splitlines() if "runbook_url: https://ops.example.com/" in line]
    assert urls and all(u.endswith("/" if directory_urls else ".html") for u in urls)
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0, result.output
    rules.write_text(rules.read_text().replace(urls[0], urls[0].replace("runbooks/", "runbook/"), 1))
    assert CliRunner().invoke(cli, ["check", "--strict"]).exit_code == 1  # a one-letter change is caught


def test_imported_community_runbooks_pass_the_command_checks(project: Path) -> None:
    """kube-prometheus' runbooks, as published: their `shell` blocks are transcripts ($ prompts and output), which
    the import marks `lang: console`, so `check --strict` does not read output as commands."""
    need(shutil.which("shellcheck") is not None, "ShellCheck is not installed (apt-get install shellcheck)")
    sources = sorted(str(p) for p in (ROOT / "tests/fixtures/import/kube-prometheus-runbooks").glob("*.md"))
    imported = CliRunner().invoke(cli, ["import", "runbook", *sources, "--engagement", "kestrel-shop"])
    assert imported.exit_code == 0, imported.output
    assert "lang: console" in (project / RUNBOOKS / "alertmanager-failed-reload.yaml").read_text()
    result = CliRunner().invoke(cli, ["check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "ShellCheck" not in result.output and "shell syntax error" not in result.output
