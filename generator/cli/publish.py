"""CLI: `publish` (each client's site, where only that client can read it)."""

from __future__ import annotations

import click

from .common import content_option, count, fail, library_errors


@click.command()
@click.argument("engagement_ids", nargs=-1, metavar="[ENGAGEMENT]...")
@click.option("--all", "every", is_flag=True, help="Publish every engagement.")
@click.option("--to", "to", default=None, metavar="DEST",
              help="dir:PATH (a folder per client under PATH/sites/) or git:REPO[#BRANCH] (a folder per client on a "
                   "pages branch, default gh-pages). Default: publish.to in engagement.yaml or site.yaml.")
@click.option("--access", type=click.Choice(["none", "basic", "encrypt"]), default=None,
              help="none; basic: each client behind its own login (nginx and Caddy configurations, bcrypt hashes); "
                   "encrypt: each site encrypted in the browser with the client's password. Default: publish.access, else none.")
@click.option("--base-url", default=None, metavar="PATTERN",
              help="Each client's address, with {engagement} for its id, e.g. https://docs.example.com/{engagement}/.")
@click.option("--credentials", default=None, metavar="FILE",
              help="The YAML file with each client's users and passwords (outside the content; never commit it).")
@click.option("--techdocs", is_flag=True, help="Write each client's docs as a Backstage TechDocs source (catalog-info.yaml, "
                                              "mkdocs.yml with techdocs-core, docs/) instead of HTML.")
@click.option("--dry-run", is_flag=True, help="Build and audit every bundle, deliver nothing.")
@click.option("--status", "show_status", is_flag=True, help="List each published client, its content revision, and "
                                                            "whether its content changed since.")
@content_option
def publish(engagement_ids: tuple[str, ...], every: bool, to: str | None, access: str | None, base_url: str | None,
            credentials: str | None, techdocs: bool, dry_run: bool, show_status: bool, content: str) -> None:
    """Publish each client's docs where only that client can read them.

    Each client gets a site of its own: a client-audience build of its
    engagement alone (with the handbook), in its language, with its own
    search index and sitemap. A leak audit reads every file of every bundle
    first: another client's name, an internal item or a secret from the
    monitoring files stops the publish before anything is delivered.

    Examples:

      opsdocs publish kestrel-shop --to dir:published

      opsdocs publish --all --to dir:/srv/docs --access basic --credentials ~/clients.yaml

      opsdocs publish --all --to git:git@github.com:northwind/client-docs.git --access encrypt --credentials ~/clients.yaml

      opsdocs publish kestrel-shop --to dir:backstage --techdocs

      opsdocs publish --status
    """
    from ..model.site import Publish
    from ..project import Project
    from ..publish import publish as run
    from ..publish import status

    project = Project.at(content)
    try:
        if show_status:
            _status(status(project))
            return
        if not engagement_ids and not every:
            raise click.UsageError("name the engagements to publish, or pass --all")
        given = Publish(to=to, access=access, base_url=base_url, credentials=credentials)
        done = run(project, list(engagement_ids) or None, given, dry_run, lambda line: click.echo(line, err=True), techdocs)
    except library_errors() as exc:
        fail(exc)
    built = sum(1 for p in done if p.built)
    verb = "would publish" if dry_run else "published"
    click.echo(f"{verb} {count(len(done), 'client')} ({built} built, {len(done) - built} unchanged)")


def _status(rows) -> None:
    if not rows:
        click.echo("nothing published yet (no publish-record.json)")
        return
    for eid, where, revision, changed in rows:
        click.echo(f"{eid}: {where} at {revision[:12]}" + (" (content changed since)" if changed else " (current)"))
