"""Incremental builds: after any change, the output is exactly the bytes of a full build."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE

KESTREL = Path("content/engagements/kestrel-shop")


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def build(project: Path, *args: str) -> str:
    old = Path.cwd()
    os.chdir(project)  # the cache lives in the project's .opsdocs-cache/
    try:
        result = CliRunner().invoke(cli, ["build", "--no-html", "--out", "out", *args])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    return result.output


def full_build(project: Path, tmp: Path, *args: str) -> dict[str, bytes]:
    """The same project built from nothing: no cache, no earlier output."""
    fresh = tmp / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(project, fresh, ignore=shutil.ignore_patterns("out", ".opsdocs-cache"))
    build(fresh, *args)
    return tree(fresh / "out")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


RUNBOOK = """title: Cache cluster down
summary: The cache cluster stopped answering.
symptoms: [Slow product pages]
steps:
  diagnose: [{do: Check the cache dashboard}]
  mitigate: [{do: Restart the cache nodes}]
  verify: [{do: Product pages fast again}]
"""


def content_edit(p: Path) -> None:
    edit(p / KESTREL / "incidents/2026-03-14-checkout-outage.yaml", "Checkout failed for **all users", "Checkout failed for **every user")


def file_added(p: Path) -> None:
    (p / KESTREL / "runbooks/cache-down.yaml").write_text(RUNBOOK, encoding="utf-8")


def file_deleted(p: Path) -> None:
    (p / KESTREL / "runbooks/spare.yaml").unlink()


def newest_incident_deleted(p: Path) -> None:
    # The date the engagement's figures are computed for moves back with it: all its pages change.
    (p / KESTREL / "incidents/2026-10-03-payment-webhook-backlog.yaml").unlink()


def engagement_added(p: Path) -> None:
    """A second client, whose newest incident is later than anything of the first."""
    copy = p / "content/engagements/aaa-first"  # sorts before kestrel-shop: every engagement after it moves down
    shutil.copytree(p / KESTREL, copy)
    incident = copy / "incidents/2026-10-03-payment-webhook-backlog.yaml"
    incident.write_text(incident.read_text(encoding="utf-8").replace("2026-10-03", "2026-11-20"), encoding="utf-8")


def monitoring_edit(p: Path) -> None:
    """The client's rule file changes: the docs follow it."""
    edit(p / KESTREL / "monitoring/rules/checkout.rules.yaml", "Checkout p95 latency above 1.5 s", "Checkout p95 latency above 2 s")


def template_edit(p: Path) -> None:
    override = p / "templates/common/engagement/terms.md.j2"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text('{% extends "!default/engagement/terms.md.j2" %}\n', encoding="utf-8")
    edit(override, "\n", "\n{# our house version #}\n")


def handbook_edit(p: Path) -> None:
    edit(p / "content/handbook/pricing.yaml", "Standard support", "Standard support (business hours)")


def touched_only(p: Path) -> None:
    path = p / KESTREL / "runbooks/checkout-errors.yaml"
    path.write_bytes(path.read_bytes())  # a new modification time, the same bytes


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "content edit": content_edit,
    "file added": file_added,
    "file deleted": file_deleted,
    "newest incident deleted": newest_incident_deleted,
    "engagement added": engagement_added,
    "monitoring file edited": monitoring_edit,
    "template edit": template_edit,
    "handbook edit": handbook_edit,
    "touched only": touched_only,
}


@pytest.fixture
def built(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project / "content")
    (project / KESTREL / "runbooks/spare.yaml").write_text(RUNBOOK.replace("Cache cluster down", "A spare runbook"), encoding="utf-8")
    build(project)
    return project


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_incremental_equals_full(built: Path, tmp_path: Path, scenario: str) -> None:
    SCENARIOS[scenario](built)
    output = build(built)
    full = scenario in ("template edit", "handbook edit")
    assert ("(incremental)" in output) is not full
    assert tree(built / "out") == full_build(built, tmp_path)
    if scenario == "monitoring file edited":
        assert "Checkout p95 latency above 2 s" in (built / "out" / KESTREL.relative_to("content") / "operate.md").read_text()


def test_a_content_edit_rewrites_few_files(built: Path) -> None:
    content_edit(built)
    output = build(built)
    written = int(output.split("wrote ")[1].split(" files")[0])
    assert 1 <= written <= 10, output
    assert "rendered 12 of" not in output


def test_nothing_changed_writes_nothing(built: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (built / "out").rglob("*.md")}
    output = build(built)
    assert "wrote 0 files" in output
    assert before == {p: p.stat().st_mtime_ns for p in (built / "out").rglob("*.md")}


def test_an_option_change_gives_the_full_result(built: Path, tmp_path: Path) -> None:
    output = build(built, "--audience", "internal")
    assert "(incremental)" not in output
    assert tree(built / "out") == full_build(built, tmp_path, "--audience", "internal")
    assert "Tomás Ortega" in (built / "out/engagements/kestrel-shop/index.md").read_text()


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05\x95garbage"])
def test_a_corrupt_cache_is_ignored(built: Path, tmp_path: Path, garbage: bytes) -> None:
    (cache,) = [p for p in (built / ".opsdocs-cache").iterdir() if p.is_file()]  # the memo, not the locks/ folder
    cache.write_bytes(garbage)
    content_edit(built)
    output = build(built)
    assert "(incremental)" not in output
    assert tree(built / "out") == full_build(built, tmp_path)


def test_a_cache_from_another_version_is_ignored(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.cache

    monkeypatch.setattr(generator.cache, "__version__", "99.0")
    output = build(built)
    assert "(incremental)" not in output


def test_docusaurus_incremental_equals_full(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project / "content")
    build(project, "--target", "docusaurus")
    file_added(project)
    assert "(incremental)" in build(project, "--target", "docusaurus")
    assert tree(project / "out") == full_build(project, tmp_path, "--target", "docusaurus")


def test_another_engagement_leaves_one_clients_pages_as_they_were(built: Path) -> None:
    """A client's pages depend on its own data alone: its figures are as of its own newest date."""
    before = tree(built / "out/engagements/kestrel-shop")
    engagement_added(built)
    shutil.rmtree(built / ".opsdocs-cache")  # a full build, not a recalled one
    build(built)
    assert tree(built / "out/engagements/kestrel-shop") == before
    assert "November 20, 2026" in (built / "out/engagements/aaa-first/operate.md").read_text()


def test_timings_say_where_an_incremental_build_spends_its_time(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """`build --timings` names each stage, says an incremental build read no more than one engagement, and its parts
    add up to its total; the files written are the same bytes as without it."""
    build(project)
    content_edit(project)
    output = build(project, "--timings")
    line = next(line for line in output.splitlines() if line.startswith("timings: "))
    parts = dict(re.findall(r"([a-z ]+) ([\d.]+) s", line.removeprefix("timings: ").replace(" · ", "\n")))
    stages = ["loading opsdocs", "settings", "memo", "handbook read", "signatures", "engagements", "handbook pages", "diff",
              "write", "other"]
    assert list(parts) == [*stages, "total"], line
    assert abs(sum(float(parts[s]) for s in stages) - float(parts["total"])) <= 0.01 * len(stages), line
    assert "(incremental)" in output
    assert tree(project / "out") == full_build(project, tmp_path_factory.mktemp("full"))
