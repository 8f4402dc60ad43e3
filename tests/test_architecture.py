"""The shape of the code: one error base that behaves as an exception, an engine registry an engine can be
added to from outside, and functions and modules small enough to read."""

from __future__ import annotations

import ast
import pickle
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.errors import ContentErrors, OpsdocsError, Problem
from tests.conftest import EXAMPLE, ROOT

GENERATOR = ROOT / "generator"
MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 400


@contextmanager
def scope():
    yield


def test_an_opsdocs_error_leaves_a_contextmanager_as_itself() -> None:
    with pytest.raises(OpsdocsError) as info:
        with scope():
            raise OpsdocsError("the output folder is not empty", "choose another --out")
    assert (info.value.message, info.value.hint) == ("the output folder is not empty", "choose another --out")
    with pytest.raises(ContentErrors) as many:
        with scope():
            raise ContentErrors.at("content/site.yaml", 3, 5, "unknown key 'titel'", "did you mean 'title'?")
    assert many.value.problems == [Problem("content/site.yaml", 3, 5, "unknown key 'titel'", "did you mean 'title'?")]


def test_errors_cross_a_process_boundary_with_every_field() -> None:
    problem = Problem("content/x.yaml", 4, 2, "duplicate key 'a'", "keep one", "warning")
    for error in (OpsdocsError("no engagement 'x'", "did you mean 'y'?"), ContentErrors([problem])):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and copy.format() == error.format()
    assert pickle.loads(pickle.dumps(ContentErrors([problem]))).problems == [problem]


def _shapes():
    for path in sorted(GENERATOR.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        yield path, len(source.splitlines()), ast.parse(source)


def test_no_module_over_400_lines_and_no_function_over_60() -> None:
    too_long = []
    for path, lines, tree in _shapes():
        rel = path.relative_to(ROOT).as_posix()
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{rel}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{rel}:{node.lineno}: {node.name} is {length} lines")
    assert too_long == []


# Every module of generator/ in its stage, lowest first: a module imports only from its own stage or lower ones.
STAGES: list[tuple[str, set[str]]] = [
    ("base", {"__init__", "errors", "plugins", "links", "i18n", "project", "parse", "write", "lock", "parallel", "cache",
              "routing", "escape", "chromium", "timings"}),
    ("collect", {"load", "monitoring", "alertmanager"}),
    ("model", {"model"}),
    ("compute", {"compute", "audience", "outline", "diagrams", "alerting", "findings", "handover", "history", "archive"}),
    ("plan", {"pages", "lint", "lint_steps"}),
    ("render", {"templating", "render"}),
    ("targets", {"targets"}),
    ("pipeline", {"pipeline"}),
    ("commands", {"build", "export", "serve", "scaffold", "schema", "runbook_urls", "importers", "publish", "blueprints"}),
    ("cli", {"cli", "__main__"}),
]
# Where an import of opsdocs' own modules may stand inside a function: the commands of cli/ import the library
# when they run, so that `opsdocs --help` loads none of it. Nowhere else.
LAZY_IMPORTS_ALLOWED_IN = ("cli",)


def _module(path: Path) -> str:
    parts = list(path.relative_to(GENERATOR).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "__init__"


def _stage(module: str) -> int:
    top = module.split(".")[0]
    return next(n for n, (_, names) in enumerate(STAGES) if top in names or module in names)


def _imports(path: Path, tree: ast.AST) -> list[tuple[str, int, bool]]:
    """(module imported, line, inside a function) for every import of opsdocs' own modules."""
    module = _module(path)
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if module == "__init__":
        package = []
    inner = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in ast.walk(f)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package[: len(package) - node.level + 1] if node.level > 1 else package
        target = ".".join(base + ([node.module] if node.module else []))
        names = [f"{target}.{a.name}" if target else a.name for a in node.names]
        modules = {_module(p) for p in GENERATOR.rglob("*.py")}
        hits = [n for n in names if n in modules] or [target]
        found += [(hit or "__init__", node.lineno, id(node) in inner) for hit in hits]
    return found


def test_every_module_has_a_stage_and_imports_only_its_own_or_lower_ones() -> None:
    """load knows nothing of models, models nothing of pages or engines, engines nothing of the build, and nothing
    imports the CLI; every module of generator/ is in STAGES, so a new one is placed before it is used."""
    found = []
    for path, _, tree in _shapes():
        module = _module(path)
        mine = _stage(module)
        for target, line, lazy in _imports(path, tree):
            if _stage(target) > mine:
                found.append(f"{module}:{line} ({STAGES[mine][0]}) imports {target} ({STAGES[_stage(target)][0]})")
            if lazy and module.split(".")[0] not in LAZY_IMPORTS_ALLOWED_IN:
                found.append(f"{module}:{line} imports {target} inside a function")
    assert found == []


def test_no_import_circle() -> None:
    graph: dict[str, set[str]] = {}
    for path, _, tree in _shapes():
        graph[_module(path)] = {target for target, _, _ in _imports(path, tree)} - {_module(path)}
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> list[str] | None:
        if module in trail:
            return trail[trail.index(module):] + [module]
        if module in done:
            return None
        for target in sorted(graph.get(module, ())):
            circle = visit(target, trail + [module])
            if circle:
                return circle
        done.add(module)
        return None

    circles = [c for c in (visit(m, []) for m in sorted(graph)) if c]
    assert circles == []


# A throw-away engine, registered by this test alone: plain text pages, and an "HTML build" that wraps them.

@pytest.fixture
def plaintext_engine():
    from generator.escape import HTML_INLINE, HTML_TEXT, Escaper
    from generator.targets import Engine, engines, register, render_pages, unregister

    def render(plan, env, context, options, site):
        return {path.replace(".md", ".txt"): data for path, data in render_pages(plan, env, lambda page: "", context).items()}

    def html(project, docs_dir, site_dir, plan, site, progress):
        for text in sorted(docs_dir.rglob("*.txt")):
            target = site_dir / text.relative_to(docs_dir).with_suffix(".html")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"<title>{site.site.title}</title><pre>{text.read_text()}</pre>")

    engines()  # the built-in ones first, as the CLI sees them
    register(Engine(
        name="plaintext",
        escaper=Escaper(text_map=HTML_TEXT, inline_map=HTML_INLINE),
        render=render,
        callout=lambda kind, title, body: f"[{kind.upper()}: {title}]\n{body}",
        default_out="plain",
        html=html,
    ))
    yield
    unregister("plaintext")


def test_an_engine_registered_from_outside_builds_the_example(plaintext_engine, tmp_path: Path, monkeypatch) -> None:
    from generator.cli import cli

    shutil.copytree(EXAMPLE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    help_text = CliRunner().invoke(cli, ["build", "--help"]).output
    assert "plaintext" in help_text  # the --target choices come from the registry
    result = CliRunner().invoke(cli, ["build", "--target", "plaintext", "--site-dir", "plain-site"])
    assert result.exit_code == 0, result.output
    runbook = (tmp_path / "plain/engagements/kestrel-shop/runbooks/checkout-errors.txt").read_text()
    assert runbook.startswith("\n# Checkout error rate high\n")  # the shared templates, after this engine's (empty) head
    postmortem = (tmp_path / "plain/engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage.txt").read_text()
    assert "[SUCCESS: Response window met]" in postmortem  # the engine's own callout
    assert (tmp_path / "plain-site/engagements/kestrel-shop/runbooks/checkout-errors.html").read_text().startswith("<title>")
    assert not (tmp_path / "docs").exists()  # nothing of another engine was written


def test_build_export_and_the_golden_tests_share_one_pipeline_function() -> None:
    """`opsdocs build`, `opsdocs export` and the golden tests render through pipeline.render_site, not copies of it."""
    from generator import build, export, pipeline
    from tests import test_build_mkdocs

    assert build.render_site is pipeline.render_site and export.render_site is pipeline.render_site
    assert test_build_mkdocs.render_site is pipeline.render_site
