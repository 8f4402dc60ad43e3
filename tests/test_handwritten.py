"""Hand-written pages and files (content/handbook/pages/**): in every target, in the nav, checked, never clashing."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE, ROOT

PAGES = Path("content/handbook/pages")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_the_example_on_call_guide_is_in_both_targets_as_written(project: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    source = (EXAMPLE / "handbook/pages/on-call.md").read_bytes()
    image = (EXAMPLE / "handbook/pages/img/on-call-rota.svg").read_bytes()
    assert run("build").exit_code == 0
    assert run("build", "--target", "docusaurus", "--out", "docusaurus-docs").exit_code == 0
    assert (project / "docusaurus-docs/on-call.md").read_bytes() == source
    # In a MkDocs tree the handbook's templates live in handbook-templates/ (see the README), and links follow.
    relinked = source.replace(b"(templates/operate-template.md)", b"(handbook-templates/operate-template.md)")
    assert relinked != source and (project / "docs/on-call.md").read_bytes() == relinked
    for tree in ("docs", "docusaurus-docs"):
        assert (project / tree / "img/on-call-rota.svg").read_bytes() == image
    page = (project / "site/on-call/index.html").read_text(encoding="utf-8")
    assert '<img alt="The weekly rota' in page and 'src="../img/on-call-rota.svg"' in page
    assert 'href="../phases/operate/"' in page  # its link to a generated page
    terms = (project / "site/engagements/kestrel-shop/terms/index.html").read_text(encoding="utf-8")
    assert 'href="../../../on-call/"' in terms  # and a generated page's link to it
    assert '<a href="on-call/" class="md-nav__link">' in (project / "site/index.html").read_text(encoding="utf-8")
    top = [next(iter(entry)) if isinstance(entry, dict) else entry for entry in _nav(project)]
    assert top.index("On-call guide") < top.index("Engagements")  # nav_order: 4, before the engagements (5)


def _nav(project: Path) -> list:
    from generator.pipeline import render_site
    from generator.project import BuildOptions, Project
    from generator.targets.mkdocs.nav import nav_of

    return nav_of(render_site(Project.at("content", project), "mkdocs", BuildOptions()).plan)


def test_pages_in_folders_get_a_nav_section_and_their_order(project: Path) -> None:
    guides = project / PAGES / "guides"
    guides.mkdir(parents=True)
    (guides / "zebra.md").write_text("---\nsidebar_position: 1\n---\n# Zebra first\n", encoding="utf-8")
    (guides / "alpha.md").write_text("---\nnav_order: 2\n---\n# Alpha second\n", encoding="utf-8")
    (guides / "untitled-notes.md").write_text("No heading here.\n", encoding="utf-8")
    result = run("build", "--no-html")
    assert result.exit_code == 0, result.output
    (section,) = [entry for entry in _nav(project) if isinstance(entry, dict) and "Guides" in entry]
    assert section["Guides"] == [{"Zebra first": "guides/zebra.md"}, {"Alpha second": "guides/alpha.md"},
                                 {"Untitled notes": "guides/untitled-notes.md"}]


def test_a_broken_link_fails_check_strict_at_its_line(project: Path) -> None:
    page = project / PAGES / "on-call.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("[Pricing](delivery/pricing.md)", "[Pricing](delivery/prices.md)"), encoding="utf-8")
    line = next(n for n, row in enumerate(page.read_text().split("\n"), start=1) if "delivery/prices.md" in row)
    assert run("check").exit_code == 0  # links are checked with --strict
    result = run("check", "--strict")
    assert result.exit_code == 1
    assert f"content/handbook/pages/on-call.md:{line}: a link to a page that does not exist: delivery/prices.md" in result.output
    assert "did you mean 'delivery/pricing.md'?" in result.output


def test_a_missing_image_fails_check_strict(project: Path) -> None:
    (project / PAGES / "img/on-call-rota.svg").unlink()
    result = run("check", "--strict")
    assert result.exit_code == 1
    assert "an image to a file that does not exist: img/on-call-rota.svg" in result.output


def test_a_page_where_opsdocs_writes_one_is_an_error_naming_both(project: Path) -> None:
    clash = project / PAGES / "engagements/kestrel-shop/terms.md"
    clash.parent.mkdir(parents=True)
    clash.write_text("# Our own terms\n", encoding="utf-8")
    for args in (("check",), ("build", "--no-html")):
        result = run(*args)
        assert result.exit_code == 1
        assert ("content/handbook/pages/engagements/kestrel-shop/terms.md: this page would be written to "
                "engagements/kestrel-shop/terms.md, where opsdocs writes its page 'Engagement terms'") in result.output
    assert not (project / "docs").exists()


def test_their_own_files_win_over_the_shipped_ones(project: Path) -> None:
    css = project / PAGES / "stylesheets/opsdocs.css"
    css.parent.mkdir(parents=True)
    css.write_text("/* our house style */\n", encoding="utf-8")
    assert run("build", "--no-html").exit_code == 0
    assert (project / "docs/stylesheets/opsdocs.css").read_text() == "/* our house style */\n"


def test_bad_front_matter_is_reported_at_its_line(project: Path) -> None:
    (project / PAGES / "broken.md").write_text("---\ntitle: [unclosed\n---\n# Broken\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert "content/handbook/pages/broken.md:3: the front matter is not valid YAML" in result.output


def test_a_file_over_25_mb_is_refused_before_it_is_read(project: Path) -> None:
    big = project / PAGES / "img/huge.bin"
    with big.open("wb") as handle:
        handle.truncate(26 * 1024 * 1024)  # sparse: nothing to read, and nothing is read
    result = run("check")
    assert result.exit_code == 1
    assert "content/handbook/pages/img/huge.bin: the file is 26.0 MB; files under handbook/pages/ are limited to 25 MB" in result.output


def test_a_nav_order_that_is_no_number_is_an_error_at_its_line(project: Path) -> None:
    (project / PAGES / "notes.md").write_text("---\ntitle: Notes\nnav_order: soon\n---\n# Notes\n", encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert "content/handbook/pages/notes.md:3: 'nav_order' must be a number (got 'soon')" in result.output
