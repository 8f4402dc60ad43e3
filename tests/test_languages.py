"""Languages: complete catalogs, pages in German and French with none of the English labels, the client's
formats for dates, numbers, money and durations, and the language chosen per site, engagement and command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from generator.cli import cli
from generator.i18n import LOCALE_DIR, language, languages
from generator.pipeline import render_site
from generator.project import BuildOptions, Project
from tests.browser import chromium_path
from tests.conftest import EXAMPLE, ROOT, need
from tests.test_build_mkdocs import compare_golden

TRANSLATED = [tag for tag in languages() if tag != "en"]
GOLDEN_PAGES = [
    "engagements/kestrel-shop/operate.md",
    "engagements/kestrel-shop/postmortems/2026-07-19-order-export-stall.md",
    "engagements/kestrel-shop/terms.md",
    "engagements/kestrel-shop/handover.md",
]


def catalog(tag: str):
    with open(LOCALE_DIR / tag / "LC_MESSAGES" / "opsdocs.po", "rb") as po:
        return read_po(po, locale=tag)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    """Every message of the code and templates, gathered as `make messages` gathers them."""
    pot = tmp_path_factory.mktemp("messages") / "opsdocs.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", "-k", "N_", "-k", "Np_:1,2", "-o", str(pot), "."], cwd=ROOT, check=True,
                   capture_output=True)
    with open(pot, "rb") as f:
        return read_po(f)


def test_the_source_and_two_translations_are_there() -> None:
    assert {"en", "de", "fr"} <= set(languages())


@pytest.mark.parametrize("tag", TRANSLATED)
def test_every_message_is_in_the_catalog_translated_and_nothing_else_is(tag: str, extracted) -> None:
    messages = {m.id for m in extracted if m.id}
    assert len(messages) > 300  # the templates' and the code's words, not an empty extraction
    po = catalog(tag)
    ids = {m.id for m in po if m.id}
    assert sorted(map(str, messages - ids)) == [], "missing from the catalog: run `make messages` and translate"
    assert sorted(map(str, ids - messages)) == [], "no longer used: run `make messages`"
    untranslated = [m.id for m in po if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))]
    assert untranslated == []
    plural_forms = [m.id for m in po if m.id and isinstance(m.id, tuple) and len(m.string) != po.num_plurals]
    assert plural_forms == []
    problems = [(m.id, [str(e) for e in errors]) for m, errors in po.check()]
    assert problems == []  # placeholders such as %(date)s kept in every translation


@pytest.mark.parametrize("tag", TRANSLATED)
def test_golden_pages_in_each_language(tag: str, update_golden: bool) -> None:
    files = render_site(Project(ROOT, EXAMPLE), "mkdocs", BuildOptions(language=tag)).files
    compare_golden("mkdocs", files, update_golden, GOLDEN_PAGES, f"languages/{tag}")


# What a reader sees as opsdocs' own words: headings, table headers, admonition titles and diagram labels.
_HEADING = re.compile(r"^#{1,6} (.+)$", re.M)
_ADMONITION = re.compile(r'^!!! \w+ "(.+)"$', re.M)
_DIAGRAM = re.compile(r'\["([^"]+)"\]|-- "([^"]+)" -->|^    section (.+)$|^    ([^:\n]+?) : |y-axis "([^"]+)"', re.M)


def labels(markdown: str) -> set[str]:
    found = set(_HEADING.findall(markdown)) | set(_ADMONITION.findall(markdown))
    lines = markdown.split("\n")
    for above, line in zip(lines, lines[1:]):
        if re.fullmatch(r"\|( *-+:? *\|)+", line):
            found |= {cell.strip() for cell in above.strip("|").split("|")}
    for match in _DIAGRAM.finditer(markdown):
        found |= {part for part in match.groups() if part}
    parts = set()
    for label in found:  # `O1 Monitor<br/>11 alerts, 5 SLOs` is three labels; mermaid writes `(` as `#40;`
        label = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), label)
        parts |= {p.strip() for p in re.split(r"<br/>|—|, ", label) if p.strip()}
    return {p for p in parts if not p.startswith("`")}  # a key of the format, in code, is not a word to translate


def content_words() -> str:
    """All the text of the example content: a label found there is the consultancy's, not opsdocs'."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLE.rglob("*")) if p.suffix in {".yaml", ".yml", ".md"})


@pytest.mark.parametrize("tag", TRANSLATED)
def test_a_build_in_another_language_has_none_of_the_english_labels(tag: str) -> None:
    project = Project(ROOT, EXAMPLE)
    english = render_site(project, "mkdocs", BuildOptions()).files
    other = render_site(project, "mkdocs", BuildOptions(language=tag)).files
    same_word = set()  # SLO, Runbook, Status, "%(num)s incidents" in French: the same words in both languages
    for m in catalog(tag):
        pairs = zip(m.id, m.string) if isinstance(m.id, tuple) else [(m.id, m.string)]
        same_word |= {english for english, translated in pairs if english and english == translated}
    text = content_words()
    pages = [path for path in english if path.endswith(".md") and not path.startswith("phases/")]
    assert len(pages) >= 15
    leaked = {}
    for path in pages:
        left = labels(english[path].decode()) & labels(other[path].decode())
        left = {label for label in left if label not in same_word and re.sub(r"\d+", "%(num)s", label) not in same_word
                and label not in text
                and not re.fullmatch(r"[\d\W]*|O\d|sev\d|[A-Z][A-Za-z]+[A-Z]\w+ \(sev\d\)", label)}
        if left:
            leaked[path] = sorted(left)
    assert leaked == {}
    # The diagrams speak the language too: the gantt chart's phases, the escalation's start.
    outage = other["engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage.md"].decode()
    assert "Users affected" not in outage and "Incident starts" not in other["engagements/kestrel-shop/operate.md"].decode()


def test_the_handbook_phase_pages_keep_the_consultancys_own_words() -> None:
    """Only the labels around the consultancy's text are translated: its phase page keeps every word."""
    project = Project(ROOT, EXAMPLE)
    english = render_site(project, "docusaurus", BuildOptions()).files["phases/operate.md"].decode()
    german = render_site(project, "docusaurus", BuildOptions(language="de")).files["phases/operate.md"].decode()
    assert german == english.replace("**Goal:**", "**Ziel:**")


@pytest.mark.parametrize("tag, money, percent, day, duration", [
    ("en", "€6,890.00", "99.9%", "March 14, 2026", "1 hr 28 min"),
    ("en-GB", "€6,890.00", "99.9%", "14 March 2026", "1 hr 28 mins"),
    ("de", "6.890,00\u00a0€", "99,9\u00a0%", "14. März 2026", "1 Std. 28 Min."),
    ("de-CH", "EUR\u00a06'890.00", "99.9%", "14. März 2026", "1 Std. 28 Min."),
    ("fr", "6\u202f890,00\u00a0€", "99,9\u00a0%", "14 mars 2026", "1\u202fh 28\u00a0min"),
])
def test_figures_are_written_the_way_the_locale_writes_them(tag, money, percent, day, duration) -> None:
    lang = language(tag)
    assert lang.money(Decimal("6890"), "EUR") == money
    assert lang.percentage(99.9) == percent
    assert lang.date(date(2026, 3, 14)) == day
    assert lang.duration(timedelta(hours=1, minutes=28)) == duration


def test_swiss_francs_and_local_times() -> None:
    assert language("de-CH").money(Decimal("6890"), "CHF") == "CHF\u00a06'890.00"
    moment = datetime(2026, 3, 14, 8, 12, tzinfo=timezone.utc)
    assert language("de").moment(moment, "Europe/Berlin") == "14. März 2026, 09:12 MEZ"
    assert language("en").moment(moment, "Europe/Berlin") == "March 14, 2026, 09:12 CET"
    assert language("en").moment(moment, "Europe/Berlin", "12h") == "March 14, 2026, 9:12 AM CET"
    assert language("de").moment(moment, "Europe/Berlin", "12h") == "14. März 2026, 9:12 AM MEZ"
    assert language("fr").moment(moment, "Europe/Paris") == "14 mars 2026, 09:12 UTC+01:00"


def test_plural_forms() -> None:
    de, fr = language("de"), language("fr")
    assert de.ngettext("%(num)s runbook", "%(num)s runbooks", 1) % {"num": 1} == "1 Runbook"
    assert de.ngettext("%(num)s runbook", "%(num)s runbooks", 2) % {"num": 2} == "2 Runbooks"
    assert fr.ngettext("overdue by %(num)s day", "overdue by %(num)s days", 1) % {"num": 1} == "en retard de 1 jour"
    assert fr.ngettext("overdue by %(num)s day", "overdue by %(num)s days", 0) % {"num": 0} == "en retard de 0 jour"
    assert fr.ngettext("overdue by %(num)s day", "overdue by %(num)s days", 2) % {"num": 2} == "en retard de 2 jours"


def test_an_engagement_build_of_a_german_client_in_an_english_site_is_german(project: Path) -> None:
    engagement = project / "content/engagements/kestrel-shop/engagement.yaml"
    text = engagement.read_text(encoding="utf-8")
    engagement.write_text(re.sub(r"^(schema_version: 1)$", r"\1\nlanguage: de", text, count=1, flags=re.M), encoding="utf-8")
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0
    whole = CliRunner().invoke(cli, ["build", "--no-html", "--out", "all"])
    assert whole.exit_code == 0, whole.output
    assert "# Betriebsplan" in (project / "all/engagements/kestrel-shop/operate.md").read_text()
    assert "## Handbook" in (project / "all/index.md").read_text()  # the site itself stays English
    one = CliRunner().invoke(cli, ["build", "--no-html", "--out", "one", "--engagement", "kestrel-shop"])
    assert one.exit_code == 0, one.output
    operate = (project / "one/engagements/kestrel-shop/operate.md").read_text()
    assert "# Betriebsplan" in operate and "| Signal | Werkzeug | Aufbewahrung | Link |" in operate
    assert "## Handbuch" in (project / "one/index.md").read_text()  # a client's own site speaks its language
    english = CliRunner().invoke(cli, ["build", "--no-html", "--out", "en", "--engagement", "kestrel-shop", "--language", "en"])
    assert english.exit_code == 0 and "# Operate plan" in (project / "en/engagements/kestrel-shop/operate.md").read_text()
    exported = CliRunner().invoke(cli, ["export", "kestrel-shop", "--format", "md", "--out", "handover.md"])
    assert exported.exit_code == 0 and "Betriebsübergabe\n" in (project / "handover.md").read_text()


@pytest.mark.parametrize("where, key", [("content/site.yaml", "site"), ("content/engagements/kestrel-shop/engagement.yaml", "")])
def test_an_unsupported_language_is_a_check_error_with_the_list(project: Path, where: str, key: str) -> None:
    path = project / where
    text = path.read_text(encoding="utf-8")
    if key:
        text = text.replace("  language: en", "  language: it")
    else:
        text = re.sub(r"^(schema_version: 1)$", r"\1\nlanguage: it-CH", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "opsdocs does not write 'it" in result.output and "de, en, fr" in result.output


def test_the_language_option_is_checked_before_anything_runs(project: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "--no-html", "--language", "klingon"])
    assert result.exit_code == 2 and "is not a language tag" in result.output
    result = CliRunner().invoke(cli, ["export", "kestrel-shop", "--format", "md", "--language", "es"])
    assert result.exit_code == 2 and "it writes de, en, fr" in result.output
    assert not (project / "docs").exists()


def test_mkdocs_builds_a_german_site_with_material_in_german(project: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    result = CliRunner().invoke(cli, ["build", "--language", "de"])
    assert result.exit_code == 0, result.output
    page = (project / "site/engagements/kestrel-shop/operate/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in page and "Betriebsplan" in page
    assert 'placeholder="Suche"' in page  # Material's own words
    search = json.loads((project / "site/search/search_index.json").read_text(encoding="utf-8"))
    assert search["config"]["lang"] == ["de"]  # stemming for German


def test_the_users_own_theme_language_wins() -> None:
    from generator.targets.mkdocs.settings import Settings, for_build

    mine = Settings(ROOT / "mkdocs.yml", {"theme": {"name": "material", "language": "fr"}})
    overrides, _ = for_build(mine, [], "Handbook", None, "de")
    assert "theme" not in overrides
    plain = Settings(ROOT / "mkdocs.yml", {"theme": "material"})
    assert for_build(plain, [], "Handbook", None, "de-CH")[0]["theme"] == {"name": "material", "language": "de"}


@pytest.mark.engine
def test_the_german_handover_pdf_has_a_german_title_page_and_contents(tmp_path: Path) -> None:
    need(chromium_path() is not None, "chromium is not installed (apt-get install chromium)")
    need(shutil.which("pdftotext") is not None, "pdftotext is not installed (apt-get install poppler-utils)")
    need((ROOT / "node_modules/mermaid/dist/mermaid.min.js").is_file(), "node_modules/mermaid is missing (npm ci)")
    from generator.export import export_handover

    options = BuildOptions(language="de")
    html = export_handover(Project(ROOT, EXAMPLE), "kestrel-shop", "html", options).decode()
    assert '<html lang="de">' in html
    pdf = tmp_path / "uebergabe.pdf"
    pdf.write_bytes(export_handover(Project(ROOT, EXAMPLE), "kestrel-shop", "pdf", options))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    title_page, _, rest = text.partition("Inhalt")
    for word in ("Betriebsübergabe", "Kunde", "Dienstleister", "Laufzeit", "Stand", "3. Oktober 2026"):
        assert word in title_page, word
    for part in ("Überblick", "Betriebsplan", "Runbooks", "Störungsanalysen", "Vertragsbedingungen"):
        assert part in rest[:2000], part  # the table of contents
    assert "Seite 1 von" in text and "Page 1 of" not in text
    for english in ("Operations handover", "Contents", "Overview", "Engagement terms", "Response in figures", "Action items"):
        assert english not in text, english


def test_init_sets_the_site_language_and_the_skeleton_offers_the_engagement_one(tmp_path: Path, monkeypatch) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "site"), "--consultancy", "Nordwind", "--language", "de-CH", "--no-input"])
    assert result.exit_code == 0, result.output
    assert "  language: de-CH " in (tmp_path / "site/content/site.yaml").read_text()
    monkeypatch.chdir(tmp_path / "site")
    built = CliRunner().invoke(cli, ["build", "--no-html"])
    assert built.exit_code == 0, built.output
    assert "## Handbuch" in (tmp_path / "site/docs/index.md").read_text()
    bad = CliRunner().invoke(cli, ["init", str(tmp_path / "other"), "--consultancy", "X", "--language", "xx", "--no-input"])
    assert bad.exit_code == 2 and "is not a language tag" in bad.output and not (tmp_path / "other").exists()


def test_the_readmes_table_of_formats_is_what_opsdocs_writes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Languages"):readme.index("Where the language comes from")]
    rows = re.findall(r"^\| `([\w-]+)` \| (.+) \| (.+) \| (.+) \| (.+) \|$", section, re.M)
    assert len(rows) == 5
    moment = datetime(2026, 3, 14, 8, 12, tzinfo=timezone.utc)
    for tag, when, share, money, duration in rows:
        lang = language(tag)
        plain = lambda text: text.replace("\u00a0", " ").replace("\u202f", " ")  # the README shows no-break spaces as spaces
        assert plain(lang.moment(moment, "Europe/Berlin")) == when, tag
        assert plain(lang.percentage(99.9)) == share, tag
        assert plain(lang.money(Decimal("6890"), "CHF" if tag == "de-CH" else "EUR")) == money, tag
        assert plain(lang.duration(timedelta(hours=1, minutes=28))) == duration, tag


def test_no_message_hides_in_an_f_string_where_babel_cannot_find_it() -> None:
    import ast

    hidden = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for call in ast.walk(node):
                    name = getattr(call.func, "attr", getattr(call.func, "id", "")) if isinstance(call, ast.Call) else ""
                    if name in {"gettext", "ngettext", "_", "N_", "Np_"} and call.args and isinstance(call.args[0], ast.Constant):
                        hidden.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert hidden == []


@pytest.mark.parametrize("tag", TRANSLATED)
def test_the_docusaurus_tree_in_each_language_has_its_labels_and_titles(tag: str) -> None:
    import yaml

    files = render_site(Project(ROOT, EXAMPLE), "docusaurus", BuildOptions(language=tag)).files
    lang = language(tag)
    category = json.loads(files["engagements/kestrel-shop/postmortems/_category_.json"])
    assert category["label"] == lang.gettext("Post-mortems") != "Post-mortems"
    for path, data in files.items():
        if path.startswith("engagements/kestrel-shop/") and path.endswith(".md"):  # front matter that YAML reads, with a title
            assert yaml.safe_load(data.decode().split("---\n")[1])["title"], path
    terms = yaml.safe_load(files["engagements/kestrel-shop/terms.md"].decode().split("---\n")[1])
    assert terms["title"] == lang.gettext("Engagement terms")


def test_a_timeline_that_crosses_midnight_in_a_12_hour_clock(project: Path, update_golden: bool) -> None:
    """`clock: 12h` for a client that wants it: the same page as the 24-hour golden, its times of day in 12 hours."""
    from generator.pipeline import render_site
    from generator.project import BuildOptions, Project

    engagement = project / "content/engagements/kestrel-shop/engagement.yaml"
    text = engagement.read_text(encoding="utf-8")
    engagement.write_text(re.sub(r"^(schema_version: 1)$", r"\1\nclock: 12h", text, count=1, flags=re.M), encoding="utf-8")
    files = render_site(Project(project, project / "content"), "mkdocs", BuildOptions()).files
    page = "engagements/kestrel-shop/postmortems/2026-07-19-order-export-stall.md"
    compare_golden("mkdocs", files, update_golden, [page], "clock-12h")
    text = files[page].decode()
    assert "| **July 19, 2026** | |\n| 10:40 PM | Last successful export run |" in text
    assert "| **July 20, 2026** | |\n| 3:55 AM |" in text


def test_labels_are_translated_as_templates_compile_and_each_language_keeps_its_own(project: Path) -> None:
    """A template's `_("literal")` is written in the environment's language when it compiles, and the compiled
    templates of one language are never reused for another (the bytecode cache keeps them apart); a `_()` of a
    value (a finding's kind) is still translated as the page renders."""
    operate = project / "out/engagements/kestrel-shop/operate.md"
    for tag, title, finding in [("de", "# Betriebsplan", "| Alarme ohne Runbook | 4 |"), ("en", "# Operate plan", "| Alerts without a runbook | 4 |"),
                                ("fr", "# Plan d’exploitation", "| Alertes sans runbook | 4 |"), ("de", "# Betriebsplan", "| Alarme ohne Runbook | 4 |")]:
        result = CliRunner().invoke(cli, ["build", "--no-html", "--out", "out", "--language", tag])
        assert result.exit_code == 0, result.output
        text = operate.read_text(encoding="utf-8")
        assert title in text and finding in text, tag
    assert {p.name for p in (project / ".opsdocs-cache/jinja/mkdocs").iterdir()} == {"de", "en", "fr"}
