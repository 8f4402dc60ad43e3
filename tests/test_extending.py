"""ARCHITECTURE.md's recipes, followed literally by another package: tests/fixtures/opsdocs-extra adds a kind of
document (decision records), an output engine (plain text) and a language (Esperanto), each through its entry point
and its own files only. The package is installed with pip, and opsdocs runs in processes that see it, as a user's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT

PACKAGE = Path(__file__).parent / "fixtures" / "opsdocs-extra"
DECISION = """title: Keep PostgreSQL for orders
status: accepted
date: 2026-09-01
context: |
  The order database grows 4 GB a month.
decision: |
  Stay on PostgreSQL 16 and add a read replica.
consequences:
  - One more server to patch
internal_notes: |
  Margin talk with the CFO.
"""


@pytest.fixture(scope="module")
def extra(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a process that has the package installed (pip install --target, on its path)."""
    base = tmp_path_factory.mktemp("extra")
    source, lib = base / "opsdocs-extra", base / "lib"
    shutil.copytree(PACKAGE, source)  # pip builds in the folder it is given: not in the checkout
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target", str(lib), str(source)],
                   check=True, capture_output=True, timeout=600)
    assert (lib / "opsdocs_extra-0.1.dist-info/entry_points.txt").is_file()
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(lib)])}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    decisions = tmp_path / "content/engagements/kestrel-shop/decisions"
    decisions.mkdir()
    (decisions / "keep-postgres.yaml").write_text(DECISION, encoding="utf-8")
    return tmp_path


def opsdocs(env: dict, cwd: Path, *args: str, code: int = 0) -> str:
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == code, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_a_kind_checked_and_in_the_schema(extra, project: Path) -> None:
    assert "ok: 1 engagement, 5 runbooks, 4 incidents, 1 decision, 1 phase" in opsdocs(extra, project, "check")
    bad = project / "content/engagements/kestrel-shop/decisions/bad.yaml"
    bad.write_text("title: Half a decision\ndate: 2026-13-01\ncontext: x\ndecision: y\nowner: me\n", encoding="utf-8")
    out = opsdocs(extra, project, "check", code=1)
    assert "decisions/bad.yaml:2:7: invalid value for 'date'" in out and "decisions/bad.yaml:5:1: unknown key 'owner'" in out
    bad.write_text(DECISION + "supersedes: keep-postgre\n", encoding="utf-8")  # its rule across files, at its line
    assert "decisions/bad.yaml:12:13: unknown decision 'keep-postgre'\n  hint: did you mean 'keep-postgres'?" in opsdocs(extra, project, "check", code=1)
    bad.unlink()
    opsdocs(extra, project, "schema", "--out", "schemas")
    assert '"consequences"' in (project / "schemas/decision.schema.json").read_text()
    # Without the package the folder is not a kind's: the same content is checked as before.
    plain = {**extra, "PYTHONPATH": str(ROOT)}
    assert "ok: 1 engagement, 5 runbooks, 4 incidents, 1 phase" in opsdocs(plain, project, "check")


@pytest.mark.engine
def test_a_kind_in_both_engines_pages_and_nav(extra, project: Path) -> None:
    opsdocs(extra, project, "build")
    page = project / "site/engagements/kestrel-shop/decisions/keep-postgres/index.html"
    assert "Stay on PostgreSQL 16" in page.read_text() and "Margin talk" not in page.read_text()
    nav = (project / "site/engagements/kestrel-shop/index.html").read_text()
    labels = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', nav)
    mine = labels[labels.index("Kestrel Shop operations"):]
    assert mine.index("Post-mortems") < mine.index("Decisions") < mine.index("Handover")  # its position: 4.5
    opsdocs(extra, project, "build", "--target", "docusaurus", "--out", "tree")
    folder = project / "tree/engagements/kestrel-shop/decisions"
    assert '"position": 4.5' in (folder / "_category_.json").read_text()
    assert "Keep PostgreSQL for orders" in (folder / "keep-postgres.md").read_text()


def test_a_kind_in_the_handover_and_in_changes_since(extra, project: Path) -> None:
    handover = project / "handover.md"
    opsdocs(extra, project, "export", "kestrel-shop", "--format", "md", "--out", str(handover))
    text = handover.read_text()
    assert "    - [Keep PostgreSQL for orders](#decisions-keep-postgres)" in text and "## Decisions" in text
    assert "Margin talk" not in text
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run([*git, "add", "."], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "handover"], cwd=project, check=True)
    (project / "content/engagements/kestrel-shop/decisions/keep-postgres.yaml").write_text(
        DECISION.replace("add a read replica", "add two read replicas"), encoding="utf-8")
    (project / "content/engagements/kestrel-shop/decisions/eu-region.yaml").write_text(
        DECISION.replace("Keep PostgreSQL for orders", "Move to an EU region"), encoding="utf-8")
    opsdocs(extra, project, "export", "kestrel-shop", "--format", "md", "--out", str(handover), "--since", "HEAD")
    since = handover.read_text()
    part = since[since.index("### Decisions"):since.index("###", since.index("### Decisions") + 5)]
    assert "| added | [Move to an EU region](#decisions-eu-region) |" in part
    assert "| changed | [Keep PostgreSQL for orders](#decisions-keep-postgres) |" in part


def test_a_kind_started_with_new(extra, project: Path) -> None:
    assert "decision    Start a decision record" in opsdocs(extra, project, "new", "--help")
    assert "--date TEXT" in opsdocs(extra, project, "new", "decision", "--help")
    out = opsdocs(extra, project, "new", "decision", "kestrel-shop", "eu-region", "--title", "Move to an EU region",
                  "--date", "2026-10-02", "--no-input")
    assert "wrote content/engagements/kestrel-shop/decisions/eu-region.yaml" in out
    assert "2 decisions" in opsdocs(extra, project, "check") and "decisions/eu-region.yaml (2 TODOs left)" in opsdocs(extra, project, "check")
    opsdocs(extra, project, "new", "decision", "kestrel-shop", "eu-region", "--title", "x", "--date", "2026-10-02", "--no-input", code=1)


def test_an_engine_from_another_package(extra, project: Path) -> None:
    help_text = opsdocs(extra, project, "build", "--help")
    assert "plaintext" in help_text and "--footer TEXT" in help_text  # its target, and its own option
    opsdocs(extra, project, "build", "--target", "plaintext", "--site-dir", "plain-site", "--footer", "Northwind Consulting")
    runbook = (project / "plain/engagements/kestrel-shop/runbooks/checkout-errors.txt").read_text()
    assert runbook.startswith("\n# Checkout error rate high\n") and runbook.endswith("\n-- Northwind Consulting\n")
    assert "[SUCCESS: Response window met]" in (project / "plain/engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage.txt").read_text()
    assert (project / "plain-site/engagements/kestrel-shop/decisions/keep-postgres.html").read_text().startswith("<title>")


@pytest.mark.engine
def test_a_language_from_another_package(extra, project: Path) -> None:
    site = project / "content/site.yaml"
    site.write_text(site.read_text().replace("  language: en\n", "  language: eo\n"), encoding="utf-8")
    assert "ok:" in opsdocs(extra, project, "check")
    opsdocs(extra, project, "build")
    operate = (project / "docs/engagements/kestrel-shop/operate.md").read_text()
    assert operate.startswith("---\ntitle: Operacia plano\n---\n\n# Operacia plano\n")
    assert "Kontraktaj kondiĉoj" in (project / "docs/engagements/kestrel-shop/terms.md").read_text()
    assert "# Decidoj" in (project / "docs/engagements/kestrel-shop/decisions/index.md").read_text()
    html = (project / "site/index.html").read_text()
    assert '<html lang="eo"' in html and "Hejmo" in html
    # What the small catalog does not hold stays English, and is not an error.
    assert "## O1 — Monitor" in operate
    plain = {**extra, "PYTHONPATH": str(ROOT)}
    assert "opsdocs does not write 'eo'" in opsdocs(plain, project, "check", code=1)
