"""CLI: click wiring only. Parse options, call the library, turn its errors into exit codes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from . import __version__

CONTENT_HELP = "The content folder to read."


def _fail(exc: Exception) -> NoReturn:
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
@click.option("--strict", is_flag=True, help="Also lint: garbled text (mojibake), unclosed code fences, links to pages that do not exist.")
def check(content: str, strict: bool) -> None:
    """Validate every content file and the references between them.

    Prints every problem as FILE:LINE:COLUMN: message, with a hint, and exits 1
    if there is any error. Warnings are printed but do not fail the check.

    Examples:

      opsdocs check

      opsdocs check --strict --content ~/northwind-docs/content
    """
    from .build import read_content
    from .project import Project

    try:
        checked = read_content(Project.at(content), strict=strict)
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
    drafts = checked.drafts()
    if drafts:
        parts.append(f"{_count(len(drafts), 'draft')} with {_count(sum(drafts.values()), 'TODO')}")
    click.echo(f"ok: {', '.join(parts)}")
    for path, todos in drafts.items():
        click.echo(f"  draft: {path} ({_count(todos, 'TODO')} left)")


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
@click.option(
    "--audience", type=click.Choice(["client", "internal"]), default="client", show_default=True,
    help="'client' leaves out internal_notes and items marked visibility: internal.",
)
def build(content: str, target: str, out: str | None, site_dir: str | None, no_html: bool, engagement: str | None, templates: str | None, as_of, audience: str) -> None:
    """Render the content into a docs tree and build the site.

    For MkDocs: Markdown into docs/, then the real MkDocs build (strict) into
    site/. For Docusaurus: a docs tree into docusaurus/docs/ to drop into a
    Docusaurus 3 site. Nothing is replaced unless the whole build succeeds.

    Examples:

      opsdocs build

      opsdocs build --target docusaurus

      opsdocs build --engagement kestrel-shop --site-dir site-kestrel
    """
    from .build import BuildOptions
    from .project import Project
    from .rebuild import build_site

    targets = ("mkdocs", "docusaurus") if target == "all" else (target,)
    options = BuildOptions(
        targets=targets,
        out=Path(out).resolve() if out else None,
        site_dir=Path(site_dir).resolve() if site_dir else None,
        html=not no_html,
        engagement=engagement,
        templates=Path(templates) if templates else None,
        as_of=as_of.date() if as_of else None,
        audience=audience,
    )
    try:
        build_site(Project.at(content), options, progress=lambda line: click.echo(line, err=True))
    except _library_errors() as exc:
        _fail(exc)
    if "mkdocs" in targets and options.html:
        site = Path(site_dir or "site")
        click.echo(f"done: open {site / 'index.html'} in a browser", err=True)


def _ask(questions, given: dict, no_input: bool) -> dict:
    """Answers from options first, then from the prompt (asked again until valid), then defaults."""
    answers: dict = {}
    for q in questions:
        option = "--" + q.name.replace("_", "-")
        if given.get(q.name) is not None:
            try:
                answers[q.name] = q.parse(given[q.name])
            except ValueError as exc:
                raise click.BadParameter(str(exc), param_hint=option) from None
            continue
        default = q.default(answers) if q.default else None
        if no_input:
            if default is None and q.required:
                raise click.UsageError(f"{option} is needed with --no-input")
            answers[q.name] = default
            continue
        click.secho(f"  {q.help}", dim=True, err=True)

        def parse(text: str, q=q):
            try:
                return q.parse(text)
            except ValueError as exc:
                raise click.BadParameter(str(exc)) from None

        shown = _shown(default)
        if shown is None and not q.required:
            shown = ""  # Enter leaves an optional answer empty
        answers[q.name] = click.prompt(q.prompt, default=shown, value_proc=parse, err=True, show_default=bool(shown))
    return answers


def _shown(value) -> str | None:
    """A default as the prompt shows it (and as it is parsed back when accepted)."""
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _project_and_content(content: str):
    from .build import read_content
    from .project import Project

    project = Project.at(content)
    return project, read_content(project).content


def _write_new(project, files, force: bool) -> None:
    from .write import write_new_files

    written = write_new_files(project.content_dir, {f.rel: f.text.encode("utf-8") for f in files}, force)
    for path in written:
        click.echo(f"wrote {project.rel(path)}")


@cli.group()
def new() -> None:
    """Start a new engagement, runbook or post-mortem from a commented skeleton.

    Each asks for what it needs (with help and validation at the prompt), or
    takes the answers as options with --no-input for scripts. The file passes
    'opsdocs check' at once: it says 'status: draft' until its TODOs are done.

    Example: opsdocs new incident kestrel-shop --title "Checkout down" --severity sev1 --started-at 2026-03-14T09:12+01:00
    """


_CONTENT = click.option("--content", "content", default="content", show_default=True, metavar="DIR", help=CONTENT_HELP)
_NO_INPUT = click.option("--no-input", is_flag=True, help="Do not prompt: take options, then defaults; fail if a required answer is missing.")
_FORCE = click.option("--force", is_flag=True, help="Replace a file that already exists.")
_TEMPLATES = click.option("--templates", default=None, metavar="DIR", help="A folder of template overrides, tried before templates/.")


def _scaffold(project, templates: str | None):
    from .scaffold import Scaffold

    return Scaffold(project.template_tiers(Path(templates) if templates else None), project.rel)


@new.command("engagement")
@click.argument("engagement_id", metavar="ID")
@click.option("--client", help="The client's company name.")
@click.option("--system", help="The system we operate.")
@click.option("--title", help="The engagement's title (default: '<system> operations').")
@click.option("--contact-name", help="The person at the client we report to.")
@click.option("--contact-email", help="Their email address.")
@click.option("--lead", help="Who leads the engagement on our side.")
@click.option("--model", type=click.Choice(["retainer", "hourly"]), help="The engagement model.")
@click.option("--start", help="The first day, YYYY-MM-DD.")
@click.option("--monthly-fee", help="The retainer's monthly fee.")
@click.option("--included-hours", help="Hours included in the retainer each month.")
@click.option("--hourly-rate", help="The hourly rate (for a retainer: beyond the included hours).")
@click.option("--timezone", help="The client's time zone, e.g. Europe/Berlin.")
@_CONTENT
@_TEMPLATES
@_NO_INPUT
@_FORCE
def new_engagement(engagement_id: str, content: str, templates: str | None, no_input: bool, force: bool, **given) -> None:
    """Start engagements/ID/engagement.yaml, with its runbooks/ and incidents/ folders.

    Example: opsdocs new engagement acme --client "ACME Retail GmbH" --system "ACME Shop" --no-input
    """
    from .scaffold import check_new_id, engagement_questions
    from .scaffold import new_engagement as make

    try:
        project, loaded = _project_and_content(content)
        eid = check_new_id(engagement_id, "engagement")
        answers = _ask(engagement_questions(loaded), given, no_input)
        created = make(_scaffold(project, templates), eid, answers, loaded.site.currency)
        _write_new(project, [created], force)
    except _library_errors() as exc:
        _fail(exc)
    for folder in ("runbooks", "incidents"):
        (project.content_dir / "engagements" / eid / folder).mkdir(exist_ok=True)
    click.echo(f"next: fill in the TODOs, then 'opsdocs check'; add runbooks with 'opsdocs new runbook {eid} ID'")


def _engagement(loaded, engagement_id: str):
    from .errors import unknown_engagement

    if engagement_id not in loaded.engagements:
        raise unknown_engagement(engagement_id, loaded.engagements, where=engagement_id)
    return loaded.engagements[engagement_id]


@new.command("runbook")
@click.argument("engagement_id", metavar="ENGAGEMENT")
@click.argument("runbook_id", metavar="ID")
@click.option("--title", help="What the runbook is for.")
@click.option("--service", help="The component it is about.")
@click.option("--alerts", help="The alert ids it answers, separated by commas.")
@click.option("--owner", help="Who keeps it up to date.")
@_CONTENT
@_TEMPLATES
@_NO_INPUT
@_FORCE
def new_runbook(engagement_id: str, runbook_id: str, content: str, templates: str | None, no_input: bool, force: bool, **given) -> None:
    """Start engagements/ENGAGEMENT/runbooks/ID.yaml.

    Example: opsdocs new runbook kestrel-shop cache-outage --title "Cache cluster down" --alerts cache-errors
    """
    from .scaffold import check_new_id, runbook_questions
    from .scaffold import new_runbook as make

    try:
        project, loaded = _project_and_content(content)
        data = _engagement(loaded, engagement_id)
        rid = check_new_id(runbook_id, "runbook")
        answers = _ask(runbook_questions(data), given, no_input)
        _write_new(project, [make(_scaffold(project, templates), data, rid, answers)], force)
    except _library_errors() as exc:
        _fail(exc)


@new.command("incident")
@click.argument("engagement_id", metavar="ENGAGEMENT")
@click.argument("incident_id", metavar="[ID]", required=False)
@click.option("--title", help="What happened, in a line.")
@click.option("--severity", help="A severity id of the engagement, e.g. sev1.")
@click.option("--started-at", help="When the impact began: 2026-03-14T09:12+01:00.")
@click.option("--detected-at", help="When it was noticed (default: --started-at).")
@click.option("--acknowledged-at", help="When someone took it on.")
@click.option("--mitigated-at", help="When users stopped being affected.")
@click.option("--resolved-at", help="When it was over.")
@click.option("--author", help="Who writes the post-mortem.")
@_CONTENT
@_TEMPLATES
@_NO_INPUT
@_FORCE
def new_incident(engagement_id: str, incident_id: str | None, content: str, templates: str | None, no_input: bool, force: bool, **given) -> None:
    """Start a post-mortem: engagements/ENGAGEMENT/incidents/ID.yaml.

    ID defaults to '<date>-<title as words>'. The timeline is filled in from
    the times given, and the engagement's alerts and runbooks are listed in
    comments, ready to link.

    Example: opsdocs new incident kestrel-shop --title "Checkout down" --severity sev1 --started-at 2026-03-14T09:12+01:00 --no-input
    """
    from .scaffold import check_new_id, incident_questions
    from .scaffold import incident_id as default_id
    from .scaffold import new_incident as make

    try:
        project, loaded = _project_and_content(content)
        data = _engagement(loaded, engagement_id)
        answers = _ask(incident_questions(data), given, no_input)
        iid = check_new_id(incident_id, "incident") if incident_id else default_id(answers, data.engagement.terms.coverage.timezone)
        _write_new(project, [make(_scaffold(project, templates), data, iid, answers)], force)
    except _library_errors() as exc:
        _fail(exc)


@cli.command()
@click.argument("engagement_id", metavar="ENGAGEMENT")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf"]), default="pdf", show_default=True, help="The document's format.")
@click.option("--out", default=None, metavar="FILE", help="Where to write it (default: handover-ENGAGEMENT.FORMAT).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True, help="Paper size for HTML printing and PDF.")
@click.option("--audience", type=click.Choice(["client", "internal"]), default="client", show_default=True,
              help="'client' leaves out internal_notes and items marked visibility: internal.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, metavar="DATE",
              help="The date on the title page and for the figures. Default: the newest date in the content.")
@click.option("--chromium", default=None, metavar="PATH", help="The Chromium to draw diagrams and print with (default: found on PATH).")
@click.option("--content", "content", default="content", show_default=True, metavar="DIR", help=CONTENT_HELP)
@_TEMPLATES
def export(engagement_id: str, fmt: str, out: str | None, paper: str, audience: str, as_of, chromium: str | None, content: str, templates: str | None) -> None:
    """Write one engagement's handover as a single document.

    A title page, a table of contents, then the overview, the operate plan,
    every runbook, every post-mortem and the terms, with links between them
    pointing inside the document. 'md' is one CommonMark file; 'html' one
    self-contained file (styles and diagrams inline, no network needed);
    'pdf' is printed by headless Chromium, with page numbers.

    Examples:

      opsdocs export kestrel-shop --format pdf

      opsdocs export kestrel-shop --format html --out handover.html --paper letter
    """
    from .build import BuildOptions, export_handover
    from .project import Project
    from .write import write_new_files

    target = Path(out or f"handover-{engagement_id}.{fmt}").resolve()
    options = BuildOptions(audience=audience, as_of=as_of.date() if as_of else None, templates=Path(templates) if templates else None)
    try:
        data = export_handover(Project.at(content), engagement_id, fmt, options, paper, chromium, lambda line: click.echo(line, err=True))
        write_new_files(target.parent, {target.name: data}, force=True)
    except _library_errors() as exc:
        _fail(exc)
    click.echo(f"wrote {out or target.name} ({len(data) // 1024 + 1} KB)")


@cli.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--consultancy", help="Your company's name.")
@click.option("--title", help="The docs site's title.")
@click.option("--currency", help="The currency of your rates, e.g. EUR.")
@click.option("--url", help="Your website.")
@click.option("--contact", help="Where clients write to.")
@_NO_INPUT
@_FORCE
def init(directory: str, no_input: bool, force: bool, **given) -> None:
    """Start a new docs project for a consultancy in DIR.

    Writes content/ (site.yaml and a handbook with the Operate phase and a
    pricing page to adapt), an empty templates/ for overrides, mkdocs.yml,
    package.json (mermaid, for diagrams offline) and .gitignore.
    'opsdocs build' works there straight away.

    Example: opsdocs init ~/northwind-docs --consultancy "Northwind Consulting" --no-input
    """
    from .project import Project, starter_dir
    from .scaffold import Scaffold, init_files, init_questions
    from .write import write_new_files

    root = Path(directory).resolve()
    project = Project(root=root, content_dir=root / "content")
    try:
        answers = _ask(init_questions(), given, no_input)
        scaffold = Scaffold(project.template_tiers(), project.rel)
        files = init_files(scaffold, starter_dir(), answers)
        written = write_new_files(root, files, force)
    except _library_errors() as exc:
        _fail(exc)
    click.echo(f"created {len(written)} files in {directory}")
    click.echo(f"next: cd {directory} && npm install (optional: diagrams offline) && opsdocs new engagement ID && opsdocs build")


@cli.group()
def templates() -> None:
    """See the templates pages and skeletons are made from.

    Example: opsdocs templates list
    """


@templates.command("list")
@click.option("--templates", "extra", default=None, metavar="DIR", help="A folder of template overrides, tried before templates/.")
def templates_list(extra: str | None) -> None:
    """List every template, for each engine, and the tier it comes from.

    Tiers, first match wins: --templates DIR, the project's templates/, the
    templates shipped with opsdocs. Within a tier, <engine>/ before common/.

    Example: opsdocs templates list --templates ~/our-templates
    """
    from .project import Project
    from .render import TieredLoader

    project = Project.at("content")
    tiers = project.template_tiers(Path(extra) if extra else None)
    labels = {}
    for tier in tiers:
        resolved = tier.resolve()
        if resolved not in labels:
            labels[resolved] = "--templates" if extra and tier == tiers[0] else ("project" if tier == project.root / "templates" else "shipped")
    shipped = tiers[-1].resolve()
    labels[shipped] = "shipped"
    rows = []
    for engine, folders in (("mkdocs", ("mkdocs", "common")), ("docusaurus", ("docusaurus", "common")), ("scaffold", ("scaffold",))):
        loader = TieredLoader(tiers, folders, project.rel)
        for name in loader.list_templates():
            index, path = loader.origin(name)
            rows.append((engine, name, labels[loader.tiers[index]], project.rel(path)))
    width = max(len(r[1]) for r in rows)
    for engine, name, tier, path in rows:
        click.echo(f"{engine:<11} {name:<{width}}  {tier:<11} {path}")


@cli.command()
@click.option("--content", "content", default="content", show_default=True, metavar="DIR", help=CONTENT_HELP)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The port on 127.0.0.1 to serve on.")
@click.option("--engagement", default=None, metavar="ID", help="Preview the handbook and this one engagement only.")
@click.option("--audience", type=click.Choice(["client", "internal"]), default="internal", show_default=True,
              help="Whose view to preview; 'internal' shows internal notes and items.")
@click.option("--templates", default=None, metavar="DIR", help="A folder of template overrides, tried before templates/.")
def serve(content: str, port: int, engagement: str | None, audience: str, templates: str | None) -> None:
    """Preview the site while you write: serve it on 127.0.0.1 and rebuild on every change.

    Watches the content, templates/ and mkdocs.yml; the browser reloads by
    itself. An edit that does not check out is reported here and the last good
    site stays up until the next good edit. Ctrl-C stops it.

    Example: opsdocs serve --engagement kestrel-shop --port 8001
    """
    import logging

    from .build import BuildOptions
    from .project import Project
    from .serve import serve as run

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("serve: %(message)s"))
    logging.getLogger("mkdocs.livereload").addHandler(handler)
    options = BuildOptions(engagement=engagement, audience=audience, templates=Path(templates) if templates else None)
    try:
        run(Project.at(content), options, "127.0.0.1", port, lambda line: click.echo(line, err=True))
    except _library_errors() as exc:  # the first build failed: nothing to serve yet
        _fail(exc)
    except OSError as exc:
        click.echo(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}; pass another --port", err=True)
        sys.exit(1)


def main() -> None:
    cli(prog_name="opsdocs")
