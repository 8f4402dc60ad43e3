"""The MkDocs target: golden pages, a real strict build, determinism, one engagement, template errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.pipeline import render_site
from generator.project import BuildOptions, Project
from tests.conftest import EXAMPLE, ROOT

GOLDEN = Path(__file__).parent / "golden"
PAGE_KINDS = [
    "index.md",
    "phases/operate.md",
    "delivery/pricing.md",
    "templates/operate-template.md",
    "engagements/kestrel-shop/index.md",
    "engagements/kestrel-shop/operate.md",
    "engagements/kestrel-shop/terms.md",
    "engagements/kestrel-shop/handover.md",
    "engagements/kestrel-shop/runbooks/index.md",
    "engagements/kestrel-shop/runbooks/checkout-errors.md",
    "engagements/kestrel-shop/postmortems/index.md",
    "engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage.md",
    "engagements/kestrel-shop/postmortems/2026-07-19-order-export-stall.md",  # a timeline across midnight
]


def rendered_example(target: str) -> dict[str, bytes]:
    project = Project(root=ROOT, content_dir=EXAMPLE)
    return render_site(project, target, BuildOptions(targets=(target,))).files


def compare_golden(target: str, files: dict[str, bytes], update: bool, pages: list[str] = PAGE_KINDS, folder: str | None = None) -> None:
    from generator.targets.mkdocs.nav import relocate

    for page in pages:
        golden = GOLDEN / (folder or target) / page
        made = files[page] if page in files else files[relocate(page)]
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(made)
            continue
        assert golden.is_file(), f"no golden file {golden.relative_to(GOLDEN)} (a new page, engine or language?): run pytest --update-golden and review it"
        assert made.decode() == golden.read_text(encoding="utf-8"), f"{page} differs from {golden}"


def test_golden_pages(update_golden: bool) -> None:
    compare_golden("mkdocs", rendered_example("mkdocs"), update_golden)


def test_every_page_has_one_trailing_newline_and_no_trailing_spaces() -> None:
    for path, data in rendered_example("mkdocs").items():
        if path.endswith(".md"):
            text = data.decode()
            assert text.endswith("\n") and not text.endswith("\n\n"), path
            assert not any(line != line.rstrip() for line in text.splitlines()), path


@pytest.fixture
def site_project(project: Path) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def build(*args: str):
    return CliRunner().invoke(cli, ["build", *args])


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_strict_build_and_two_builds_are_identical(site_project: Path) -> None:
    first = build()
    assert first.exit_code == 0, first.output
    docs1, site1 = tree(site_project / "docs"), tree(site_project / "site")
    assert "phases/operate/index.html" in site1
    assert "javascripts/mermaid.min.js" in site1, "mermaid must be served from the site itself"
    second = build()
    assert second.exit_code == 0, second.output
    docs2, site2 = tree(site_project / "docs"), tree(site_project / "site")
    assert docs1 == docs2
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        site1.pop(name), site2.pop(name)
    assert site1.keys() == site2.keys()
    assert [k for k in site1 if site1[k] != site2[k]] == []


def test_offline_site_has_no_external_requests(site_project: Path) -> None:
    assert build().exit_code == 0
    for page in (site_project / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html, page
        assert "unpkg.com" not in html, page


def test_one_engagement_alone(site_project: Path) -> None:
    other = site_project / "content/engagements/other-client"
    shutil.copytree(site_project / "content/engagements/kestrel-shop", other)
    result = build("--engagement", "other-client")
    assert result.exit_code == 0, result.output
    assert (site_project / "docs/engagements/other-client/index.md").is_file()
    assert not (site_project / "docs/engagements/kestrel-shop").exists()
    assert (site_project / "docs/phases/operate.md").is_file()
    home = (site_project / "docs/index.md").read_text()
    assert "other-client" in home and "kestrel-shop" not in home


def test_unknown_engagement_is_an_error(site_project: Path) -> None:
    result = build("--engagement", "kestrel-shpo", "--no-html")
    assert result.exit_code == 1
    assert "no engagement 'kestrel-shpo'" in result.output
    assert "did you mean 'kestrel-shop'?" in result.output


@pytest.mark.parametrize(
    "source, message",
    [
        ("{% extends '!default/phase.md.j2' %}\n{% block x %}\n{% if %}\n", "template syntax error"),
        ("# {{ phase.titel }}\n", "undefined name in template"),
    ],
)
def test_template_errors_keep_the_previous_output(site_project: Path, source: str, message: str) -> None:
    assert build().exit_code == 0
    before_docs, before_site = tree(site_project / "docs"), tree(site_project / "site")
    override = site_project / "templates/common/phase.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text(source)
    result = build()
    assert result.exit_code == 1
    first_line = result.output.splitlines()[0]
    assert first_line.startswith("templates/common/phase.md.j2:")
    line = int(first_line.split(":")[1])
    assert line == (3 if "syntax" in message else 1)
    assert message in first_line
    assert tree(site_project / "docs") == before_docs
    assert tree(site_project / "site") == before_site
    assert not [p for p in site_project.iterdir() if p.name.startswith(".docs.") or p.name.startswith(".site.")]


def test_an_override_extends_the_shipped_template(site_project: Path) -> None:
    override = site_project / "templates/common/pricing.md.j2"
    override.parent.mkdir(parents=True)
    override.write_text("{% extends '!default/pricing.md.j2' %}\n")
    assert build("--no-html").exit_code == 0
    assert (site_project / "docs/delivery/pricing.md").read_bytes() == rendered_example("mkdocs")["delivery/pricing.md"]


def test_output_over_the_content_is_refused(site_project: Path) -> None:
    result = build("--out", "content", "--no-html")
    assert result.exit_code == 1
    assert "refusing to write output over" in result.output
    assert (site_project / "content/site.yaml").is_file()


def test_hostile_text_shows_as_written_in_the_built_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.hostile import check_site_shows_hostile_text, unsafe_references, write_hostile_content

    cycle = write_hostile_content(EXAMPLE, tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    result = build()
    assert result.exit_code == 0, result.output
    pages = [p for p in (tmp_path / "site/engagements").rglob("index.html")]
    check_site_shows_hostile_text(pages, cycle)
    operate = (tmp_path / "site/engagements/kestrel-shop/operate/index.html").read_text(encoding="utf-8")
    assert "<code>javascript:alert(&#x27;rb&#x27;)</code>" in operate or "<code>javascript:alert('rb')</code>" in operate
    assert unsafe_references(tmp_path / "site") == []
    assert unsafe_references(tmp_path / "docs") == []
    # The client's files are not ours to refuse: `check` warns at each unsafe runbook_url's line.
    checked = CliRunner().invoke(cli, ["check"])
    assert checked.exit_code == 0, checked.output
    warned = [line for line in checked.output.splitlines() if "only http, https and mailto" in line]
    assert len(warned) == len(cycle.urls) >= 6 and all(".yaml:" in line and "warning:" in line for line in warned), checked.output


def test_a_missing_mermaid_fails_the_build_naming_it(site_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no mermaid anywhere (none in the project, none packaged, none in a checkout), every page would load a
    script that is not there: the build fails naming it, and the last site stays as it was."""
    assert build().exit_code == 0
    before = tree(site_project / "site")
    monkeypatch.setattr(Project, "mermaid_js", lambda self: None)
    result = build()
    assert result.exit_code == 1, result.output
    assert "the built site misses files its pages load: javascripts/mermaid.min.js (loaded by" in result.output
    assert "reinstall opsdocs" in result.output
    assert tree(site_project / "site") == before


@pytest.mark.parametrize("split", [False, True])
def test_a_stylesheet_named_in_mkdocs_yml_but_missing_fails_the_build(site_project: Path, split: bool) -> None:
    config = site_project / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_css: [stylesheets/brand.css]\n")
    result = build(*(["--split"] if split else []))
    assert result.exit_code == 1, result.output
    assert "misses files its pages load: stylesheets/brand.css" in result.output
    (site_project / "content/handbook/pages/stylesheets").mkdir(parents=True)
    (site_project / "content/handbook/pages/stylesheets/brand.css").write_text("h1 { color: teal; }\n")
    again = build(*(["--split"] if split else []))
    assert again.exit_code == 0, again.output
