"""`opsdocs import`: what a client already has, brought in as drafts. Tested on files nobody on the team wrote:
kube-prometheus' community runbooks as published (tests/fixtures/import/, with their origin and licence)."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.importers.markdown import words
from generator.importers.runbook import runbook_id
from tests.conftest import ROOT
from tests.hostile import visible_text

FIXTURES = Path(__file__).parent / "fixtures" / "import"
KUBE_RUNBOOKS = sorted((FIXTURES / "kube-prometheus-runbooks").glob("*.md"))
RUNBOOKS = "content/engagements/kestrel-shop/runbooks"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def import_runbooks(*extra: str):
    return run("import", "runbook", *map(str, KUBE_RUNBOOKS), "--engagement", "kestrel-shop", *extra)


class _Page(HTMLParser):
    """A built page's link targets and its code blocks' lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.code: list[str] = []
        self._in_code = 0

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]
        if tag == "code":
            self._in_code += 1
            self.code.append("")

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code -= 1

    def handle_data(self, data):
        if self._in_code:
            self.code[-1] += data


def source_words_and_code(markdown: str) -> tuple[set[str], list[str]]:
    """What an import must keep of a Markdown file: the words of its text, headings, list markers, HTML tags and
    the language names of code fences aside; and every line of its code blocks."""
    body = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    code = [line.strip() for block in re.findall(r"^```[^\n]*\n(.*?)^```", body, flags=re.S | re.M)
            for line in block.split("\n") if line.strip()]
    text = re.sub(r"^```[^\n]*$", "```", body, flags=re.M)
    text = re.sub(r"^#{1,6} .*$", "", text, flags=re.M)
    text = re.sub(r"<[^>\n]+>", " ", text)
    return words(text), code


@pytest.fixture
def site_project(project: Path) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def test_kube_prometheus_runbooks_import_check_and_build_with_nothing_lost(site_project: Path) -> None:
    result = import_runbooks()
    assert result.exit_code == 0, result.output
    assert f"imported {len(KUBE_RUNBOOKS)} runbooks" in result.output
    made = site_project / RUNBOOKS / "node-filesystem-space-filling-up.yaml"
    head = made.read_text().splitlines()[:3]
    assert head[0].startswith("# Imported by `opsdocs import` from ") and head[0].endswith("NodeFilesystemSpaceFillingUp.md.")
    assert re.fullmatch(r"# source: sha256:[0-9a-f]{16}", head[1])
    assert "alerts:\n  - NodeFilesystemSpaceFillingUp\n" in made.read_text()  # the file is named after an alert of the engagement
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert f"{len(KUBE_RUNBOOKS)} drafts with" in checked.output
    built = run("build")
    assert built.exit_code == 0, built.output
    for source in KUBE_RUNBOOKS:
        page = (site_project / f"site/engagements/kestrel-shop/runbooks/{runbook_id(source)}/index.html").read_text()
        parser = _Page()
        parser.feed(page)
        shown, _ = visible_text(page)
        kept, code = source_words_and_code(source.read_text())
        lost = kept - words(shown + " " + " ".join(parser.hrefs))
        assert lost == set(), f"{source.name}: words not in the built page: {sorted(lost)}"
        page_code = "\n".join(parser.code)
        assert [line for line in code if line not in page_code] == [], source.name


def test_dry_run_prints_and_writes_nothing(site_project: Path) -> None:
    before = sorted(p.name for p in (site_project / RUNBOOKS).iterdir())
    result = run("import", "runbook", str(KUBE_RUNBOOKS[0]), "--engagement", "kestrel-shop", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"--- {RUNBOOKS}/{runbook_id(KUBE_RUNBOOKS[0])}.yaml" in result.output
    assert "status: draft\n" in result.output and "TODO: symptoms, steps.verify" in result.output
    assert sorted(p.name for p in (site_project / RUNBOOKS).iterdir()) == before


def test_a_second_import_is_recognised_and_nothing_is_overwritten(site_project: Path) -> None:
    assert import_runbooks().exit_code == 0
    made = site_project / RUNBOOKS / "watchdog.yaml"
    made.write_text(made.read_text().replace("status: draft", "status: draft\nowner: Kestrel platform team"))
    edited = made.read_bytes()
    # The same file again, even under another name: recognised by its content.
    copy = site_project / "Watchdog-copy.md"
    shutil.copy(FIXTURES / "kube-prometheus-runbooks/Watchdog.md", copy)
    again = run("import", "runbook", str(copy), "--engagement", "kestrel-shop")
    assert again.exit_code == 1
    assert f"was imported before, as {RUNBOOKS}/watchdog.yaml" in again.output
    assert made.read_bytes() == edited
    # A hand-written runbook of the same name is never replaced without --force.
    own = site_project / "checkout-errors.md"
    own.write_text("# Checkout errors\n\n## Mitigation\n\nRestart the checkout pods.\n")
    clash = run("import", "runbook", str(own), "--engagement", "kestrel-shop")
    assert clash.exit_code == 1 and f"{RUNBOOKS}/checkout-errors.yaml exists already" in clash.output
    forced = run("import", "runbook", str(copy), "--engagement", "kestrel-shop", "--force")
    assert forced.exit_code == 0, forced.output


def test_sections_in_german_and_a_section_that_fits_nothing(site_project: Path) -> None:
    source = site_project / "Zertifikat-abgelaufen.md"
    source.write_text("""# Zertifikat abgelaufen

## Beschreibung

Das TLS-Zertifikat des Checkouts ist abgelaufen.

## Symptome

- Browser melden `NET::ERR_CERT_DATE_INVALID`

## Maßnahmen

1. Zertifikat erneuern:

   ```sh
   certbot renew --cert-name shop
   ```

2. Nginx neu laden: `systemctl reload nginx`

## Überprüfung

- `curl -sI https://shop.example` liefert 200

## Kontakte

| Team | Telefon |
| --- | --- |
| Plattform | +49 30 1234 |
""", encoding="utf-8")
    result = run("import", "runbook", str(source), "--engagement", "kestrel-shop")
    assert result.exit_code == 0, result.output
    text = (site_project / RUNBOOKS / "zertifikat-abgelaufen.yaml").read_text()
    assert "summary: Das TLS-Zertifikat des Checkouts ist abgelaufen.\n" in text
    assert "symptoms:\n  - \"Browser melden `NET::ERR_CERT_DATE_INVALID`\"" in text
    assert "    - do: \"Zertifikat erneuern:\"\n      run: certbot renew --cert-name shop\n" in text
    assert "  verify:\n    - do: \"`curl -sI https://shop.example` liefert 200\"" in text
    assert "notes: |-\n  **Kontakte**\n\n  | Team | Telefon |" in text
    assert run("check").exit_code == 0


@pytest.mark.parametrize("name, content, message", [
    ("missing.md", None, "missing.md: no such file"),
    ("empty.md", b"  \n\n", "empty.md is empty"),
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.md is not Markdown: it is a binary file"),
    ("latin1.md", "# Störung\n\nDienst läuft nicht\n".encode("latin-1"), "latin1.md is not UTF-8 text"),
    ("nothing.md", b"<!-- only a comment -->\n", "nothing.md is not Markdown with anything to import"),
    ("_.md", b"# A title\n\nText\n", "no id can be made from the file name"),
])
def test_bad_sources_are_clear_errors_and_nothing_is_written(site_project: Path, name: str, content, message: str) -> None:
    source = site_project / name
    if content is not None:
        source.write_bytes(content)
    before = sorted(p.name for p in (site_project / RUNBOOKS).iterdir())
    result = run("import", "runbook", str(source), str(KUBE_RUNBOOKS[0]), "--engagement", "kestrel-shop")
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in (site_project / RUNBOOKS).iterdir()) == before  # not even the good one


def test_two_sources_with_one_id_write_neither(site_project: Path) -> None:
    """`Watchdog.md` and `watchdog.md` both become runbooks/watchdog.yaml: neither may silently win."""
    upper, lower = site_project / "a" / "Watchdog.md", site_project / "b" / "watchdog.md"
    for path, text in ((upper, "# Watchdog\n\n## Meaning\n\nAlways firing.\n"), (lower, "# watchdog\n\n## Meaning\n\nOther text.\n")):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    result = run("import", "runbook", str(upper), str(lower), "--engagement", "kestrel-shop")
    assert result.exit_code == 1 and "would both be written to content/engagements/kestrel-shop/runbooks/watchdog.yaml" in result.output
    assert not (site_project / RUNBOOKS / "watchdog.yaml").exists()


def test_an_unknown_engagement_and_a_folder(site_project: Path) -> None:
    wrong = run("import", "runbook", str(KUBE_RUNBOOKS[0]), "--engagement", "kestrel")
    assert wrong.exit_code == 1 and "did you mean 'kestrel-shop'?" in wrong.output
    folder = run("import", "runbook", str(FIXTURES), "--engagement", "kestrel-shop")
    assert folder.exit_code == 1 and "is a folder" in folder.output


PAGERDUTY_TEMPLATE = FIXTURES / "pagerduty-postmortem-template/post_mortem_template.md"
INCIDENTS = "content/engagements/kestrel-shop/incidents"
# A post-mortem in the SRE book's layout, written for this test: 12-hour clocks, the date given once per day,
# the zone said once, action items as a table with owner, due date, status and ticket.
SRE_LAYOUT = """# Search down after a config push (incident #88)

**Date:** 2026-05-02

**Authors:** Ana Ruiz, Tom Berger

**Severity:** SEV-2

## Summary

Product search returned errors for 47 minutes after a configuration push.

## Impact

About 12 % of searches failed; no orders were lost.

## Root Causes

- A config key was renamed in one service but not in its client.
- The canary stage skipped search.

## Trigger

The 14:05 configuration push.

## Resolution

The previous configuration was restored.

## Detection

The `SearchErrorRate` alert paged the on-call engineer.

## Action Items

| Action Item | Type | Owner | Due | Status | Ticket |
| --- | --- | --- | --- | --- | --- |
| Add search to the canary stage | prevent | Ana Ruiz | 2026-05-20 | in progress | OPS-411 |
| Alert on config key mismatches | detect | Tom Berger | 2026-06-01 | done | OPS-412 |

## Lessons Learned

### What went well

- The alert fired within two minutes.

### What went wrong

- Nobody knew the rollback command by heart.

### Where we got lucky

- It happened on a quiet Saturday.

## Timeline

(all times UTC)

**2026-05-02**

- 2:05 PM config pushed to every region
- 2:07 PM SearchErrorRate alert fires, on-call paged
- 2:12 PM on-call acknowledges and starts investigating
- 2:40 PM previous config restored, errors stop
- 2:52 PM search back to normal, incident resolved

## Supporting information

Dashboards: search overview.
"""


def test_a_post_mortem_in_the_sre_books_layout(site_project: Path) -> None:
    source = site_project / "search-down.md"
    source.write_text(SRE_LAYOUT, encoding="utf-8")
    result = run("import", "postmortem", str(source), "--engagement", "kestrel-shop")
    assert result.exit_code == 0, result.output
    text = (site_project / INCIDENTS / "2026-05-02-search-down-after-a-config-push-incident-88.yaml").read_text()
    for expected in (
        "severity: sev2\n", "status: draft\n", "authors:\n  - Ana Ruiz\n  - Tom Berger\n", 'date: "2026-05-02"\n', "timezone: UTC\n",
        'started_at: "2026-05-02T14:05:00+00:00"\n', 'detected_at: "2026-05-02T14:07:00+00:00"\n',
        'acknowledged_at: "2026-05-02T14:12:00+00:00"\n', 'mitigated_at: "2026-05-02T14:40:00+00:00"\n',
        'resolved_at: "2026-05-02T14:52:00+00:00"\n',
        "root_causes:\n  - A config key was renamed in one service but not in its client.\n",
        '  - at: "14:07"\n    event: SearchErrorRate alert fires, on-call paged\n',
        "  - do: Add search to the canary stage\n    type: prevent\n    owner: Ana Ruiz\n    due: \"2026-05-20\"\n    status: in-progress\n    ticket: OPS-411\n",
        "    status: done\n    ticket: OPS-412\n",
        "  got_lucky:\n    - It happened on a quiet Saturday.\n",
        "notes: |-\n  **Supporting information**\n",
    ):
        assert expected in text, expected
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert run("build").exit_code == 0
    page = (site_project / "site/engagements/kestrel-shop/postmortems/2026-05-02-search-down-after-a-config-push-incident-88/index.html")
    kept, _ = source_words_and_code(SRE_LAYOUT)
    shown, _ = visible_text(page.read_text())
    assert kept - words(shown) <= {"pm", "2026", "05", "02", "sev", "utc", "all", "times", "2", "action", "item", "type",
                                   "owner", "due", "status", "ticket", "date", "authors", "severity"} | \
        {w for w in kept if re.fullmatch(r"\d+", w)}  # the clock and column words are the page's own figures


def test_pagerdutys_template_as_published(site_project: Path) -> None:
    """PagerDuty's template holds no severity, date or times: the import asks for the severity, and leaves the
    rest as TODOs it lists, so the draft passes check."""
    asked = run("import", "postmortem", str(PAGERDUTY_TEMPLATE), "--engagement", "kestrel-shop")
    assert asked.exit_code == 1 and "pass --severity with one of sev1, sev2, sev3" in asked.output
    result = run("import", "postmortem", str(PAGERDUTY_TEMPLATE), "--engagement", "kestrel-shop", "--severity", "sev1")
    assert result.exit_code == 0, result.output
    assert "TODO: started_at, detected_at, resolved_at, date, trigger, detection, title" in result.output
    text = (site_project / INCIDENTS / "post-mortem-template.yaml").read_text()
    assert "authors:\n  - \"_Your name goes here._\"\n" in text  # its **Postmortem Owner:** line
    assert "lessons:\n  went_well:\n" in text and "notes: |-\n  **Responders**\n" in text
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert run("build").exit_code == 0


def test_a_post_mortem_that_is_none_and_a_bad_time_zone(site_project: Path) -> None:
    source = site_project / "notes.md"
    source.write_text("# Shopping list\n\n## Fruit\n\n- apples\n", encoding="utf-8")
    result = run("import", "postmortem", str(source), "--engagement", "kestrel-shop", "--severity", "sev1")
    assert result.exit_code == 1 and "does not read as a post-mortem" in result.output
    zone = run("import", "postmortem", str(source), "--engagement", "kestrel-shop", "--timezone", "Mars/Olympus")
    assert zone.exit_code == 2 and "'Mars/Olympus' is not a time zone" in zone.output
