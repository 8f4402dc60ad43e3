"""CLI: `runbook-urls` (point the client's alerting rules at the published runbooks)."""

from __future__ import annotations

import click

from .common import content_option, count, fail, library_errors, locked, no_wait_option


@click.command("runbook-urls")
@click.argument("engagement_id", metavar="ENGAGEMENT")
@click.option("--site-url", required=True, metavar="URL", help="Where the site is published, e.g. https://ops.example.com/.")
@click.option("--write", "write", is_flag=True, help="Rewrite the rule files (without it, print the change as a diff).")
@content_option
@no_wait_option
def runbook_urls(engagement_id: str, site_url: str, write: bool, content: str, no_wait: bool) -> None:
    """Set annotations.runbook_url on every alerting rule that has an opsdocs runbook.

    Reads the rule files named in operate.monitor.sources.prometheus_rules,
    finds each alert a runbook answers, and points its runbook_url at that
    runbook's page on the published site. Comments, key order, quoting and the
    PrometheusRule wrapper are kept. Without --write it prints a unified diff.

    Examples:

      opsdocs runbook-urls kestrel-shop --site-url https://ops.example.com/

      opsdocs runbook-urls kestrel-shop --site-url https://ops.example.com/ --write
    """
    from ..project import Project
    from ..runbook_urls import plan_rewrites, write_rewrites

    project = Project.at(content)
    try:
        if write:  # what it read must still be what it rewrites: no other command writes the content meanwhile
            with locked(project, [project.content_dir], "runbook-urls", no_wait):
                rewrites = plan_rewrites(project, engagement_id, site_url)
                write_rewrites(rewrites)
        else:
            rewrites = plan_rewrites(project, engagement_id, site_url)
    except library_errors() as exc:
        fail(exc)
    changed = sum(r.changed for r in rewrites)
    if not rewrites:
        click.echo("every alert with a runbook already points at it; nothing to change", err=True)
        return
    if write:
        for rewrite in rewrites:
            click.echo(f"wrote {rewrite.rel} ({count(rewrite.changed, 'runbook_url')})")
        return
    for rewrite in rewrites:
        click.echo(rewrite.diff(), nl=False)
    click.echo(f"{count(changed, 'runbook_url')} in {count(len(rewrites), 'file')} would change; pass --write to rewrite them", err=True)
