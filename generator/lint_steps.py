"""Lint (`check --strict`): the commands in runbook steps, checked by the programs that would run them.

A step's `run` in bash or sh is parsed with `bash -n` (a syntax error is an error) and, when ShellCheck is
installed, linted by it (its findings at warning level and above are warnings; a `# shellcheck disable=...`
comment in the command is honoured, as ShellCheck itself reads it). A step in `promql` is parsed by promtool,
when installed. Each finding is placed at its line in the runbook's YAML: the command's own line inside a
literal block (`run: |`), else the line of `run`.

Every command of the content is checked in one call per program, so a portfolio costs three processes
(plus one `bash -n` per shell command, which is cheap), not one per step.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Problem
from .model import Content
from .model.runbook import SHELLS
from .parse import Document, Loc

SHELLCHECK_LEVEL = "warning"  # ShellCheck's info and style notes are left out: a runbook is not a program
_BASH_ERROR = re.compile(r"^bash: -c: line (\d+): (.*)$", re.M)
_PROMTOOL_ERROR = re.compile(r'rule (\d+), "opsdocs_step_\d+": (?:could not parse expression: )?(?:(\d+):\d+: )?(.*)$', re.M)
_LITERAL_BLOCK = re.compile(r"\|[1-9]?[-+]?[1-9]?\s*(#.*)?$")


@dataclass(frozen=True)
class Command:
    """One step's command and where it is written."""

    doc: Document
    loc: Loc  # the step's `run`
    text: str
    lang: str

    def line(self, n: int) -> int:
        """The YAML line of the command's line `n` (1-based)."""
        line, column = self.doc.where(self.loc)
        try:
            source = self.doc.path.read_text(encoding="utf-8").split("\n")[line - 1]
        except (OSError, IndexError):
            return line
        return line + n if _LITERAL_BLOCK.match(source[column - 1:].strip()) else line

    def problem(self, n: int, message: str, hint: str | None, severity: str) -> Problem:
        line, column = self.doc.where(self.loc)
        at = self.line(n)
        return Problem(self.doc.rel, at, column if at == line else 0, message, hint, severity)


def commands(content: Content) -> Iterator[Command]:
    """Every step's command in every runbook, in file order."""
    for data in content.engagements.values():
        for rid, runbook in sorted(data.runbooks.items()):
            doc = data.sources[("runbook", rid)]
            for phase in ("diagnose", "mitigate", "verify", "rollback"):
                for i, step in enumerate(getattr(runbook.steps, phase)):
                    if step.run is not None:
                        yield Command(doc, ("steps", phase, i, "run"), step.run, step.lang)


def lint_steps(content: Content) -> list[Problem]:
    found = list(commands(content))
    shell = [c for c in found if c.lang in SHELLS]
    problems = []
    parsed = []
    for command in shell:
        error = bash_syntax(command.text)
        if error is None:
            parsed.append(command)
        else:
            problems.append(command.problem(error[0], f"shell syntax error: {error[1]}",
                                            "fix the command; `bash -n` reads it as shown", "error"))
    problems += shellcheck(parsed)
    problems += promtool([c for c in found if c.lang == "promql"])
    return problems


def unavailable(content: Content) -> list[str]:
    """The programs this content's commands would be checked with that are not installed."""
    langs = {c.lang for c in commands(content)}
    wanted = [("shellcheck", bool(langs & set(SHELLS))), ("promtool", "promql" in langs)]
    return [name for name, needed in wanted if needed and shutil.which(name) is None]


def bash_syntax(text: str) -> tuple[int, str] | None:
    """The first syntax error `bash -n` finds, with its line, or None."""
    done = subprocess.run(["bash", "--norc", "--noprofile", "-n", "-c", text], capture_output=True, text=True, timeout=60)
    if done.returncode == 0:
        return None
    match = _BASH_ERROR.search(done.stderr)
    return (int(match.group(1)), match.group(2)) if match else (1, done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "bash -n failed")


def shellcheck(found: list[Command]) -> list[Problem]:
    """ShellCheck's findings on every command, in one run: each command a file, with a shebang for its dialect."""
    program = shutil.which("shellcheck")
    if program is None or not found:
        return []
    with tempfile.TemporaryDirectory(prefix="opsdocs-shellcheck-") as folder:
        names = []
        for i, command in enumerate(found):
            path = Path(folder) / f"{i}.sh"
            path.write_text(f"#!/usr/bin/env {command.lang}\n{command.text}\n", encoding="utf-8")
            names.append(path.name)
        done = subprocess.run([program, "--format=json1", f"--severity={SHELLCHECK_LEVEL}", *names], cwd=folder,
                              capture_output=True, text=True, timeout=300)
    try:
        comments = json.loads(done.stdout or "{}").get("comments", [])
    except json.JSONDecodeError:
        return [found[0].problem(1, f"ShellCheck gave no result: {done.stderr.strip()[:200]}", None, "warning")]
    problems = []
    for c in comments:
        command = found[int(Path(c["file"]).stem)]
        problems.append(command.problem(max(c["line"] - 1, 1), f"ShellCheck SC{c['code']} ({c['level']}): {c['message']}",
                                        f"see https://www.shellcheck.net/wiki/SC{c['code']}; to keep it, add "
                                        f"'# shellcheck disable=SC{c['code']}' above the line", "warning"))
    return problems


def promtool(found: list[Command]) -> list[Problem]:
    """promtool's parse errors on every PromQL query, in one run: each query a recording rule of one group."""
    program = shutil.which("promtool")
    if program is None or not found:
        return []
    rules = {"groups": [{"name": "opsdocs", "rules": [{"record": f"opsdocs_step_{i}", "expr": c.text}
                                                       for i, c in enumerate(found)]}]}
    with tempfile.TemporaryDirectory(prefix="opsdocs-promtool-") as folder:
        path = Path(folder) / "steps.yml"
        path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
        done = subprocess.run([program, "check", "rules", str(path)], capture_output=True, text=True, timeout=300)
    if done.returncode == 0:
        return []
    problems = []
    for match in _PROMTOOL_ERROR.finditer(done.stderr + done.stdout):
        command = found[int(match.group(1)) - 1]
        problems.append(command.problem(int(match.group(2) or 1), f"PromQL: {match.group(3)}",
                                        "fix the query; promtool parses it as Prometheus would", "error"))
    return problems
