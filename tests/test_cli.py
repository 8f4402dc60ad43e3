"""CLI wiring: help texts, version, schema files, and no traceback for any input."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli

ALL_COMMANDS = sorted(cli.commands)


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"opsdocs {__version__}"


def test_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in ALL_COMMANDS:
        assert f"  {name} " in result.output


@pytest.mark.parametrize("name", ALL_COMMANDS)
def test_every_command_has_help_with_options_and_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    params = [p for p in cli.commands[name].params if p.name != "help"]
    for param in params:
        if getattr(param, "help", None) is not None or param.param_type_name == "option":
            assert param.help, f"{name} {param.name} has no help text"


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["check", "--nope"])
    assert result.exit_code == 2


def test_schema_files_validate_the_example(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [f"{k}.schema.json" for k in ("engagement", "incident", "phase", "pricing", "runbook", "site")]
    engagement = json.loads((tmp_path / "engagement.schema.json").read_text())
    assert engagement["additionalProperties"] is False
    assert {"client", "system", "operate", "terms"} <= set(engagement["required"])
    jsonschema = pytest.importorskip("jsonschema")
    # The example, read the way an editor's YAML 1.2 parser reads it, satisfies the schema.
    yaml = pytest.importorskip("yaml")
    from tests.conftest import EXAMPLE

    for kind, path in [
        ("engagement", EXAMPLE / "engagements/kestrel-shop/engagement.yaml"),
        ("runbook", EXAMPLE / "engagements/kestrel-shop/runbooks/checkout-errors.yaml"),
        ("incident", EXAMPLE / "engagements/kestrel-shop/incidents/2026-07-19-order-export-stall.yaml"),
    ]:
        schema = json.loads((tmp_path / f"{kind}.schema.json").read_text())
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_core_schema_loader(yaml))
        jsonschema.validate(data, schema)


def _core_schema_loader(yaml):
    """A loader with YAML 1.2's core schema, as editors' language servers read files."""
    import re

    class Core(yaml.SafeLoader):
        yaml_implicit_resolvers: dict = {}

    for tag, pattern, first in [
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
        ("float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+0123456789."),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ]:
        Core.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))
    return Core


def test_random_garbage_never_gives_a_traceback(project: Path) -> None:
    """Mutated copies of a real file: every outcome is ok or a clean error, never an exception."""
    target = Path("content/engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml")
    original = target.read_text(encoding="utf-8")
    rng = random.Random(7)
    junk = [":", "- ", "{", "}", "[", "]", "'", '"', "&a", "*a", "!!", "\t", "#", "\n", "|", ">", "%", "@", "`", "\x00", "\ufeff"]
    for _ in range(60):
        chars = list(original)
        for _ in range(rng.randint(1, 4)):
            chars.insert(rng.randrange(len(chars)), rng.choice(junk))
        target.write_text("".join(chars), encoding="utf-8")
        result = CliRunner().invoke(cli, ["check"])
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_help_imports_nothing_heavy() -> None:
    """`opsdocs --help` starts fast: no MkDocs, pydantic, Jinja or markdown-it until a command needs them."""
    import subprocess
    import sys

    code = "import sys; from generator.cli import cli; cli(['--help'], standalone_mode=False); print(sorted(sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout
    for heavy in ("'mkdocs'", "'pydantic'", "'markdown_it'", "'jinja2'", "'yaml'"):
        assert heavy not in loaded, f"{heavy} is imported by --help"
