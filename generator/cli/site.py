"""CLI: `build` (the docs site), `serve` (a live preview) and `export` (the handover document)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..project import EXPORT_FORMATS, PAPERS, BuildOptions
from .common import (
    as_of_option,
    audience_option,
    content_option,
    fail,
    language_option,
    library_errors,
    locked,
    no_wait_option,
    templates_option,
)


class EngineChoice(click.ParamType):
    """An engine of the registry, or 'all'. The registry is asked only when needed, so --help stays fast."""

    name = "engine"

    def choices(self) -> list[str]:
        from ..targets import build_targets

        return [*build_targets(), "all"]

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(self.choices()) + "]"

    def convert(self, value, param, ctx):
        if value in self.choices():
            return value
        self.fail(f"'{value}' is not one of {', '.join(self.choices())}", param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in self.choices() if c.startswith(incomplete)]


def _targets(target: str) -> tuple[str, ...]:
    from ..targets import build_targets

    return tuple(build_targets()) if target == "all" else (target,)


class _WithEngineOptions(click.Command):
    """A command that also takes every engine's own options (targets.EngineOption), asked of the registry only when
    the command runs or shows its help, so `opsdocs --help` stays fast."""

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        from ..targets import engine_options

        params = super().get_params(ctx)
        extra = [click.Option([f"--{o.name}"], is_flag=o.flag, default=False if o.flag else None, metavar=None if o.flag else "TEXT",
                              help=o.help) for o in engine_options()]
        return params[:-1] + extra + params[-1:]  # --help stays last


def _engine_values(given: dict) -> tuple[tuple[str, object], ...]:
    """The engine options given on the command line (a flag left off, or a value not given, is not given)."""
    return tuple(sorted((name.replace("_", "-"), value) for name, value in given.items() if value not in (None, False)))


@click.command(cls=_WithEngineOptions)
@content_option
@click.option("--target", "target", type=EngineChoice(), default="mkdocs", show_default=True,
              help="Which engine to write for; 'all' writes every one to its default folder.")
@click.option("--out", default=None, metavar="DIR", help="Where the Markdown goes (default: docs/ for mkdocs, docusaurus/docs/ for docusaurus).")
@click.option("--site-dir", default=None, metavar="DIR", help="Where MkDocs writes the HTML site (default: site/).")
@click.option("--no-html", is_flag=True, help="Stop after writing the Markdown; do not run MkDocs.")
@click.option("--engagement", default=None, metavar="ID", help="Build the handbook and this one engagement only.")
@templates_option
@as_of_option("The date figures are computed for (overdue items, error budgets). Default: the newest date in each engagement.")
@audience_option("client")
@language_option("Write every page in this language (default: each engagement's language, else site.yaml's).")
@click.option("--split", is_flag=True, help="MkDocs: one site per engagement under engagements/ID/, rebuilt only when its pages "
              "change (also: 'sites: per-engagement' in site.yaml).")
@no_wait_option
@click.option("--timings", is_flag=True, help="Say on stderr how long loading opsdocs and each stage of the build took.")
def build(content: str, target: str, out: str | None, site_dir: str | None, no_html: bool, engagement: str | None,
          templates: str | None, as_of, audience: str, language: str | None, split: bool, no_wait: bool, timings: bool,
          **engine_values) -> None:
    """Render the content into a docs tree and build the site.

    For MkDocs: Markdown into docs/, then the real MkDocs build (strict) into
    site/. For Docusaurus: a docs tree into docusaurus/docs/ to drop into a
    Docusaurus 3 site. Nothing is replaced unless the whole build succeeds.

    Where the output goes: --out and --site-dir, else docs_dir and site_dir of
    mkdocs.yml (docs/ and site/), else docusaurus/docs/. A folder opsdocs did
    not make is never written into.

    Examples:

      opsdocs build

      opsdocs build --target docusaurus --out ~/our-site/docs/operations --label Operations

      opsdocs build --engagement kestrel-shop --site-dir site-kestrel

      opsdocs build --language de --site-dir site-de

      opsdocs build --split                  # one site per engagement: an edit rebuilds one small site

    Another opsdocs command writing the same folders is waited for (the
    waiting is said on stderr), or with --no-wait the build stops at once.
    """
    from ..build import build_site
    from ..project import Project
    from ..timings import start, summary

    since = start()

    options = BuildOptions(
        targets=_targets(target),
        out=Path(out).resolve() if out else None,
        site_dir=Path(site_dir).resolve() if site_dir else None,
        html=not no_html,
        engagement=engagement,
        templates=Path(templates) if templates else None,
        as_of=as_of.date() if as_of else None,
        audience=audience,
        engine_options=_engine_values(engine_values),
        language=language,
        split=split,
        wait=not no_wait,
    )
    try:
        project = Project.at(content)
        reports = build_site(project, options, progress=lambda line: click.echo(line, err=True))
    except library_errors() as exc:
        fail(exc)
    if timings:
        click.echo(f"timings: {summary(since)}", err=True)
    for report in reports:
        if report.html_dir:
            click.echo(f"done: open {Path(report.html_dir) / 'index.html'} in a browser", err=True)


@click.command()
@content_option
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port on 127.0.0.1 to serve on.")
@click.option("--engagement", default=None, metavar="ID", help="Preview the handbook and this one engagement only.")
@audience_option("internal")
@templates_option
@language_option("Preview every page in this language (default: each engagement's, else site.yaml's).")
@click.option("--split", is_flag=True, help="One site per engagement, as 'build --split': a saved edit rebuilds one small site.")
def serve(content: str, port: int, engagement: str | None, audience: str, templates: str | None, language: str | None,
          split: bool) -> None:
    """Preview the site while you write: serve it on 127.0.0.1 and rebuild on every change.

    Watches the content, templates/ and mkdocs.yml; the browser reloads by
    itself. An edit that does not check out is reported here and the last good
    site stays up until the next good edit. Ctrl-C stops it.

    Example: opsdocs serve --engagement kestrel-shop --port 8001
    """
    import logging

    from ..project import Project
    from ..serve import serve as run

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("serve: %(message)s"))
    logging.getLogger("mkdocs.livereload").addHandler(handler)
    options = BuildOptions(engagement=engagement, audience=audience, templates=Path(templates) if templates else None, language=language,
                           split=split)
    try:
        run(Project.at(content), options, "127.0.0.1", port, lambda line: click.echo(line, err=True))
    except library_errors() as exc:  # the first build failed: nothing to serve yet
        fail(exc)
    except OSError as exc:
        click.echo(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}; pass another --port", err=True)
        sys.exit(1)


def _postmortems(value: str | None) -> str | None:
    """--postmortems as given, once it is one of its three forms."""
    import re
    from datetime import date

    if value is None or value == "all" or re.fullmatch(r"last [1-9]\d*", value):
        return value
    found = re.fullmatch(r"since (\d{4}-\d{2}-\d{2})", value)
    try:
        if found and date.fromisoformat(found.group(1)):
            return value
    except ValueError:
        pass
    raise click.BadParameter(f"'{value}' is not 'all', 'since YYYY-MM-DD' or 'last N'")


@click.command()
@click.argument("engagement_id", metavar="ENGAGEMENT")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="pdf", show_default=True, help="The document's format.")
@click.option("--out", default=None, metavar="FILE", help="Where to write it (default: handover-ENGAGEMENT.FORMAT).")
@click.option("--paper", type=click.Choice(list(PAPERS)), default="a4", show_default=True, help="Paper size for HTML printing and PDF.")
@audience_option("client")
@as_of_option("The date on the title page and for the figures. Default: the newest date in the engagement.")
@click.option("--chromium", default=None, metavar="PATH", help="The Chromium to draw diagrams and print with (default: found on PATH).")
@content_option
@templates_option
@language_option("The document's language (default: the engagement's, else site.yaml's).")
@click.option("--since", default=None, metavar="REV",
              help="Add what changed since REV: a git revision or tag, a date (YYYY-MM-DD: that day's last commit), "
                   "'last-acceptance' (the day of the latest acceptance), or 'last-publish' (the content revision "
                   "`opsdocs publish` last delivered to this client). Needs git and the content in a repository.")
@click.option("--postmortems", default=None, metavar="WHICH", callback=lambda ctx, param, value: _postmortems(value),
              help="The post-mortems in full: 'all', 'since YYYY-MM-DD' or 'last N'; the others are one row each in a "
                   "table at the end. Default: all of an engagement with up to 20, else those since the latest "
                   "accepted handover, else those of the last twelve months.")
@no_wait_option
def export(engagement_id: str, fmt: str, out: str | None, paper: str, audience: str, as_of, chromium: str | None, content: str,
           templates: str | None, language: str | None, since: str | None, postmortems: str | None, no_wait: bool) -> None:
    """Write one engagement's handover as a single document.

    A title page, a table of contents, then the overview, the operate plan,
    every runbook, the post-mortems and the terms, with links between them
    pointing inside the document. A long engagement's earlier post-mortems are
    one table at the end (see --postmortems). 'md' is one CommonMark file; 'html' one
    self-contained file (styles and diagrams inline, no network needed);
    'pdf' is printed by headless Chromium, with page numbers.

    Examples:

      opsdocs export kestrel-shop --format pdf

      opsdocs export kestrel-shop --format html --out handover.html --paper letter

      opsdocs export kestrel-shop --language fr-CH --out remise-kestrel.pdf

      opsdocs export kestrel-shop --since last-acceptance    # the quarterly handover: what changed

      opsdocs export kestrel-shop --postmortems "last 10" --format md
    """
    from ..export import export_handover
    from ..project import Project
    from ..write import write_new_files

    target = Path(out or f"handover-{engagement_id}.{fmt}").resolve()
    options = BuildOptions(audience=audience, as_of=as_of.date() if as_of else None, templates=Path(templates) if templates else None,
                           language=language)
    project = Project.at(content)
    try:
        with locked(project, [target], "export", no_wait):
            data = export_handover(project, engagement_id, fmt, options, paper, chromium, lambda line: click.echo(line, err=True),
                                   since, postmortems)
            write_new_files(target.parent, {target.name: data}, force=True)
    except library_errors() as exc:
        fail(exc)
    click.echo(f"wrote {out or target.name} ({len(data) // 1024 + 1} KB)")
