"""Property tests: random valid engagements render in both targets with every link resolving; random
invalid edits fail cleanly at their line. Fixed seed and few examples by default (the `ci` profile);
`pytest tests/test_properties.py --hypothesis-profile=long` runs many more."""

from __future__ import annotations

import posixpath
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from generator.cli import cli
from generator.parse import load_yaml
from generator.pipeline import read_content, render_site
from generator.project import BuildOptions, Project
from tests.conftest import EXAMPLE, ROOT
from tests.properties import COVERAGE, EDITS, TYPED_KEYS, engagement_tree

FOLDER = EXAMPLE / "engagements/kestrel-shop"
EXAMPLE_RAW = {
    "engagement": load_yaml(FOLDER / "engagement.yaml", "e").data,
    "runbooks": {p.stem: load_yaml(p, p.name).data for p in sorted((FOLDER / "runbooks").glob("*.yaml"))},
    "incidents": {p.stem: load_yaml(p, p.name).data for p in sorted((FOLDER / "incidents").glob("*.yaml"))},
}


def write_tree(root: Path, tree: dict) -> None:
    shutil.copy(EXAMPLE / "site.yaml", root / "content/site.yaml") if (root / "content").is_dir() else None
    folder = root / "content/engagements/random-client"
    (folder / "runbooks").mkdir(parents=True)
    (folder / "incidents").mkdir()
    # The client's monitoring files the example's engagement.yaml names (its rules' alerts are named by runbooks).
    shutil.copytree(EXAMPLE / "engagements/kestrel-shop/monitoring", folder / "monitoring")
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
    (folder / "engagement.yaml").write_text(dump(tree["engagement"]), encoding="utf-8")
    for kind in ("runbooks", "incidents"):
        for name, data in tree[kind].items():
            (folder / kind / f"{name}.yaml").write_text(dump(data), encoding="utf-8")


def broken_links(files: dict[str, bytes]) -> list[str]:
    """Relative links to .md pages that are not in the tree (found with markdown-it)."""
    parser = MarkdownIt("commonmark").enable("table")
    broken = []
    for path, data in files.items():
        if not path.endswith(".md"):
            continue
        for token in parser.parse(data.decode("utf-8")):
            for child in token.children or []:
                href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
                if not href or re.match(r"^[a-z][a-z0-9+.-]*:|^#", href):
                    continue
                target = posixpath.normpath(posixpath.join(posixpath.dirname(path), href.split("#")[0]))
                if target not in files:
                    broken.append(f"{path} → {href}")
                COVERAGE["internal links checked"] += 1
    return broken


def project_with(tree: dict) -> tuple[tempfile.TemporaryDirectory, Project]:
    holder = tempfile.TemporaryDirectory()
    root = Path(holder.name)
    shutil.copytree(EXAMPLE, root / "content", ignore=shutil.ignore_patterns("engagements"))
    write_tree(root, tree)
    return holder, Project(root, root / "content")


@given(engagement_tree(EXAMPLE_RAW))
def test_random_valid_engagements_render_in_both_targets(tree: dict) -> None:
    holder, project = project_with(tree)
    with holder:
        read_content(project)
        for target in ("mkdocs", "docusaurus"):
            files = render_site(project, target, BuildOptions(targets=(target,))).files
            assert any(p.startswith("engagements/random-client/") for p in files)
            assert broken_links(files) == []
            COVERAGE[f"{target} trees rendered"] += 1


@pytest.mark.engine
@settings(max_examples=3)
@given(engagement_tree(EXAMPLE_RAW))
def test_a_sample_builds_with_mkdocs_strict(tree: dict) -> None:
    holder, project = project_with(tree)
    with holder:
        shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")
        result = CliRunner().invoke(cli, ["build", "--content", str(project.content_dir), "--out", str(project.root / "docs"),
                                          "--site-dir", str(project.root / "site")])
        assert result.exit_code == 0, result.output
        COVERAGE["strict MkDocs builds"] += 1


def _key_lines(path: Path) -> list[tuple[int, str, bool]]:
    """(line, key, value is a plain scalar on the same line) for every block mapping key of a file."""
    doc = load_yaml(path, path.name)
    lines = path.read_text(encoding="utf-8").split("\n")
    found = []
    for loc, (line, column) in doc.keys.items():
        text = lines[line - 1]
        match = re.match(r"^(\s*)([a-z_]+): (.*)$", text)
        if match and len(match.group(1)) == column - 1 and match.group(2) == loc[-1]:
            scalar = bool(match.group(3)) and match.group(3)[0] not in "|>[{&*!'\"#"
            found.append((line, loc[-1], scalar))
    return sorted(found)


@given(
    # The content's documents (the client's monitoring files have free-form labels: any key is fine there; the record
    # of the blueprint an engagement follows, in .blueprint/, is read by `update`, not by `check`).
    st.sampled_from(sorted(str(p.relative_to(EXAMPLE)) for p in EXAMPLE.rglob("*.yaml")
                           if "monitoring" not in p.parts and ".blueprint" not in p.parts)),
    st.sampled_from(EDITS),
    st.integers(min_value=0, max_value=10**6),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8),
)
def test_random_invalid_edits_fail_cleanly_at_their_line(file: str, edit: str, pick: int, junk: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(EXAMPLE, root / "content")
        path = root / "content" / file
        keys = _key_lines(path)
        if edit == "break-typed-value":
            keys = [k for k in keys if k[1] in TYPED_KEYS and k[2]]
        elif edit in ("duplicate-key", "unclosed-flow"):
            keys = [k for k in keys if k[2]]
        if not keys:
            return
        line, key, _ = keys[pick % len(keys)]
        lines = path.read_text(encoding="utf-8").split("\n")
        text = lines[line - 1]
        indent = text[: len(text) - len(text.lstrip())]
        if edit == "rename-key":
            lines[line - 1] = text.replace(f"{key}:", f"{key}zz{junk}:", 1)
            expected = line
        elif edit == "duplicate-key":
            lines.insert(line, text)
            expected = line + 1
        elif edit == "break-typed-value":
            lines[line - 1] = f"{indent}{key}: 0zz-{junk}!"
            expected = line
        else:  # a flow sequence that is never closed
            lines[line - 1] = f"{indent}{key}: [{junk}"
            expected = None  # the parser stops where it notices, a line or more later
        path.write_text("\n".join(lines), encoding="utf-8")
        result = CliRunner().invoke(cli, ["check", "--content", str(root / "content")])
    COVERAGE[f"invalid edits: {edit}"] += 1
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    located = re.findall(r"^(\S+?):(\d+)(?::\d+)?: ", result.output, re.M)
    assert located, result.output
    assert all(int(n) > 0 for _, n in located)
    if expected is not None:
        assert any(p.endswith(file) and int(n) == expected for p, n in located), (edit, key, expected, result.output)
