"""Client builds: nothing internal in any page, the search index or the sitemap, for either engine."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.parse import load_yaml
from tests.conftest import EXAMPLE, ROOT


def internal_strings() -> list[str]:
    """Every text of the example that is internal: internal_notes, and all text of internal items."""
    found: list[str] = []

    def texts(node) -> list[str]:
        if isinstance(node, str):
            return [node]
        if isinstance(node, dict):
            return [t for v in node.values() for t in texts(v)]
        if isinstance(node, list):
            return [t for v in node for t in texts(v)]
        return []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("visibility") == "internal":
                found.extend(t for k, v in node.items() if k != "visibility" for t in texts(v))
                return
            for key, value in node.items():
                if key == "internal_notes" and isinstance(value, str):
                    found.extend(line.strip() for line in value.splitlines() if line.strip())
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted(EXAMPLE.rglob("*.yaml")):
        walk(load_yaml(path, path.name).data)
    # Short values (a severity, a date) are not distinctive; everything else must not leak.
    return sorted({s for s in found if len(s) >= 12 and not s.startswith("https://")})


def output_texts(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in (".md", ".html", ".json", ".xml", ".txt", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        variants = [text, html.unescape(text)]
        if path.suffix == ".json":
            variants.append(json.dumps(json.loads(text), ensure_ascii=False))
        out.append((str(path), "\n".join(variants)))
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    result = {}
    for audience in ("client", "internal"):
        base = tmp_path_factory.mktemp(audience)
        shutil.copy(ROOT / "mkdocs.yml", base / "mkdocs.yml")
        for args in (["--target", "mkdocs", "--out", str(base / "docs"), "--site-dir", str(base / "site")],
                     ["--target", "docusaurus", "--out", str(base / "docusaurus-docs")]):
            done = CliRunner().invoke(cli, ["build", "--content", str(EXAMPLE), "--audience", audience, *args])
            assert done.exit_code == 0, done.output
        result[audience] = base
    return result


def test_the_example_has_internal_text_to_hide() -> None:
    strings = internal_strings()
    assert "Tomás Ortega" in strings and "Northwind managing director" in strings
    assert any("Margin on this retainer is thin" in s for s in strings)
    assert len(strings) >= 8


def test_a_client_build_contains_nothing_internal(builds: dict[str, Path]) -> None:
    files = output_texts(builds["client"])
    assert any(name.endswith("search_index.json") for name, _ in files)
    assert any(name.endswith("sitemap.xml") for name, _ in files)
    leaks = [(s, name) for s in internal_strings() for name, text in files if s in text]
    assert leaks == []


def test_an_internal_build_shows_it(builds: dict[str, Path]) -> None:
    everything = "\n".join(text for _, text in output_texts(builds["internal"]))
    missing = [s for s in internal_strings() if s not in everything]
    assert missing == []
