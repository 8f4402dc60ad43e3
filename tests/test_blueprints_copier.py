"""The same blueprint history through copier (9.x) and through `opsdocs update`: one scenario each for both adding
an alert, both editing different keys of one alert, the consultant deleting a runbook, the blueprint renaming a key,
and a true conflict. The table of outcomes is written to tests/artifacts/blueprint-vs-copier.md (the README's
table comes from it). Only opsdocs' outcomes are asserted; copier's are recorded as they come."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, need
from tests.test_blueprints import BLUEPRINT, NEW_ALERT_OURS, NEW_ALERT_THEIRS, Shop

ARTIFACT = ROOT / "tests" / "artifacts" / "blueprint-vs-copier.md"
ANSWERS = {"client": "Acme Retail GmbH", "system": "Acme Shop"}
TRACING = ("engagement.yaml", "    metrics: {tool: Prometheus, retention: 90d}",
           "    metrics: {tool: Prometheus, retention: 90d}\n    tracing: {tool: Tempo, retention: 7d}")


@dataclass
class Scenario:
    name: str
    ours: list[tuple[str, str, str]]  # the consultant's edits: (file in the engagement, old, new)
    theirs: list[tuple[str, str, str]]  # the blueprint's edits for version 1.1
    comment: str  # a comment of the consultant's that should survive
    expect_conflict: bool
    delete: list[str] = field(default_factory=list)  # files the consultant deletes
    migration: str | None = None  # blueprint.yaml's migrations for 1.1 (opsdocs only: copier has no data migrations)
    before: list[tuple[str, str, str]] = field(default_factory=list)  # blueprint 1.0 differs from the shipped one
    right: object = None  # (engagement.yaml data) -> whether the merged result is what both sides meant


SCENARIOS = [
    Scenario("both add an alert", [("engagement.yaml", *NEW_ALERT_OURS)], [NEW_ALERT_THEIRS], "# ours: search is slow at peaks", False,
             right=lambda d: {"search-latency", "payment-webhook-backlog"} <= {a["id"] for a in d["operate"]["monitor"]["alerts"]}),
    Scenario("both edit different keys of one alert",
             [("engagement.yaml", "condition: 5xx ratio > 2% for 5m", "condition: 5xx ratio > 1% for 5m  # tighter here")],
             [("engagement.yaml", "        runbook: checkout-errors", "        runbook: checkout-errors\n        notify: [pagerduty:primary]")],
             "# tighter here", False,
             right=lambda d: d["operate"]["monitor"]["alerts"][0]["condition"] == "5xx ratio > 1% for 5m"
             and d["operate"]["monitor"]["alerts"][0].get("notify") == ["pagerduty:primary"]),
    Scenario("the consultant deletes a runbook", [("engagement.yaml", "        runbook: checkout-errors\n", "")],
             [("engagement.yaml", "review_cadence: monthly", "review_cadence: monthly  # first Tuesday")], "", False,
             delete=["runbooks/checkout-errors.yaml"], right=lambda d: d["operate"]["improve"]["review_cadence"] == "monthly"),
    Scenario("the blueprint renames a key (with a migration)",
             [("engagement.yaml", "tracing: {tool: Tempo, retention: 7d}", "tracing: {tool: Tempo, retention: 14d}  # per contract")],
             [("engagement.yaml", "    metrics: {tool: Prometheus, retention: 90d}\n    tracing: {tool: Tempo, retention: 7d}",
               "    metrics: {tool: Tempo, retention: 7d}")],
             "# per contract", False, before=[TRACING],
             migration='migrations:\n  - {version: "1.1", rename_key: {from: operate.monitor.tracing, to: operate.monitor.metrics}}',
             right=lambda d: d["operate"]["monitor"]["metrics"] == {"tool": "Tempo", "retention": "14d"}
             and "tracing" not in d["operate"]["monitor"]),
    Scenario("a true conflict", [("engagement.yaml", "notice_period: 30d", "notice_period: 60d  # agreed at the kickoff")],
             [("engagement.yaml", "notice_period: 30d", "notice_period: 90d")], "# agreed at the kickoff", True),
]


@dataclass
class Outcome:
    conflict: bool
    comments: bool
    right: bool | None  # None: a conflict was left to resolve
    deleted_stays: bool | None = None


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _data(folder: Path) -> dict:
    try:
        return yaml.safe_load((folder / "engagement.yaml").read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}


def _outcome(s: Scenario, folder: Path, conflict: bool) -> Outcome:
    text = (folder / "engagement.yaml").read_text(encoding="utf-8")
    right = None if conflict else bool(s.right(_data(folder))) if s.right else True
    stays = all(not (folder / f).exists() for f in s.delete) if s.delete else None
    return Outcome(conflict, (s.comment in text) if s.comment else True, right, stays)


def run_opsdocs(s: Scenario, root: Path) -> Outcome:
    shop = Shop(root)
    for rel, old, new in s.before:
        shop.edit(rel, old, new, shop.blueprint)
    shop.new()
    folder = root / "content/engagements/acme"
    for rel, old, new in s.ours:
        _edit(folder / rel, old, new)
    for rel in s.delete:
        (folder / rel).unlink()
    edits = list(s.theirs) + ([("blueprint.yaml", "migrations: []", s.migration)] if s.migration else [])
    shop.release("1.1", *edits)
    result = shop.run("update", "acme")
    assert result.exit_code in (0, 1), result.output
    return _outcome(s, folder, result.exit_code == 1)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True)


def copier_template(s: Scenario, root: Path) -> Path:
    """The blueprint as a copier template in a git repository: every file rendered with Jinja, the same questions."""
    template = root / "template"
    shutil.copytree(BLUEPRINT, template, ignore=shutil.ignore_patterns("blueprint.yaml"))
    spec = yaml.safe_load((BLUEPRINT / "blueprint.yaml").read_text())
    questions = {q["name"]: {"type": "str", "help": q["prompt"], **({"default": q["default"]} if "default" in q else {})}
                 for q in spec["questions"]}
    (template / "copier.yml").write_text(yaml.safe_dump({"_templates_suffix": "", "_answers_file": ".copier-answers.yml",
                                                          **questions}, sort_keys=False))
    (template / "{{ _copier_conf.answers_file }}").write_text("{{ _copier_answers|to_nice_yaml -}}\n")
    for rel, old, new in s.before:
        _edit(template / rel, old, new)
    _git(template, "init", "--quiet")
    _git(template, "add", ".")
    _git(template, "commit", "--quiet", "-m", "1.0")
    _git(template, "tag", "v1.0")
    return template


def run_copier(s: Scenario, root: Path) -> Outcome:
    copier = Path(sys.executable).parent / "copier"
    template = copier_template(s, root)
    project = root / "project"
    data = [arg for k, v in ANSWERS.items() for arg in ("--data", f"{k}={v}")]
    subprocess.run([str(copier), "copy", "--defaults", "--vcs-ref", "v1.0", *data, str(template), str(project)], check=True,
                   capture_output=True)
    _git(project, "init", "--quiet")
    _git(project, "add", ".")
    _git(project, "commit", "--quiet", "-m", "made from the template")
    for rel, old, new in s.ours:
        _edit(project / rel, old, new)
    for rel in s.delete:
        (project / rel).unlink()
    _git(project, "add", "--all")
    _git(project, "commit", "--quiet", "-m", "the consultant's edits")
    for rel, old, new in s.theirs:
        _edit(template / rel, old, new)
    _git(template, "commit", "--quiet", "-am", "1.1")
    _git(template, "tag", "v1.1")
    done = subprocess.run([str(copier), "update", "--defaults", "--conflict", "inline", "--vcs-ref", "v1.1"], cwd=project,
                          capture_output=True, text=True)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in project.rglob("*") if p.is_file() and ".git" not in p.parts]
    conflict = done.returncode != 0 or any("<<<<<<<" in t for t in texts) or any(project.rglob("*.rej"))
    return _outcome(s, project, conflict)


def _cell(o: Outcome) -> str:
    verdict = "conflict" if o.conflict else ("clean" if o.right else "clean, but wrong")
    extra = []
    if o.deleted_stays is not None:
        extra.append("deleted file stays deleted" if o.deleted_stays else "deleted file comes back")
    return verdict + (f" ({', '.join(extra)})" if extra else "")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory):
    rows: list[str] = []
    yield rows
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    head = ["| Scenario | copier 9 | comments kept (copier) | opsdocs update | comments kept (opsdocs) |",
            "| --- | --- | --- | --- | --- |"]
    ARTIFACT.write_text("\n".join(head + rows) + "\n", encoding="utf-8")


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_same_history_through_copier_and_opsdocs(scenario: Scenario, tmp_path: Path, table: list[str]) -> None:
    need((Path(sys.executable).parent / "copier").is_file(), "copier is not installed (pip install copier)")
    need(shutil.which("git") is not None, "git is not installed")
    ours = run_opsdocs(scenario, tmp_path / "opsdocs")
    theirs = run_copier(scenario, tmp_path / "copier")
    table.append(f"| {scenario.name} | {_cell(theirs)} | {'yes' if theirs.comments else 'no'} | {_cell(ours)} | "
                 f"{'yes' if ours.comments else 'no'} |")
    assert ours.conflict is scenario.expect_conflict
    assert ours.comments
    if not ours.conflict:
        assert ours.right, scenario.name
    if ours.deleted_stays is not None:
        assert ours.deleted_stays
