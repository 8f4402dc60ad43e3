"""CLI: `init` (a new docs project), `new` (skeletons) and `templates list`: how people start."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    content_option,
    fail,
    force_option,
    library_errors,
    locked,
    no_input_option,
    no_wait_option,
    templates_option,
)


def skeleton_options(command):
    """The options every `new` command takes: where the content is, template overrides, prompting, overwriting."""
    return content_option(templates_option(no_input_option(force_option(no_wait_option(command)))))


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
        try:
            answers[q.name] = click.prompt(q.prompt, default=shown, value_proc=parse, err=True, show_default=bool(shown))
        except click.Abort:
            if sys.stdin.isatty():
                raise  # Ctrl-C or Ctrl-D at the terminal: the person stopped
            raise _no_terminal(questions, given) from None
    return answers


def _no_terminal(questions, given: dict) -> click.UsageError:
    """The input ran out with no terminal to ask on (a script, CI): say which options answer the questions."""
    needed = [q for q in questions if q.required and given.get(q.name) is None and q.default is None]
    options = " ".join(f"--{q.name.replace('_', '-')} ..." for q in needed)
    return click.UsageError(
        "there is no terminal to ask the questions on; pass the answers as options with --no-input"
        + (f": {options} --no-input" if options else "") + " (see --help for every option)"
    )


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
    from ..pipeline import read_content
    from ..project import Project

    project = Project.at(content)
    return project, read_content(project).content


def _write_new(project, files, force: bool, no_wait: bool) -> None:
    from ..write import write_new_files

    with locked(project, [project.content_dir], "new", no_wait):
        written = write_new_files(project.content_dir, {f.rel: f.text.encode("utf-8") for f in files}, force)
    for path in written:
        click.echo(f"wrote {project.rel(path)}")


def _document_command(kind) -> click.Command:
    """`opsdocs new <kind> ENGAGEMENT [ID]` for one kind of engagement document: its options are its questions."""

    def run(engagement_id: str, ident: str | None, content: str, templates: str | None, no_input: bool, force: bool,
            no_wait: bool, **given) -> None:
        from ..scaffold import check_new_id, new_of_kind

        try:
            project, loaded = _project_and_content(content)
            data = _engagement(loaded, engagement_id)
            answers = _ask(kind.questions(data), given, no_input)
            ident = check_new_id(ident, kind.name) if ident else kind.new_id(data, answers)
            _write_new(project, [new_of_kind(_scaffold(project, templates), kind, data, ident, answers)], force, no_wait)
        except library_errors() as exc:
            fail(exc)

    params: list[click.Parameter] = [
        click.Argument(["engagement_id"], metavar="ENGAGEMENT"),
        click.Argument(["ident"], metavar="[ID]" if kind.new_id else "ID", required=kind.new_id is None),
    ]
    params += [click.Option(["--" + q.name.replace("_", "-")], help=q.help) for q in kind.questions(None)]
    return skeleton_options(click.Command(kind.name, callback=run, params=params, help=kind.new_help))


class _NewGroup(click.Group):
    """`new engagement`, then a command for each kind of engagement document that has a skeleton (model.kinds),
    built when asked for, so a kind registered by another package gets its `new` command too."""

    def _kinds(self) -> dict:
        from ..model.kinds import kinds_in

        return {k.name: k for k in kinds_in("engagement") if k.many and k.scaffold and k.questions}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._kinds()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in self._kinds():
            command = _document_command(self._kinds()[name])
        return command


@click.group(cls=_NewGroup)
def new() -> None:
    """Start a new engagement, runbook or post-mortem from a commented skeleton.

    Each asks for what it needs (with help and validation at the prompt), or
    takes the answers as options with --no-input for scripts. The file passes
    'opsdocs check' at once: it says 'status: draft' until its TODOs are done.

    Example: opsdocs new incident kestrel-shop --title "Checkout down" --severity sev1 --started-at 2026-03-14T09:12+01:00
    """


def _scaffold(project, templates: str | None):
    from ..scaffold import Scaffold

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
@click.option("--blueprint", default=None, metavar="NAME|PATH[@REV]",
              help="Make it from a blueprint (templates/blueprints/NAME/, or a folder, at a git revision with @REV); "
                   "'opsdocs update' brings the blueprint's later versions in.")
@click.option("--answer", "answer", multiple=True, metavar="NAME=VALUE", help="An answer to one of the blueprint's questions.")
@skeleton_options
def new_engagement(engagement_id: str, content: str, templates: str | None, no_input: bool, force: bool, no_wait: bool,
                   blueprint: str | None, answer: tuple[str, ...], **given) -> None:
    """Start engagements/ID/engagement.yaml, with its runbooks/ and incidents/ folders.

    Examples:

      opsdocs new engagement acme --client "ACME Retail GmbH" --system "ACME Shop" --no-input

      opsdocs new engagement acme --blueprint web-shop --answer client="ACME Retail GmbH" --no-input
    """
    from ..scaffold import check_new_id, engagement_questions, new_engagement_folders
    from ..scaffold import new_engagement as make
    from ..write import make_folders

    try:
        project, loaded = _project_and_content(content)
        eid = check_new_id(engagement_id, "engagement")
        if blueprint is not None:
            _from_blueprint(project, eid, blueprint, answer, no_input, force, no_wait)
            return
        answers = _ask(engagement_questions(loaded), given, no_input)
        created = make(_scaffold(project, templates), eid, answers, loaded.site.currency)
        _write_new(project, [created], force, no_wait)
        make_folders(project.content_dir, new_engagement_folders(eid))
    except library_errors() as exc:
        fail(exc)
    click.echo(f"next: fill in the TODOs, then 'opsdocs check'; add runbooks with 'opsdocs new runbook {eid} ID'")


def parse_answers(pairs: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{pair}' is not NAME=VALUE", param_hint="--answer")
        found[name.strip()] = value
    return found


def ask_blueprint(no_input: bool):
    """How a blueprint's question is asked: at the prompt, or not at all under --no-input (its default is taken)."""
    return (lambda q: None) if no_input else (lambda q: click.prompt(q.prompt, default=q.default))


def _from_blueprint(project, eid: str, ref: str, answer: tuple[str, ...], no_input: bool, force: bool, no_wait: bool) -> None:
    from ..blueprints import new_from_blueprint
    from ..write import write_new_files

    files = new_from_blueprint(project, eid, ref, parse_answers(answer), ask_blueprint(no_input))
    with locked(project, [project.content_dir], "new", no_wait):
        written = write_new_files(project.content_dir, files, force)
    click.echo(f"wrote {len(written)} files in {project.rel(project.content_dir / 'engagements' / eid)}/ from blueprint {ref}")
    click.echo(f"next: 'opsdocs check'; later, 'opsdocs update {eid}' brings in the blueprint's new versions")


def _engagement(loaded, engagement_id: str):
    from ..errors import unknown_engagement

    if engagement_id not in loaded.engagements:
        raise unknown_engagement(engagement_id, loaded.engagements)
    return loaded.engagements[engagement_id]


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--consultancy", help="Your company's name.")
@click.option("--title", help="The docs site's title.")
@click.option("--currency", help="The currency of your rates, e.g. EUR.")
@click.option("--language", help="The language of the pages opsdocs writes, e.g. en, de or fr, or with a region such as de-CH "
              "(every language opsdocs has a catalog for).")
@click.option("--url", help="Your website.")
@click.option("--contact", help="Where clients write to.")
@no_input_option
@force_option
def init(directory: str, no_input: bool, force: bool, **given) -> None:
    """Start a new docs project for a consultancy in DIR.

    Writes content/ (site.yaml and a handbook with the Operate phase and a
    pricing page to adapt), an empty templates/ for overrides, mkdocs.yml
    and .gitignore. 'opsdocs build' works there straight away, diagrams
    included, with no Node.js: opsdocs carries its own copy of mermaid.

    Example: opsdocs init ~/northwind-docs --consultancy "Northwind Consulting" --language de --no-input
    """
    from ..project import Project, starter_dir
    from ..scaffold import Scaffold, init_files, init_questions
    from ..write import write_new_files

    root = Path(directory).resolve()
    project = Project(root=root, content_dir=root / "content")
    try:
        answers = _ask(init_questions(), given, no_input)
        scaffold = Scaffold(project.template_tiers(), project.rel)
        files = init_files(scaffold, starter_dir(), answers)
        written = write_new_files(root, files, force)
    except library_errors() as exc:
        fail(exc)
    click.echo(f"created {len(written)} files in {directory}")
    click.echo(f"next: cd {directory} && opsdocs new engagement ID && opsdocs build")


@click.group()
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
    from ..project import Project
    from ..targets import template_sources

    project = Project.at("content")
    rows = template_sources(project.template_tiers(Path(extra) if extra else None), project, bool(extra))
    width = max(len(r[1]) for r in rows)
    for engine, name, tier, path in rows:
        click.echo(f"{engine:<11} {name:<{width}}  {tier:<11} {path}")
