"""`opsdocs import`: what a client already has, brought in as drafts. Tested on files nobody on the team wrote:
kube-prometheus' community runbooks as published (tests/fixtures/import/, with their origin and licence)."""

from __future__ import annotations

import json
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
        if tag in ("a", "img"):  # link targets and image sources: words of the source that are URLs
            self.hrefs += [v for k, v in attrs if k in ("href", "src") and v]
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
    text = re.sub(r"^(\s*[-*+]\s+)\[[ xX]\]", r"\1", text, flags=re.M)  # a task list's box is a list marker (its status)
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


BAD_IMPORTS = sorted((Path(__file__).parent / "bad-imports").glob("*.json"))


def _content_files(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in sorted((project / "content").rglob("*")) if p.is_file()}


def test_every_importer_error_has_a_corpus_entry() -> None:
    """Each importer's way to fail is a case of tests/bad-imports/ (at least the ones listed here)."""
    commands = {json.loads(c.read_text())["command"] for c in BAD_IMPORTS}
    assert commands == {"runbook", "postmortem", "pagerduty", "incidentio"}
    assert len(BAD_IMPORTS) >= 30


@pytest.mark.parametrize("case_path", BAD_IMPORTS, ids=[c.stem for c in BAD_IMPORTS])
def test_bad_import(site_project: Path, case_path: Path) -> None:
    """A bad source is a clear error (no traceback, exit 1, or 2 for a bad option) and nothing is written."""
    case = json.loads(case_path.read_text(encoding="utf-8"))
    paths = []
    for name, text in case["files"].items():
        path = site_project / "sources" / name.lstrip("+")
        if name.endswith("/"):
            path.mkdir(parents=True)
        elif text is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode(case.get("encoding", "utf-8")))
        paths.append(str(path))
    args = ["import", case["command"], *paths, *(case["args"] if "--engagement" in case["args"] else [*case["args"], "--engagement", "kestrel-shop"])]
    if case.get("twice"):
        assert run(*args).exit_code == 0
    if case.get("exists"):
        target = site_project / "content" / case["exists"]  # a valid document of that kind, written by hand
        target.write_bytes(next(p for p in sorted(target.parent.glob("*.yaml")) if p != target).read_bytes())
    before = _content_files(site_project)
    result = run(*args)
    assert result.exit_code == (2 if "--timezone" in case["args"] else 1), result.output
    assert case["expect"] in result.output, f"{case['what']}: {result.output}"
    assert "Traceback" not in result.output
    assert _content_files(site_project) == before, f"{case['what']}: something was written"


PAGERDUTY_TEMPLATE = FIXTURES / "pagerduty-postmortem-template/post_mortem_template.md"
# Post-mortems open-source projects published: Flutter's (its template follows the SRE book's layout) and Python
# Discord's (its own layout); see ORIGIN.txt beside each.
PUBLISHED_POSTMORTEMS = [FIXTURES / "flutter-postmortem/Postmortem-flutter.dev-outage-on-August-26-2023.md",
                         FIXTURES / "python-discord-postmortems/cascading-node-failures.md"]
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
    assert asked.exit_code == 1 and "the post-mortem says no severity, which is none of the engagement's severities (sev1, sev2, sev3)" in asked.output
    result = run("import", "postmortem", str(PAGERDUTY_TEMPLATE), "--engagement", "kestrel-shop", "--severity", "sev1")
    assert result.exit_code == 0, result.output
    assert "TODO: started_at, detected_at, resolved_at, date, trigger, detection, title" in result.output
    text = (site_project / INCIDENTS / "post-mortem-template.yaml").read_text()
    assert "authors:\n  - \"_Your name goes here._\"\n" in text  # its **Postmortem Owner:** line
    assert "lessons:\n  went_well:\n" in text and "notes: |-\n  **Responders**\n" in text
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert run("build").exit_code == 0


def _page_text(page: Path) -> tuple[set[str], set[str]]:
    """A built page's words (its visible text and its link and image targets) and its code lines."""
    html = page.read_text(encoding="utf-8")
    shown, _ = visible_text(html)
    parsed = _Page()
    parsed.feed(html)
    return words(shown) | words(" ".join(parsed.hrefs)), {line.strip() for c in parsed.code for line in c.split("\n")}


def test_published_post_mortems_import_check_and_build_with_nothing_lost(site_project: Path) -> None:
    result = run("import", "postmortem", *map(str, PUBLISHED_POSTMORTEMS), "--engagement", "kestrel-shop", "--severity", "sev2")
    assert result.exit_code == 0, result.output
    flutter = (site_project / INCIDENTS / "postmortem-flutter-dev-outage-on-august-26-2023.yaml").read_text()
    for expected in (  # the zone from "(all times in PST/PDT)", the day from each "### 2023-08-25" heading, rows split at <br>
        "timezone: America/Los_Angeles\n", 'started_at: "2023-08-25T21:14:00-07:00"\n',  # its <START OF OUTAGE> mark
        'detected_at: "2023-08-25T21:20:00-07:00"\n', 'acknowledged_at: "2023-08-26T04:27:00-07:00"\n',
        'resolved_at: "2023-08-26T12:55:00-07:00"\n', 'authors:\n  - "@Hixie"\n',
        '  - at: "2023-08-26T04:27:00-07:00"\n    event: "@Hixie sees and acknowledges the message."\n',
        "  went_wrong:\n    - Monitoring detected the issue",  # its "What didn't work"
    ):
        assert expected in flutter, expected
    assert flutter.count("  - at: ") == 11 and flutter.count("  - do: ") == 5  # its eleven rows; its follow-ups
    discord = (site_project / INCIDENTS / "2021-07-11-cascading-node-failures-and-ensuing-volume-probl.yaml").read_text()
    for expected in ('authors:\n  - joe\n', "timezone: UTC\n", 'started_at: "2021-07-11T00:27:00+00:00"\n',
                     '  - at: "00:32"\n    event: "DevOps team is alerted that PostgreSQL has saturated',
                     "    status: done\n"):  # its "- [x]" follow-up task
        assert expected in discord, expected
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert run("build").exit_code == 0
    for source, page in zip(PUBLISHED_POSTMORTEMS, ("postmortem-flutter-dev-outage-on-august-26-2023",
                                                    "2021-07-11-cascading-node-failures-and-ensuing-volume-probl")):
        kept, code = source_words_and_code(source.read_text(encoding="utf-8"))
        shown, code_shown = _page_text(site_project / f"site/engagements/kestrel-shop/postmortems/{page}/index.html")
        assert kept - shown == set(), source.name
        assert [line for line in code if line not in code_shown] == [], source.name


PAGERDUTY = FIXTURES / "pagerduty-api"


def _alias(project: Path, level: str, alias: str) -> None:
    """Give a severity level of the example an alias, as a consultancy would for its client's PagerDuty priorities."""
    path = project / "content/engagements/kestrel-shop/engagement.yaml"
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.split("\n") if f"{{id: {level}," in line)
    path.write_text(text.replace(line, line.replace(", postmortem:", f", aliases: [{alias}], postmortem:")), encoding="utf-8")


def test_a_pagerduty_incident_and_its_log_entries(site_project: Path) -> None:
    """The times are PagerDuty's, in the engagement's zone; the response figures follow from them."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from generator.compute import incident_figures
    from generator.pipeline import read_content
    from generator.project import Project

    _alias(site_project, "sev2", "P2")  # the incident's priority
    result = run("import", "pagerduty", str(PAGERDUTY / "incident_log_entries.json"), str(PAGERDUTY / "incident_get_v2.json"),
                 "--engagement", "kestrel-shop")
    assert result.exit_code == 0, result.output
    assert "its log entries begin 1182 days away from the incident's created_at" in result.output
    incident = json.loads((PAGERDUTY / "incident_get_v2.json").read_text())["incident"]
    entries = json.loads((PAGERDUTY / "incident_log_entries.json").read_text())["log_entries"]

    def at(value: str) -> datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))

    def of(kind: str) -> datetime:
        return at(next(e["created_at"] for e in entries if e["type"] == f"{kind}_log_entry"))

    content = read_content(Project.at(str(site_project / "content"))).content
    imported = content.engagements["kestrel-shop"].incidents["2015-10-06-the-server-is-on-fire"]
    berlin = ZoneInfo("Europe/Berlin")
    assert (imported.severity, imported.timezone) == ("sev2", "Europe/Berlin")
    assert imported.started_at == at(incident["created_at"])
    assert imported.started_at.isoformat() == "2015-10-06T23:30:42+02:00"  # 21:30:42Z, in Berlin's summer time
    assert (imported.detected_at, imported.acknowledged_at, imported.resolved_at) == (of("trigger"), of("acknowledge"), of("resolve"))
    assert imported.resolved_at.astimezone(berlin).isoformat() == "2019-01-01T01:57:11+01:00"
    assert [e.event for e in imported.timeline][:2] == ["Triggered through the API (Test-Service-API-v2)", "Assigned to FakeUser1 (Test Service)"]
    assert len(imported.timeline) == len(entries)
    figures = incident_figures(imported, content.engagements["kestrel-shop"].engagement)
    assert figures.time_to_acknowledge == of("acknowledge") - of("trigger")
    assert figures.time_to_resolve == of("resolve") - at(incident["created_at"])
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert run("build").exit_code == 0
    page = (site_project / "site/engagements/kestrel-shop/postmortems/2015-10-06-the-server-is-on-fire/index.html").read_text()
    assert 'href="https://subdomain.pagerduty.com/incidents/PT4KHLK"' in page and "Acknowledged by FakeUser2" in page


def test_a_pagerduty_incident_alone(site_project: Path) -> None:
    result = run("import", "pagerduty", str(PAGERDUTY / "incident_get_v2.json"), "--engagement", "kestrel-shop", "--severity", "sev1",
                 "--timezone", "UTC", "--dry-run")
    assert result.exit_code == 0, result.output
    for expected in ('started_at: "2015-10-06T21:30:42+00:00"\n', 'detected_at: "2015-10-06T21:30:42+00:00"\n',
                     'resolved_at: "2015-10-06T21:38:23+00:00"\n',  # resolved: its last status change
                     '  - at: "21:38:23"\n    event: Resolved by Earline Greenholt\n', "# source: pagerduty:PT4KHLK\n"):
        assert expected in result.output, expected
    assert not (site_project / INCIDENTS / "2015-10-06-the-server-is-on-fire.yaml").exists()


def test_a_pagerduty_note_keeps_its_text_and_author() -> None:
    """An annotate entry (a note someone added during the incident): PagerDuty's sentence says only 'Note added'."""
    from generator.importers.pagerduty import _event

    note = {"type": "annotate_log_entry", "summary": "Note added", "created_at": "2026-03-14T08:10:00Z",
            "channel": {"type": "note", "summary": "Rolled back\nthe 14:05 deploy"},
            "agent": {"type": "user_reference", "summary": "Ana Ruiz"}}
    assert _event(note) == "Note added: Rolled back the 14:05 deploy (Ana Ruiz)"
    assert _event({"type": "acknowledge_log_entry", "summary": "Acknowledged by Ana Ruiz", "agent": note["agent"]}) == \
        "Acknowledged by Ana Ruiz"  # the sentence names who did it already


def test_incident_io_incidents_as_its_api_gives_them(site_project: Path) -> None:
    files = sorted((FIXTURES / "incident-io-api").glob("*.json"))
    result = run("import", "incidentio", *map(str, files), "--engagement", "kestrel-shop")
    assert result.exit_code == 0, result.output
    assert "TODO: resolved_at, authors, impact" in result.output  # neither record says when it was resolved
    example = (site_project / INCIDENTS / "2021-08-17-our-database-is-sad.yaml").read_text()
    for expected in ("severity: sev3\n",  # 'Minor', the name of the example's sev3
                     'started_at: "2021-08-17T15:28:57.801578+02:00"\n', "# source: incidentio:01FDAG4SAP5TYPT98WGR2N7W91\n",
                     "summary: \"Our database is really really sad, and we don't know why yet.\"\n",
                     "responders:\n  - role: Incident Lead\n    name: Lisa Karlin Curtis\n", "Post-mortem document: [the document](https://docs.google.com/my_doc_id)",
                     "Lasted: 3 h 0 min", "[incident.io incident INC-123](https://app.incident.io/incidents/123)",
                     "Affected Team: [Product](https://google.com/)"):  # a custom field
        assert expected in example, expected
    recorded = (site_project / INCIDENTS / "2023-10-24-teal-ostrich.yaml").read_text()
    assert '    event: "Rob: Status: Investigating"\n' in recorded and "  - role: Reporter\n    name: Rob\n" in recorded
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert run("build").exit_code == 0
    again = run("import", "incidentio", str(files[0]), "--engagement", "kestrel-shop")
    assert again.exit_code == 1 and "was imported before" in again.output


def test_unsafe_links_in_a_source_stay_text(site_project: Path) -> None:
    """A source's javascript: or data: link is kept as text, not refused by check, and never a link in the page."""
    from tests.hostile import unsafe_references

    source = site_project / "bad-link.md"
    source.write_text("# Bad link\n\n## Meaning\n\nClick [here](javascript:alert(1)) or <javascript:alert(2)>.\n\n"
                      "## Mitigation\n\n- Run [it](data:text/html,x)\n", encoding="utf-8")
    assert run("import", "runbook", str(source), "--engagement", "kestrel-shop").exit_code == 0
    checked = run("check")
    assert checked.exit_code == 0, checked.output
    assert run("build").exit_code == 0
    page = site_project / "site/engagements/kestrel-shop/runbooks/bad-link/index.html"
    assert "javascript:alert(1)" in visible_text(page.read_text())[0]
    assert unsafe_references(page.parent) == []
