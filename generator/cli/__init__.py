"""CLI: click wiring only. Parse options, call the library, turn its errors into exit codes.

One module per command group: `check` (check, schema), `site` (build, serve,
export), `start` (init, new, templates), `rules` (runbook-urls), `imports` (import), `publish`, `blueprints` (update). Nothing else
imports this package.
"""

from __future__ import annotations

import click

from .. import __version__
from .blueprints import update
from .check import check, schema
from .imports import import_group
from .publish import publish
from .rules import runbook_urls
from .site import build, export, serve
from .start import init, new, templates


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", "-V", prog_name="opsdocs", message="%(prog)s %(version)s")
def cli() -> None:
    """opsdocs turns a consultancy's operations data (YAML in content/) into
    documentation: a MkDocs Material site, a Docusaurus docs tree, handover
    documents and skeletons for new engagements.

    Start with 'opsdocs check' to validate the content, then 'opsdocs build'.
    """


for command in (check, schema, build, serve, export, publish, init, new, update, templates, runbook_urls, import_group):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="opsdocs")
