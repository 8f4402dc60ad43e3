"""CLI: `import` (what a client already has, as draft documents of an engagement)."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click

from .common import content_option, count, fail, library_errors, locked, no_wait_option

dry_run_option = click.option("--dry-run", is_flag=True, help="Print the YAML it would write and its TODOs; write nothing.")
force_import_option = click.option("--force", is_flag=True, help="Replace a file that exists, or import a source imported before.")
engagement_option = click.option("--engagement", "engagement_id", required=True, metavar="ID", help="The engagement to import into.")


def _zone(ctx, param, value: str | None) -> str | None:
    if value is not None:
        from ..model.types import time_zones

        if value not in time_zones():
            raise click.BadParameter(f"'{value}' is not a time zone: use an IANA name such as Europe/Berlin or UTC")
    return value


def timezone_option(default_help: str):
    return click.option("--timezone", default=None, metavar="ZONE", callback=_zone, help=f"The time zone of the draft's times (default: {default_help}).")


def severity_option(said: str):
    return click.option("--severity", default=None, metavar="ID",
                        help=f"The engagement's severity for every incident imported, when {said} maps to none "
                             "(a level's id, name or 'aliases' in engagement.yaml).")


@click.group("import")
def import_group() -> None:
    """Bring in what a client already has: Markdown runbooks and post-mortems, PagerDuty and incident.io incidents, as drafts.

    Every imported file says at its top where it came from; a second import of
    the same source is recognised, and no file is ever overwritten without
    --force. Review the drafts (their TODOs are listed), then 'opsdocs check'.

    Example: opsdocs import runbook old-wiki/runbooks/*.md --engagement kestrel-shop --dry-run
    """


def import_command(name: str, zone: str | None = None, said: str | None = None):
    """An `opsdocs import NAME FILE...` command with the options every importer takes; with `zone` and `said` (the
    defaults their help names), --timezone and --severity too. The function gets `files`, those two, and the rest
    as keywords for `_run`."""
    options = [click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path)), engagement_option,
               *([timezone_option(zone), severity_option(said)] if zone else []),
               dry_run_option, force_import_option, content_option, no_wait_option]

    def decorate(function):
        for option in reversed(options):
            function = option(function)
        return import_group.command(name)(function)

    return decorate


def _run(kind_name: str, make, *, engagement_id: str, content: str, dry_run: bool, force: bool, no_wait: bool) -> None:
    """Read the engagement, make every document of it (`make(data)`), place them, then print or write them."""
    from ..importers import plan_import, write_imports
    from ..model.kinds import KIND
    from ..pipeline import read_content
    from ..project import Project

    project = Project.at(content)
    try:
        with nullcontext() if dry_run else locked(project, [project.content_dir], "import", no_wait):
            loaded = read_content(project, only={engagement_id}).content
            data = loaded.engagements.get(engagement_id)
            imported = make(data) if data is not None else []  # no engagement: plan_import says which there are
            placed = plan_import(project, KIND[kind_name], engagement_id, imported, force)
            if not dry_run:
                written = write_imports(project, placed, force)
    except library_errors() as exc:
        fail(exc)
    for item in placed:
        if dry_run:
            click.echo(f"--- content/{item.rel}")
            click.echo(item.text, nl=False)
        todos = f"; TODO: {', '.join(item.imported.todos)}" if item.imported.todos else ""
        said = f"; {'; '.join(item.imported.notes)}" if item.imported.notes else ""
        click.echo(f"{'would write' if dry_run else 'wrote'} content/{item.rel} from {item.imported.origin}{said}{todos}", err=True)
    if not dry_run:
        click.echo(f"imported {count(len(written), kind_name)}; review the drafts, then 'opsdocs check'", err=True)


@import_command("runbook")
def import_runbook(files: tuple[Path, ...], **common) -> None:
    """Markdown runbooks as draft runbooks/<id>.yaml of an engagement.

    Sections are found by their headings: Meaning, Summary or Overview (the
    summary), Impact, Symptoms, Diagnosis, Mitigation or Steps, Verify,
    Rollback (also in German and French); paragraphs and list items become
    steps, code blocks their commands. A section that fits no key is kept in
    'notes'. The id comes from the file name, the title from the front matter
    or the first heading; a file named after an alert of the engagement
    answers it.

    Examples:

      opsdocs import runbook runbooks/*.md --engagement kestrel-shop --dry-run

      opsdocs import runbook NodeFilesystemSpaceFillingUp.md --engagement kestrel-shop
    """
    from ..importers.runbook import import_runbook as make_one
    from ..model.questions import alert_names

    def make(data) -> list:
        names = set(alert_names(data)) | {a.name for a in data.engagement.operate.monitor.alerts}
        return [make_one(path, names) for path in files]

    _run("runbook", make, **common)


@import_command("postmortem", zone="what the document says, e.g. '(all times UTC)', else the engagement's",
                said="the document names no severity that")
def import_postmortem(files: tuple[Path, ...], timezone: str | None, severity: str | None, **common) -> None:
    """Markdown post-mortems as draft incidents/<id>.yaml of an engagement.

    Sections are found by their headings: Summary or Overview, Impact, Root
    causes or Contributing factors, Trigger, Resolution, Detection, Timeline,
    Action items, What went well / went wrong / got lucky (the SRE book's
    layout and PagerDuty's template, also in German and French). The timeline
    is read from a table or a list of times, 24- or 12-hour, with the date in a
    row or given once; the incident's times are taken from it. What the
    document does not hold is left as a TODO and listed; a section that fits
    no key is kept in 'notes'.

    Examples:

      opsdocs import postmortem postmortems/2026-03-14-checkout.md --engagement kestrel-shop --dry-run

      opsdocs import postmortem outage.md --engagement kestrel-shop --severity sev1 --timezone Europe/Berlin
    """
    from ..importers.postmortem import import_postmortem as make_one

    def make(data) -> list:
        return [make_one(path, data, timezone, severity) for path in files]

    _run("incident", make, **common)


@import_command("pagerduty", zone="the engagement's", said="the incident's priority or urgency")
def import_pagerduty(files: tuple[Path, ...], timezone: str | None, severity: str | None, **common) -> None:
    """PagerDuty incidents (REST API v2 JSON) as draft incidents/<id>.yaml of an engagement.

    Give the incident (GET /incidents/{id}, or a page of GET /incidents) and,
    for its timeline, its log entries (GET /incidents/{id}/log_entries), in
    any order: each log entry goes to the incident it names. The times are
    PagerDuty's, in the engagement's time zone: started and detected (the
    trigger), acknowledged, resolved; the response figures follow from them.
    The priority, else the urgency, is matched to a severity level's id, name
    or aliases. The narrative (impact, root causes...) is left as TODOs.

    Examples:

    \b
      curl -s -H "Authorization: Token token=$PD_TOKEN" https://api.pagerduty.com/incidents/Q1W2E3 -o incident.json
      curl -s -H "Authorization: Token token=$PD_TOKEN" https://api.pagerduty.com/incidents/Q1W2E3/log_entries -o log.json
      opsdocs import pagerduty incident.json log.json --engagement kestrel-shop --dry-run
    """
    from ..importers.pagerduty import read_pagerduty, record
    from ..importers.records import draft

    def make(data) -> list:
        levels = data.engagement.operate.fix.severity_levels
        zone = timezone or data.engagement.terms.coverage.timezone
        return [draft(record(path, incident, entries, levels, severity), zone) for path, incident, entries in read_pagerduty(list(files))]

    _run("incident", make, **common)


@import_command("incidentio", zone="the engagement's", said="the incident's severity")
def import_incidentio(files: tuple[Path, ...], timezone: str | None, severity: str | None, **common) -> None:
    """incident.io incidents (API v2 JSON) as draft incidents/<id>.yaml of an engagement.

    Give GET /v2/incidents/{id} (or a page of GET /v2/incidents). Its
    timestamps give the times (impact started, reported, accepted, fixed,
    resolved or closed) and the timeline, with its updates where the record
    holds them; the severity is matched by name to a severity level's id, name
    or aliases; the summary is kept; roles, custom fields, duration metrics and
    the post-mortem document's link go to the notes.

    Examples:

    \b
      curl -s -H "Authorization: Bearer $INCIDENT_IO_KEY" https://api.incident.io/v2/incidents/01FDAG4SAP5TYPT98WGR2N7W91 -o inc-123.json
      opsdocs import incidentio inc-123.json --engagement kestrel-shop --severity sev2
    """
    from ..importers.incidentio import read_incidentio, record
    from ..importers.records import draft

    def make(data) -> list:
        levels = data.engagement.operate.fix.severity_levels
        zone = timezone or data.engagement.terms.coverage.timezone
        return [draft(record(path, incident, levels, severity), zone) for path in files for incident in read_incidentio(path)]

    _run("incident", make, **common)
