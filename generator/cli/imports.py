"""CLI: `import` (what a client already has, as draft documents of an engagement)."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import click

from .common import content_option, count, fail, library_errors, locked, no_wait_option

dry_run_option = click.option("--dry-run", is_flag=True, help="Print the YAML it would write and its TODOs; write nothing.")
force_import_option = click.option("--force", is_flag=True, help="Replace a file that exists, or import a source imported before.")
engagement_option = click.option("--engagement", "engagement_id", required=True, metavar="ID", help="The engagement to import into.")


@click.group("import")
def import_group() -> None:
    """Bring in what a client already has: Markdown runbooks and post-mortems, as drafts.

    Every imported file says at its top where it came from; a second import of
    the same source is recognised, and no file is ever overwritten without
    --force. Review the drafts (their TODOs are listed), then 'opsdocs check'.

    Example: opsdocs import runbook old-wiki/runbooks/*.md --engagement kestrel-shop --dry-run
    """


def _run(content: str, engagement_id: str, kind_name: str, make, dry_run: bool, force: bool, no_wait: bool) -> None:
    """Read the engagement, make every document, place them, then print or write them."""
    from ..importers import plan_import, write_imports
    from ..model.kinds import KIND
    from ..pipeline import read_content
    from ..project import Project

    project = Project.at(content)
    try:
        with nullcontext() if dry_run else locked(project, [project.content_dir], "import", no_wait):
            loaded = read_content(project, only={engagement_id}).content
            data = loaded.engagements.get(engagement_id)
            imported = make(data)
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


@import_group.command("runbook")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@engagement_option
@dry_run_option
@force_import_option
@content_option
@no_wait_option
def import_runbook(files: tuple[Path, ...], engagement_id: str, dry_run: bool, force: bool, content: str, no_wait: bool) -> None:
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
        names = set(alert_names(data)) | {a.name for a in data.engagement.operate.monitor.alerts} if data else set()
        return [make_one(path, names) for path in files]

    _run(content, engagement_id, "runbook", make, dry_run, force, no_wait)


@import_group.command("postmortem")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@engagement_option
@click.option("--timezone", default=None, metavar="ZONE",
              help="The time zone of the times in the document (default: what it says, e.g. '(all times UTC)', else the engagement's).")
@click.option("--severity", default=None, metavar="ID", help="The engagement's severity for it, when the document names none that maps.")
@dry_run_option
@force_import_option
@content_option
@no_wait_option
def import_postmortem(files: tuple[Path, ...], engagement_id: str, timezone: str | None, severity: str | None, dry_run: bool,
                      force: bool, content: str, no_wait: bool) -> None:
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

    if timezone is not None:
        from ..model.types import time_zones

        if timezone not in time_zones():
            raise click.BadParameter(f"'{timezone}' is not a time zone: use an IANA name such as Europe/Berlin or UTC",
                                     param_hint="--timezone")

    def make(data) -> list:
        if data is None:
            return []
        return [make_one(path, data, timezone, severity) for path in files]

    _run(content, engagement_id, "incident", make, dry_run, force, no_wait)
