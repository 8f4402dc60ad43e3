"""Shared fixtures: the example content, copies of it to break, and engine availability."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: a fixed seed and few examples by default, so CI is repeatable and quick;
# `pytest --hypothesis-profile=long` explores much further.
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=25, derandomize=True, deadline=None, suppress_health_check=_SLOW, print_blob=True)
settings.register_profile("long", max_examples=600, deadline=None, suppress_health_check=_SLOW)
settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def need(condition: bool, reason: str) -> None:
    """Skip a test that needs a missing tool; in CI (CI=true) fail instead, so CI never goes green by skipping."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example project (content only) in a temporary folder, made the working directory."""
    shutil.copytree(EXAMPLE, tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """What the property tests covered, so a green run says how much it tried."""
    from tests.properties import COVERAGE

    if not COVERAGE:
        return
    terminalreporter.section("property tests covered")
    counts = {k: v for k, v in COVERAGE.items() if not k.startswith("category ")}
    for key in sorted(counts):
        terminalreporter.write_line(f"{key}: {counts[key]}")
    categories = sorted(k.split()[1] for k in COVERAGE if k.startswith("category "))
    terminalreporter.write_line(f"Unicode categories in text: {len(categories)} ({', '.join(categories)})")
