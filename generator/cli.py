"""CLI: click wiring only. Parse options, call the library, turn its errors into exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__

CONTENT_HELP = "The content folder to read."


def _fail(exc: Exception) -> "NoReturn":  # type: ignore[name-defined]
    """Print a library error to stderr and exit 1."""
    from .errors import ContentErrors

    if isinstance(exc, ContentErrors):
        click.echo(exc.format(), err=True)
        count = len(exc.errors)
        click.secho(f"{count} error{'s' if count != 1 else ''}; nothing was written.", err=True, fg="red")
    else:
        click.echo(str(exc), err=True)
    sys.exit(1)


def _library_errors() -> tuple[type[Exception], ...]:
    from .errors import ContentErrors, OpsdocsError

    return (ContentErrors, OpsdocsError)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="opsdocs", message="%(prog)s %(version)s")
def cli() -> None:
    """opsdocs turns a consultancy's operations data (YAML in content/) into
    documentation: a MkDocs Material site, a Docusaurus docs tree, handover
    documents and skeletons for new engagements.

    Start with 'opsdocs check' to validate the content, then 'opsdocs build'.
    """


@cli.command()
@click.option("--content", "content", default="content", show_default=True, metavar="DIR", help=CONTENT_HELP)
def check(content: str) -> None:
    """Validate every content file and the references between them.

    Prints every problem as FILE:LINE:COLUMN: message, with a hint, and exits 1
    if there is any error. Warnings are printed but do not fail the check.

    Example: opsdocs check --content content
    """
    from .build import read_content
    from .project import Project

    try:
        checked = read_content(Project.at(content))
    except _library_errors() as exc:
        _fail(exc)
    for warning in checked.warnings:
        click.echo(warning.format(), err=True)
    c = checked.content
    runbooks = sum(len(e.runbooks) for e in c.engagements.values())
    incidents = sum(len(e.incidents) for e in c.engagements.values())
    parts = [
        _count(len(c.engagements), "engagement"),
        _count(runbooks, "runbook"),
        _count(incidents, "incident"),
        _count(len(c.phases), "phase"),
    ]
    if checked.warnings:
        parts.append(_count(len(checked.warnings), "warning"))
    click.echo(f"ok: {', '.join(parts)}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@cli.command()
@click.option("--out", default="schemas", show_default=True, metavar="DIR", help="Where to write the JSON Schema files.")
def schema(out: str) -> None:
    """Write JSON Schema files for the content documents, for editor autocompletion.

    One file per document kind (engagement, runbook, incident, site, phase,
    pricing). Point the YAML language server at one with a first line such as:

        # yaml-language-server: $schema=../../schemas/engagement.schema.json

    Example: opsdocs schema --out schemas
    """
    from .schema import write_schemas

    try:
        written = write_schemas(Path(out))
    except _library_errors() as exc:
        _fail(exc)
    for path in written:
        click.echo(f"wrote {path}")


@cli.command()
@click.option("--content", "content", default="content", show_default=True, metavar="DIR", help=CONTENT_HELP)
@click.option(
    "--target", "target", type=click.Choice(["mkdocs", "docusaurus", "all"]), default="mkdocs", show_default=True,
    help="Which engine to write for; 'all' writes every one to its default folder.",
)
@click.option("--out", default=None, metavar="DIR", help="Where the Markdown goes (default: docs/ for mkdocs, docusaurus/docs/ for docusaurus).")
@click.option("--site-dir", default=None, metavar="DIR", help="Where MkDocs writes the HTML site (default: site/).")
@click.option("--no-html", is_flag=True, help="Stop after writing the Markdown; do not run MkDocs.")
@click.option("--engagement", default=None, metavar="ID", help="Build the handbook and this one engagement only.")
@click.option("--templates", default=None, metavar="DIR", help="A folder of template overrides, tried before templates/.")
@click.option(
    "--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
    help="The date figures are computed for (overdue items, error budgets). Default: the newest date in the content.",
)
def build(content: str, target: str, out: str | None, site_dir: str | None, no_html: bool, engagement: str | None, templates: str | None, as_of) -> None:
    """Render the content into a docs tree and build the site.

    For MkDocs: Markdown into docs/, then the real MkDocs build (strict) into
    site/. For Docusaurus: a docs tree into docusaurus/docs/ to drop into a
    Docusaurus 3 site. Nothing is replaced unless the whole build succeeds.

    Examples:

      opsdocs build

      opsdocs build --target docusaurus

      opsdocs build --engagement kestrel-shop --site-dir site-kestrel
    """
    from .build import BuildOptions, build_site
    from .project import Project

    targets = ("mkdocs", "docusaurus") if target == "all" else (target,)
    options = BuildOptions(
        targets=targets,
        out=Path(out).resolve() if out else None,
        site_dir=Path(site_dir).resolve() if site_dir else None,
        html=not no_html,
        engagement=engagement,
        templates=Path(templates) if templates else None,
        as_of=as_of.date() if as_of else None,
    )
    try:
        build_site(Project.at(content), options, progress=lambda line: click.echo(line, err=True))
    except _library_errors() as exc:
        _fail(exc)


def main() -> None:
    cli(prog_name="opsdocs")
