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


def main() -> None:
    cli(prog_name="opsdocs")
