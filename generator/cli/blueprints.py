"""CLI: `update` (bring a blueprint's new version into the engagements made from it)."""

from __future__ import annotations

import sys

import click

from .common import content_option, count, fail, library_errors, locked, no_input_option, no_wait_option
from .start import ask_blueprint, parse_answers


@click.command()
@click.argument("engagement_ids", nargs=-1, metavar="[ENGAGEMENT]...")
@click.option("--all", "every", is_flag=True, help="Every engagement made from a blueprint.")
@click.option("--to", "to", default=None, metavar="VERSION|REV", help="A git revision of the blueprint (default: the blueprint as it is now).")
@click.option("--dry-run", is_flag=True, help="Print what would change and every conflict; write nothing.")
@click.option("--keep", type=click.Choice(["ours", "theirs"]), default=None,
              help="Decide every conflict: keep the engagement's value (ours) or take the blueprint's (theirs).")
@click.option("--answer", "answer", multiple=True, metavar="NAME=VALUE", help="An answer to a question the blueprint added.")
@no_input_option
@content_option
@no_wait_option
def update(engagement_ids: tuple[str, ...], every: bool, to: str | None, dry_run: bool, keep: str | None, answer: tuple[str, ...],
           no_input: bool, content: str, no_wait: bool) -> None:
    """Merge a blueprint's new version into the engagements made from it.

    Three ways, by data: the base (the blueprint as the engagement last took
    it, kept in the engagement's .blueprint/), ours (the engagement now) and
    theirs (the blueprint now). A value changed on one side takes that side;
    maps merge by key, lists of items by their id. A conflict is printed with
    its file, line and path, and leaves that engagement as it was (exit 1)
    unless --keep decides. Comments and formatting of your files are kept.

    Examples:

      opsdocs update --all --dry-run

      opsdocs update kestrel-shop

      opsdocs update kestrel-shop --keep ours
    """
    from ..blueprints import apply, blueprint_engagements, check_result, plan_update
    from ..project import Project

    project = Project.at(content)
    ids = list(engagement_ids) or (blueprint_engagements(project) if every else [])
    if not ids and not every:
        raise click.UsageError("name the engagements to update, or pass --all")
    if not ids:
        click.echo("no engagement was made from a blueprint: nothing to update", err=True)
        return
    conflicted = 0
    try:
        with locked(project, [project.content_dir], "update", no_wait):
            for eid in ids:
                outcome = plan_update(project, eid, to, keep, parse_answers(answer), ask_blueprint(no_input))
                _report(outcome, dry_run)
                if outcome.conflicts:
                    conflicted += 1
                    continue
                if not dry_run:
                    if outcome.changes:
                        check_result(project, outcome)
                    apply(project, outcome)  # the record moves to the new version even when no file changes
    except library_errors() as exc:
        fail(exc)
    if conflicted:
        click.echo(f"{count(conflicted, 'engagement')} left unchanged: settle each value in your files, or pass "
                   "--keep ours|theirs, then run update again", err=True)
        sys.exit(1)


def _report(outcome, dry_run: bool) -> None:
    verb = "would update" if dry_run else "updated"
    if outcome.conflicts:
        verb = "conflicts in"
    if not outcome.changes and not outcome.conflicts and outcome.old == outcome.new:
        click.echo(f"{outcome.eid}: up to date with {outcome.blueprint} {outcome.new}")
        return
    click.echo(f"{outcome.eid}: {verb} {outcome.blueprint} {outcome.old} → {outcome.new}" + ("" if outcome.changes else " (no changes)"))
    for change in outcome.changes:
        click.echo(f"  {change}")
    for conflict in outcome.conflicts:
        click.echo(f"  CONFLICT {conflict}")
