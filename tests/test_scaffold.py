"""`opsdocs init`, `opsdocs new ...` and `opsdocs templates list`: prompts, options, validation, skeletons that pass check."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import ROOT

KESTREL = "content/engagements/kestrel-shop"


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_new_engagement_without_prompts_passes_check(project: Path) -> None:
    result = run("new", "engagement", "acme", "--client", "ACME Retail GmbH", "--system", "ACME Shop",
                 "--model", "hourly", "--start", "2026-11-01", "--no-input")
    assert result.exit_code == 0, result.output
    text = (project / "content/engagements/acme/engagement.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/engagement.schema.json\n")
    assert "status: draft" in text and "\n  retainer:" not in text and "model: hourly" in text
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert "2 engagements" in checked.output and "draft: content/engagements/acme/engagement.yaml" in checked.output


def test_new_engagement_with_prompts_asks_again_after_a_bad_answer(project: Path) -> None:
    answers = "\n".join([
        "ACME Retail GmbH",   # client
        "ACME Shop",          # system
        "",                   # title: default
        "Jane Doe",           # contact
        "jane-at-acme",       # a bad email: asked again
        "jane@acme.example",
        "Sam Lee",            # lead
        "weekly",             # a bad model: asked again
        "retainer",
        "2026-13-01",         # a bad date: asked again
        "2026-11-01",
        "", "", "",           # fee, hours, rate: defaults from the pricing page
        "Mars/Olympus",       # a bad time zone: asked again
        "Europe/Vienna",
    ]) + "\n"
    result = run("new", "engagement", "acme", input=answers)
    assert result.exit_code == 0, result.output
    assert "is not an email address" in result.output
    assert "answer 'retainer' or 'hourly'" in result.output
    assert "write a date as YYYY-MM-DD" in result.output
    assert "is not a time zone" in result.output
    text = (project / "content/engagements/acme/engagement.yaml").read_text()
    assert "email: jane@acme.example" in text or 'email: "jane@acme.example"' in text
    assert "monthly_fee: 1400" in text and "included_hours: 8" in text  # the first retainer tier of pricing.yaml
    assert "timezone: Europe/Vienna" in text
    assert run("check").exit_code == 0


def test_new_engagement_refuses_to_overwrite(project: Path) -> None:
    result = run("new", "engagement", "kestrel-shop", "--client", "X", "--system", "Y", "--no-input")
    assert result.exit_code == 1
    assert "refusing to overwrite" in result.output and "--force" in result.output
    forced = run("new", "engagement", "kestrel-shop", "--client", "X", "--system", "Y", "--no-input", "--force")
    assert forced.exit_code == 0, forced.output


def test_no_input_without_a_required_answer_is_a_usage_error(project: Path) -> None:
    result = run("new", "engagement", "acme", "--no-input")
    assert result.exit_code == 2
    assert "--client is needed with --no-input" in result.output


def test_bad_id_is_refused(project: Path) -> None:
    result = run("new", "runbook", "kestrel-shop", "../escape", "--title", "x", "--no-input")
    assert result.exit_code == 1
    assert "'../escape' is not a valid runbook id" in result.output
    assert not (project / "content/engagements/escape.yaml").exists()


def test_new_runbook_validates_alerts_at_the_prompt(project: Path) -> None:
    answers = "Cache cluster down\n\ncheckout-error-rte\ncheckout-error-rate\nPriya Raman\n"
    result = run("new", "runbook", "kestrel-shop", "cache-down", input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown alert 'checkout-error-rte'" in result.output
    text = (project / KESTREL / "runbooks/cache-down.yaml").read_text()
    assert "alerts: [checkout-error-rate]" in text
    assert run("check").exit_code == 0


def test_new_incident_prefills_the_timeline_and_lists_alerts_and_runbooks(project: Path) -> None:
    result = run("new", "incident", "kestrel-shop", "--title", "Checkout down after deploy", "--severity", "sev1",
                 "--started-at", "2026-11-02T23:40+01:00", "--acknowledged-at", "2026-11-03T00:05+01:00",
                 "--resolved-at", "2026-11-03T01:00+01:00", "--no-input")
    assert result.exit_code == 0, result.output
    path = project / KESTREL / "incidents/2026-11-02-checkout-down-after-deploy.yaml"
    text = path.read_text()
    assert '- {at: "23:40", event: "Impact begins (TODO: say what happened)"}' in text
    assert '- {at: "2026-11-03T00:05:00+01:00", event: "Acknowledged' in text  # after midnight: a full datetime
    assert "#   checkout-error-rate: CheckoutErrorRateHigh" in text and "#   NodeFilesystemSpaceFillingUp: " in text
    assert "#   order-export-stalled: Order export stalled" in text
    checked = run("check")
    assert checked.exit_code == 0, checked.output


def test_new_incident_asks_again_for_a_bad_severity_and_datetime(project: Path) -> None:
    answers = "\n".join([
        "Search is slow",
        "sev9", "sev3",                          # unknown severity, asked again
        "2026-11-02 09:12", "2026-11-02T09:12+01:00",  # no offset, asked again
        "", "", "", "", "",                      # detected, acknowledged, mitigated, resolved, author
    ]) + "\n"
    result = run("new", "incident", "kestrel-shop", input=answers)
    assert result.exit_code == 0, result.output
    assert "unknown severity 'sev9'" in result.output
    assert "add the offset from UTC" in result.output
    assert (project / KESTREL / "incidents/2026-11-02-search-is-slow.yaml").is_file()
    assert run("check").exit_code == 0


def test_a_todo_outside_a_draft_is_an_error(project: Path) -> None:
    path = project / KESTREL / "runbooks/checkout-errors.yaml"
    path.write_text(path.read_text().replace("owner: Priya Raman", "owner: TODO"))
    result = run("check")
    assert result.exit_code == 1
    assert "checkout-errors.yaml:9:8: a TODO placeholder is left in a document that is not a draft" in result.output


def test_a_draft_shows_a_banner(project: Path) -> None:
    path = project / KESTREL / "runbooks/checkout-errors.yaml"
    path.write_text(path.read_text().replace("title: Checkout error rate high\n", "title: Checkout error rate high\nstatus: draft\n"))
    assert run("build", "--no-html").exit_code == 0
    page = (project / "docs/engagements/kestrel-shop/runbooks/checkout-errors.md").read_text()
    assert '!!! warning "Draft"' in page


def test_templates_list_shows_the_tier(project: Path) -> None:
    override = project / "templates/common/pricing.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "!default/pricing.md.j2" %}\n')
    result = run("templates", "list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.split()[:3] == ["mkdocs", "pricing.md.j2", "project"] for line in lines)
    assert any(line.split()[:3] == ["docusaurus", "phase.md.j2", "shipped"] for line in lines)
    assert any(line.split()[:3] == ["scaffold", "incident.yaml.j2", "shipped"] for line in lines)


def test_a_skeleton_template_can_be_overridden(project: Path) -> None:
    override = project / "templates/scaffold/runbook.yaml.j2"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "!default/runbook.yaml.j2" %}\n')
    source = (ROOT / "templates/scaffold/runbook.yaml.j2").read_text()
    override.write_text(source.replace("# A new runbook", "# Our house runbook"))
    assert run("new", "runbook", "kestrel-shop", "x", "--title", "X", "--no-input").exit_code == 0
    assert "# Our house runbook" in (project / KESTREL / "runbooks/x.yaml").read_text()


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "docs-project"
    assert run("init", str(target), "--consultancy", "Larch & Co", "--no-input").exit_code == 0
    again = run("init", str(target), "--consultancy", "Larch & Co", "--no-input")
    assert again.exit_code == 1 and "refusing to overwrite" in again.output


@pytest.mark.engine
def test_init_new_check_build_from_an_installed_wheel(tmp_path: Path) -> None:
    """The wheel alone (no checkout on the path) makes a project that checks and builds."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("opsdocs-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/templates/common/phase.md.j2" in names
    assert "generator/starter/content/handbook/phases/operate.yaml" in names
    site = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(site)}
    work = tmp_path / "x"

    def opsdocs(*args: str, cwd: Path = tmp_path) -> str:
        done = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    where = subprocess.run([sys.executable, "-c", "import generator; print(generator.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site)), where
    opsdocs("init", str(work), "--consultancy", "Larch & Co", "--no-input")
    opsdocs("new", "engagement", "acme", "--client", "ACME Retail GmbH", "--system", "ACME Shop", "--start", "2026-11-01", "--no-input", cwd=work)
    assert "1 engagement" in opsdocs("check", cwd=work)
    opsdocs("build", cwd=work)
    assert (work / "site/engagements/acme/index.html").is_file()
    assert (work / "site/phases/operate/index.html").is_file()


def test_without_a_terminal_and_without_no_input_the_options_are_named(tmp_path: Path) -> None:
    """A script or CI job (stdin not a terminal, nothing to read) gets exit 2 and the options to pass, not 'Aborted!'."""
    opsdocs = Path(sys.executable).parent / "opsdocs"
    done = subprocess.run([str(opsdocs), "init", str(tmp_path / "new")], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "no terminal" in done.stderr and "--consultancy ... --no-input" in done.stderr
    assert "Aborted" not in done.stderr and not (tmp_path / "new").exists()


def test_new_without_a_terminal_names_the_options(project: Path) -> None:
    result = run("new", "engagement", "acme", input="")
    assert result.exit_code == 2
    assert "--client ... --system ... --no-input" in result.output
