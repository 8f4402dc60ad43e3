"""opsdocs as a consultancy installs it: the sdist and wheel built from this checkout, installed with pip into a
fresh virtualenv, used in a new folder with no Node.js anywhere on PATH. Diagrams must still be drawn, offline."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.browser import chromium_path, count_diagrams, launch
from tests.conftest import EXAMPLE, ROOT, need
from tests.serve import serve

pytestmark = pytest.mark.engine

MERMAID = ROOT / "node_modules/mermaid/dist/mermaid.min.js"


def _run(args: list, cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory):
    """(the virtualenv's bin folder, an environment whose PATH has that, Chromium and nothing else)."""
    need(MERMAID.is_file(), "node_modules/mermaid is missing (npm ci)")
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    base = tmp_path_factory.mktemp("wheel")
    # The sdist first, then the wheel from the sdist, as `python -m build` does: both must carry mermaid.
    _run([sys.executable, "-m", "build", "--outdir", base / "dist", ROOT], cwd=base,
         env={**os.environ, "OPSDOCS_REQUIRE_MERMAID": "1"})
    wheel = next((base / "dist").glob("opsdocs-*.whl"))
    sdist = next((base / "dist").glob("opsdocs-*.tar.gz"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert archive.read("generator/vendor/mermaid/mermaid.min.js") == MERMAID.read_bytes()
    assert "generator/vendor/mermaid/LICENSE" in names
    assert not [n for n in names if "node_modules" in n or n.endswith("package.json")]
    with tarfile.open(sdist) as archive:
        inside = {name.split("/", 1)[1] for name in archive.getnames()}
    assert {"node_modules/mermaid/dist/mermaid.min.js", "node_modules/mermaid/LICENSE"} <= inside
    _run([sys.executable, "-m", "venv", base / "venv"], cwd=base)
    _run([base / "venv/bin/python", "-m", "pip", "install", "--quiet", wheel], cwd=base, timeout=900)
    tools = base / "tools"
    tools.mkdir()
    (tools / "chromium").symlink_to(chromium_path())
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{base / 'venv/bin'}{os.pathsep}{tools}"
    assert shutil.which("node", path=env["PATH"]) is None and shutil.which("npm", path=env["PATH"]) is None
    return base / "venv/bin", env


def test_pip_install_draws_every_diagram_with_no_node(installed, tmp_path: Path) -> None:
    """`opsdocs init`, `opsdocs build` and `opsdocs export --format html` in a new folder, with no Node.js: in
    Chromium, offline, every diagram of every page and of the export is an SVG, and no request fails."""
    from playwright.sync_api import sync_playwright

    from tests.test_browser import open_page, pages_of

    bin_dir, env = installed
    opsdocs = bin_dir / "opsdocs"
    _run([opsdocs, "init", "northwind-docs", "--consultancy", "Northwind Consulting", "--no-input"], cwd=tmp_path, env=env)
    project = tmp_path / "northwind-docs"
    assert not (project / "package.json").exists()
    shutil.copytree(EXAMPLE / "engagements/kestrel-shop", project / "content/engagements/kestrel-shop")
    _run([opsdocs, "build"], cwd=project, env=env)
    _run([opsdocs, "export", "kestrel-shop", "--format", "html", "--out", "handover.html"], cwd=project, env=env)
    fences = {}
    for md in sorted((project / "docs").rglob("*.md")):
        count = md.read_text(encoding="utf-8").count("```mermaid")
        if count:
            rel = md.relative_to(project / "docs").with_suffix("").as_posix()
            fences["/" + (rel[: -len("index")] if rel.endswith("index") else rel + "/")] = count
    assert sum(fences.values()) >= 8 and "/phases/operate/" in fences
    assert set(fences) <= set(pages_of(project / "site"))
    with serve(project / "site") as url, sync_playwright() as pw:
        browser = launch(pw)
        for path, count in fences.items():
            page, problems = open_page(browser, url + path)
            assert count_diagrams(page, count) == (count, 0), path
            page.close()
            assert problems == [], f"{path}: {problems}"
        page = browser.new_page()
        outside: list[str] = []
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else (outside.append(route.request.url), route.abort()))
        page.goto((project / "handover.html").as_uri())
        drawn = page.evaluate("() => document.querySelectorAll('figure.diagram > svg').length")
        browser.close()
    assert outside == []
    assert drawn >= 7 and "```mermaid" not in (project / "handover.html").read_text(encoding="utf-8")
