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


def test_nothing_imports_the_cli_and_no_stage_imports_a_later_one() -> None:
    """load knows nothing of models, models nothing of pages or engines, engines nothing of the build."""
    later = {
        "load.py": ("model", "pages", "render", "targets", "pipeline", "build"),
        "model": ("pages", "render", "targets", "pipeline", "build", "compute"),
        "compute.py": ("pages", "render", "targets", "pipeline", "build"),
        "pages.py": ("render", "targets", "pipeline", "build"),
        "targets": ("pipeline", "build"),
        "pipeline.py": ("build",),
    }
    found = []
    for path, _, tree in _shapes():
        rel = path.relative_to(GENERATOR).as_posix()
        forbidden = ["cli"] if not rel.startswith("cli/") and rel != "__main__.py" else []
        for stage, names in later.items():
            if rel == stage or rel.startswith(stage + "/"):
                forbidden += names
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                first = (node.module or "").split(".")[0]
                if first in forbidden:
                    found.append(f"{rel}:{node.lineno} imports {node.module}")
    assert found == []


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
