"""CLI: `check` (validate the content) and `schema` (JSON Schema for editors)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .common import as_of_option, content_option, count, fail, library_errors

FORMATS = ("text", "json", "github")


@click.command()
@content_option
@click.option("--strict", is_flag=True, help="Also lint: garbled text (mojibake), unclosed code fences, links to pages that do not "
                                            "exist, runbook_urls into the site that lead nowhere, runbooks due for review, "
                                            "and runbook commands (bash -n and ShellCheck, promtool for PromQL).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="'text' for people; 'json' an array of problems on stdout (path, line, column, message, hint, "
                   "severity); 'github' workflow commands, so problems show on the lines of a pull request.")
@click.option("--handover", "handover", default=None, metavar="ID",
              help="Also print this engagement's handover checklist; exit 1 if a check does not hold.")
@as_of_option("The date the handover checklist is computed for. Default: the newest date in the engagement.")
def check(content: str, strict: bool, fmt: str, handover: str | None, as_of) -> None:
    """Validate every content file and the references between them.

    Prints every problem as FILE:LINE:COLUMN: message, with a hint, and exits 1
    if there is any error. Warnings are printed but do not fail the check.

    Examples:

      opsdocs check

      opsdocs check --strict --content ~/northwind-docs/content

      opsdocs check --format github       # in a GitHub Actions job

      opsdocs check --handover kestrel-shop   # is the handover complete?
    """
    from ..pipeline import read_content
    from ..project import Project

    try:
        checked = read_content(Project.at(content), strict=strict)
    except library_errors() as exc:
        if fmt == "text":
            fail(exc)
        _report_machine(exc, fmt)
        sys.exit(1)
    if fmt != "text":
        _report_machine(checked.warnings, fmt)
        return
    for warning in checked.warnings:
        click.echo(warning.format(), err=True)
    if strict:
        from ..lint_steps import unavailable

        for program in unavailable(checked.content):
            click.echo(f"note: {program} is not installed, so the commands it checks were not checked by it", err=True)
        _unverified(checked)
    from ..model import models_of
    from ..model.kinds import kinds_in

    c = checked.content
    parts = [count(len(c.engagements), "engagement")]
    parts += [count(sum(len(models_of(e, kind)) for e in c.engagements.values()), kind.name) for kind in kinds_in("engagement") if kind.many]
    parts += [count(len(models_of(c, kind)), kind.name) for kind in kinds_in("site") if kind.many]
    if checked.warnings:
        parts.append(count(len(checked.warnings), "warning"))
    drafts = checked.drafts()
    if drafts:
        parts.append(f"{count(len(drafts), 'draft')} with {count(sum(drafts.values()), 'TODO')}")
    click.echo(f"ok: {', '.join(parts)}")
    for path, todos in drafts.items():
        click.echo(f"  draft: {path} ({count(todos, 'TODO')} left)")
    if strict:
        _findings(c, as_of.date() if as_of else None)
    if handover is not None:
        _handover(c, handover, as_of.date() if as_of else None)


def _findings(content, as_of) -> None:
    """Each engagement's findings by kind with their counts, the most severe first: what its operate page summarises."""
    from ..alerting import alert_views
    from ..compute import engagement_newest_date
    from ..findings import findings
    from ..project import EPOCH

    for eid, data in sorted(content.engagements.items()):
        found = findings(data, as_of or engagement_newest_date(data) or EPOCH, alert_views(data))
        if found.kinds:
            click.echo(f"findings in {eid}: {'; '.join(found.said())}")


def _unverified(checked) -> None:
    """Name the runbook_urls that point outside the site, by host: `check` cannot tell whether they lead anywhere."""
    from ..lint import unverified_runbook_urls

    hosts = unverified_runbook_urls(checked.content, checked.published)
    if hosts:
        where = f"outside {checked.published.site_url}" if checked.published else "(no site_url or site.url is set)"
        listed = ", ".join(f"{host} ({n})" for host, n in sorted(hosts.items()))
        click.echo(f"note: {count(sum(hosts.values()), 'runbook_url')} {where} not verified: {listed}", err=True)


def _handover(content, eid: str, as_of) -> None:
    """The handover checklist of one engagement, one line per check; exit 1 unless every check holds."""
    from ..audience import engagement_for
    from ..compute import engagement_insights, engagement_newest_date
    from ..errors import unknown_engagement
    from ..project import EPOCH

    if eid not in content.engagements:
        fail(unknown_engagement(eid, sorted(content.engagements)))
    data = content.engagements[eid]
    as_of = as_of or engagement_newest_date(data) or EPOCH
    data = engagement_for(data, "client")  # what the client receives: internal items do not count
    checklist = engagement_insights(data, as_of, content.site).checklist
    click.echo(f"{eid}: handover {checklist.done} of {len(checklist.checks)} checks hold "
               f"({checklist.share:.0%}), as of {as_of.isoformat()}")
    for c in checklist.checks:
        missing = "; ".join(name + (f" ({when.isoformat() if when else 'never'})" if not isinstance(when, str) else "")
                            for name, when in c.missing)
        click.echo(f"  {'ok' if c.ok else 'MISSING':<8} {c.text}" + (f": {missing}" if missing else ""))
    if not checklist.complete:
        click.echo(f"handover incomplete: {count(len(checklist.checks) - checklist.done, 'check')} missing", err=True)
        sys.exit(1)


def _report_machine(found, fmt: str) -> None:
    """Problems (or the error that stopped the check) as JSON or as GitHub workflow commands, on stdout."""
    from ..errors import ContentErrors, general_github, general_problem

    if isinstance(found, ContentErrors):
        found = found.problems
    if fmt == "json":
        items = [general_problem(found)] if isinstance(found, Exception) else [p.as_dict() for p in found]
        click.echo(json.dumps(items, indent=2, ensure_ascii=False))
        return
    lines = [general_github(found)] if isinstance(found, Exception) else [p.as_github() for p in found]
    for line in lines:
        click.echo(line)


@click.command()
@click.option("--out", default="schemas", show_default=True, metavar="DIR", help="Where to write the JSON Schema files.")
def schema(out: str) -> None:
    """Write JSON Schema files for the content documents, for editor autocompletion.

    One file per document kind (engagement, runbook, incident, site, phase,
    pricing). Point the YAML language server at one with a first line such as:

        # yaml-language-server: $schema=../../schemas/engagement.schema.json

    Example: opsdocs schema --out schemas
    """
    from ..schema import write_schemas

    try:
        written = write_schemas(Path(out))
    except library_errors() as exc:
        fail(exc)
    for path in written:
        click.echo(f"wrote {path}")
