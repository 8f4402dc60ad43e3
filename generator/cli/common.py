"""CLI: what every command group shares: printing library errors, and the options they repeat."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from ..project import AUDIENCES

CONTENT_HELP = "The content folder to read."

content_option = click.option("--content", "content", default="content", show_default=True, metavar="DIR", help=CONTENT_HELP)
templates_option = click.option("--templates", default=None, metavar="DIR", help="A folder of template overrides, tried before templates/.")
no_input_option = click.option("--no-input", is_flag=True, help="Do not prompt: take options, then defaults; fail if a required answer is missing.")
force_option = click.option("--force", is_flag=True, help="Replace a file that already exists.")
no_wait_option = click.option("--no-wait", is_flag=True,
                              help="If another opsdocs command is writing the same folders, stop at once (exit 1) instead of waiting for it.")


def locked(project, targets: list, command: str, no_wait: bool):
    """Hold the locks of `targets` for this command (generator.lock), saying on stderr what it waits for."""
    from ..lock import holding

    return holding(project.root, targets, command, not no_wait, lambda line: click.echo(line, err=True), project.rel)


def as_of_option(help: str):
    return click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE", help=help)


def audience_option(default: str):
    return click.option(
        "--audience", type=click.Choice(AUDIENCES), default=default, show_default=True,
        help="'client' leaves out internal_notes and items marked visibility: internal; 'internal' shows them.",
    )


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from ..i18n import check_tag

    if value is None:
        return None
    try:
        return check_tag(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def language_option(help: str):
    from ..i18n import languages

    return click.option("--language", default=None, metavar="TAG", callback=_language,
                        help=f"{help} One of {', '.join(languages())}, optionally with a region: de-CH, fr-CH, en-GB.")


def library_errors() -> tuple[type[Exception], ...]:
    """The errors the library raises for the user to read (imported late: --help stays fast)."""
    from ..errors import OpsdocsError

    return (OpsdocsError,)


def fail(exc: Exception) -> NoReturn:
    """Print a library error to stderr and exit 1."""
    from ..errors import ContentErrors

    if isinstance(exc, ContentErrors):
        click.echo(exc.format(), err=True)
        errors = sum(1 for p in exc.problems if not p.warning)
        warnings = f" (and {count(len(exc.problems) - errors, 'warning')})" if errors < len(exc.problems) else ""
        click.secho(f"{count(errors, 'error')}{warnings}; nothing was written.", err=True, fg="red")
    else:
        click.echo(f"error: {exc}", err=True)
    sys.exit(1)


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
