"""Import: a Markdown post-mortem (the SRE book's layout, PagerDuty's template, or anything close) as a draft
`incidents/<id>.yaml`.

Sections are recognised by their headings; the timeline comes from a table or a list of times (24- or 12-hour
clocks, a date in the row or given once for several, a time zone such as "(all times UTC)"); action items from a
table (with owner, due, status and ticket columns where they exist) or a list. What the document does not hold is
left as a TODO the draft rules know, and listed; a section that fits no key is kept in `notes`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import OpsdocsError
from . import IMPACT_TODO, SUMMARY_TODO, TODO, Imported, fingerprint, incident_id, read_markdown_text
from .markdown import Piece, Section, read_markdown
from .records import severity_for
from .runbook import runbook_id

HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": ("summary", "overview", "executive summary", "incident summary", "what happened", "description",
                "zusammenfassung", "überblick", "résumé", "resume", "synthèse"),
    "impact": ("impact", "the impact", "customer impact", "impact analysis", "auswirkung", "auswirkungen"),
    "root_causes": ("root causes", "root cause", "blameless root cause", "contributing factors", "causes",
                    "root cause analysis", "ursache",
                    "ursachen", "cause racine", "causes racines"),
    "trigger": ("trigger", "auslöser", "déclencheur"),
    "resolution": ("resolution", "mitigation", "remediation", "recovery", "lösung", "behebung", "résolution"),
    "detection": ("detection", "how was it detected", "erkennung", "détection"),
    "timeline": ("timeline", "chronology", "leadup", "zeitlinie", "zeitablauf", "ablauf", "chronologie"),
    "action_items": ("action items", "actions", "follow up", "follow ups", "follow up tasks", "followups", "corrective actions",
                     "next steps", "maßnahmen", "massnahmen", "actions correctives"),
    "went_well": ("what went well", "went well", "what worked", "was lief gut", "ce qui a bien marché"),
    "went_wrong": ("what went wrong", "what didn t go so well", "what went poorly", "what went badly", "went wrong",
                   "what could be improved", "what didn t work", "what did not work", "was lief schlecht",
                   "ce qui n a pas marché"),
    "got_lucky": ("where we got lucky", "got lucky", "wo wir glück hatten", "où nous avons eu de la chance"),
    "authors": ("authors", "author", "postmortem owner", "owner", "owners", "autoren", "autor", "auteurs", "auteur"),
    "date": ("date", "datum"),
    "severity": ("severity", "schweregrad", "sévérité"),
}
# Zone abbreviations seen in post-mortems, and the zone they stand for (a fixed offset where the name is one).
ZONES = {"utc": "UTC", "gmt": "UTC", "z": "UTC", "cet": "Europe/Berlin", "cest": "Europe/Berlin", "mez": "Europe/Berlin",
         "mesz": "Europe/Berlin", "bst": "Europe/London", "edt": "America/New_York", "est": "America/New_York",
         "cdt": "America/Chicago", "cst": "America/Chicago", "pdt": "America/Los_Angeles", "pst": "America/Los_Angeles"}
_TIME = re.compile(r"(?<![\d:])(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\s*([AaPp])\.?[Mm]\.?)?(?![\d])")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ZONE = re.compile(r"\b(?:all times (?:are )?(?:in )?|times? (?:in )?|\(\s*)?([A-Z]{2,4}|UTC[+-]\d{1,2}|[A-Za-z]+/[A-Za-z_]+)\b")
_FIELD = re.compile(r"^\*\*([^*]+?):?\*\*:?\s*(.+)$|^([A-Z][\w /-]{1,30}):\s+(.+)$")
_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.I)
# A row's time at its start, with its date, zone and punctuation ("**00:27 UTC:**", "2:05 PM -", "2026-05-02 14:05 |").
_LEAD = re.compile(r"^[\s*_~]*(?:\d{4}-\d{2}-\d{2}[ T,]*)?~?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?\s*"
                   r"(?:\(?(?:" + "|".join(n.upper() for n in ZONES) + r")\)?(?!\w))?[\s*_:\-–—|]*")
# The start and end of the outage, where the document marks them (Flutter's template: "<START OF OUTAGE>").
_MARKS = {"started_at": r"start of (?:the )?outage|outage (?:starts|begins)|impact start",
          "resolved_at": r"end of (?:the )?outage|outage ends|impact end"}
_CHECKBOX = re.compile(r"^\[([ xX])\]\s*")
_KEYWORDS = {"detected_at": r"detect|alert|page[sd]?\b|notic|report|fired|triggered",
             "acknowledged_at": r"\back(?:nowledg|ed\b|'d\b)|on-?call .*(join|took)|took (it|the incident)|investigat",
             "mitigated_at": r"mitigat|rolled back|rollback|workaround|restor|errors? stop|stopped",
             "resolved_at": r"resolv|restor|recover|closed|ended|back to normal|fixed"}


def _plain(heading: str) -> str:
    """A heading without its emoji short codes (":warning: Leadup" is "Leadup")."""
    return re.sub(r":[a-z0-9_+-]+:\s*", "", heading).strip() or heading


def heading_key(heading: str) -> str | None:
    text = " ".join(re.sub(r"[^\w\s]", " ", _plain(heading.lower())).split())
    if re.match(r"(timeline|chronolog|zeitlinie)\b", text):  # "Timeline (all times in PST/PDT)"
        return "timeline"
    for key, names in HEADINGS.items():
        if text in names:
            return key
    return None


def table_rows(block: str) -> tuple[list[str], list[list[str]]]:
    """A Markdown table's header and rows (cells trimmed; escaped pipes kept)."""
    lines = [line.strip() for line in block.split("\n") if line.strip().startswith("|")]
    split = [[c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))] for line in lines]
    if len(split) < 2:
        return [], []
    return split[0], [row for row in split[2:] if any(row)]


def _zone(texts: list[str], given: str | None, default: str) -> str:
    if given:
        return given
    for text in texts:
        for match in _ZONE.finditer(text):
            name = match.group(1)
            if name.lower() in ZONES:
                return ZONES[name.lower()]
            if "/" in name:
                try:
                    ZoneInfo(name)
                    return name
                except (ZoneInfoNotFoundError, ValueError):
                    continue
    return default


def parse_moment(text: str, day: date | None) -> tuple[datetime | None, date | None]:
    """The first clock time in `text` (24- or 12-hour) on the date in `text`, else on `day`: (naive datetime, date)."""
    found = _DATE.search(text)
    if found:
        day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    clock = _TIME.search(text[found.end():] if found else text)
    if not clock or day is None:
        return None, day
    hour, minute, second = int(clock.group(1)), int(clock.group(2)), int(clock.group(3) or 0)
    if clock.group(4):
        hour = hour % 12 + (12 if clock.group(4).lower() == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None, day
    return datetime.combine(day, time(hour, minute, second)), day


def _timeline(sections: list[Section], day: date | None) -> tuple[list[tuple[datetime, str]], list[str]]:
    """Timeline entries (naive local moments, event text) from tables and lines; what is not an entry is returned."""
    entries: list[tuple[datetime, str]] = []
    rest: list[str] = []
    for section in sections:
        for piece in section.pieces:
            if piece.kind == "block" and piece.text.lstrip().startswith("|"):
                header, rows = table_rows(piece.text)
                when = next((i for i, h in enumerate(header) if re.search(r"time|date|when|zeit|heure", h, re.I)), 0)
                for row in rows:
                    moment, day = parse_moment(row[when] if when < len(row) else "", day)
                    event = " — ".join(c for i, c in enumerate(row) if i != when and c)
                    if moment and event:
                        entries.append((moment, event))
                    else:
                        rest.append("| " + " | ".join(row) + " |")
                continue
            if piece.kind == "line":
                for part in _BREAK.split(piece.text):  # rows written as one paragraph, split by <br>
                    day = _timeline_line(part, day, entries, rest)
                continue
            rest.append(piece.text if piece.kind != "code" else f"```\n{piece.text}\n```")
    return entries, rest


def _timeline_line(text: str, day: date | None, entries: list[tuple[datetime, str]], rest: list[str]) -> date | None:
    """One line of a timeline: an entry, the day for what follows, the zone said once, or text kept as it is."""
    moment, new_day = parse_moment(text, day)
    if moment:
        lead = _LEAD.match(text)
        if lead and lead.end():
            event = text[lead.end():]
        else:
            event = _DATE.sub("", text, count=1) if _DATE.search(text) else text
            event = _TIME.sub("", event, count=1)
        event = event.strip(" -–—:|")
        if event.count("**") % 2 and event.startswith("**"):  # the bold that held the time: "**00:27 UTC:** ..."
            event = event[2:].lstrip(" -–—:|")
        entries.append((moment, event.strip() or text))
        return new_day
    if new_day and len(text) < 40:  # a line (or a heading) that gives the day for what follows
        return new_day
    if not (len(text) < 40 and re.search(r"\btimes?\b", text, re.I) and _zone([text], None, "")):
        rest.append(text)  # "(all times UTC)" is not kept: said once, it is the timeline's time zone
    return day


def _actions(sections: list[Section]) -> tuple[list[dict], list[str]]:
    items: list[dict] = []
    rest: list[str] = []
    for section in sections:
        for piece in section.pieces:
            if piece.kind == "block" and piece.text.lstrip().startswith("|"):
                header, rows = table_rows(piece.text)
                names = [h.lower() for h in header]
                col = {key: next((i for i, h in enumerate(names) if re.search(pattern, h)), None) for key, pattern in {
                    "do": r"action|item|task|description|what|todo", "owner": r"owner|who|assignee|responsible",
                    "due": r"due|date|deadline|when", "status": r"status|state|done", "ticket": r"ticket|tracking|reference|bug|jira|issue|link",
                    "type": r"type|kind|category"}.items()}
                for row in rows:
                    cell = {k: (row[i] if i is not None and i < len(row) else "") for k, i in col.items()}
                    items.append(_action(cell.get("do") or " — ".join(c for c in row if c), cell))
                continue
            if piece.kind == "line":
                box = _CHECKBOX.match(piece.text)
                text = _CHECKBOX.sub("", piece.text)
                items.append(_action(text, {"status": "done" if box and box.group(1) in "xX" else ""}))
                continue
            rest.append(piece.text)
    return [i for i in items if i["do"]], rest


def _action(text: str, cells: dict) -> dict:
    status = (cells.get("status") or "").lower()
    mapped = "done" if re.search(r"done|closed|complete|fixed|✅|\[x\]", status) else "in-progress" if "progress" in status \
        else "wont-do" if re.search(r"won.?t|declined", status) else "open"
    kind = (cells.get("type") or "").lower()
    due, _ = parse_moment((cells.get("due") or "") + " 00:00", None)
    return {"do": text.strip(), "type": next((t for t in ("prevent", "mitigate", "detect", "process") if t in kind), "other"),
            "owner": cells.get("owner") or TODO, "due": due.date().isoformat() if due else None, "status": mapped,
            "ticket": cells.get("ticket") or None}


def _severity(text: str | None, levels, given: str | None) -> str:
    """The engagement's severity: --severity, else what the document says (a level's id, name or alias, or the same
    number: "SEV-2", "P2" is sev2)."""
    digits = re.search(r"(?:sev|p|s|severity)[\s-]*(\d)", (text or "").lower())
    match = next((lv.id for lv in levels if digits and re.sub(r"\D", "", lv.id) == digits.group(1)), None)
    if match and not given:
        return match
    return severity_for([text] if text else [], levels, given, "the post-mortem")


def _fields(sections: list[Section]) -> dict[str, str]:
    """The date, authors and severity given as `**Date:** 2026-03-14` or `Owners: @ana` lines (several may share a
    line, split by <br>): taken out of their section, by key. Any other such line stays where it is."""
    found: dict[str, str] = {}
    for section in sections:
        kept = []
        for piece in section.pieces:
            parts = _BREAK.split(piece.text) if piece.kind == "line" else []
            left = []
            for part in parts:
                match = _FIELD.match(part)
                key = heading_key(match.group(1) or match.group(3)) if match else None
                if match and key in ("date", "authors", "severity") and key not in found:
                    found[key] = (match.group(2) or match.group(4)).strip()
                else:
                    left.append(part)
            if piece.kind != "line" or len(left) == len(parts):
                kept.append(piece)
            elif left:
                kept.append(Piece(piece.kind, "<br> ".join(left), line=piece.line))
        section.pieces = kept
    return found


def _text(sections: list[Section]) -> str:
    """Sections as Markdown paragraphs; a paragraph's <br> breaks (Flutter's summary lines) are paragraphs too."""
    pieces = [Piece(p.kind, _BREAK.sub("\n\n", p.text) if p.kind == "line" else p.text, p.lang, p.line)
              for s in sections for p in s.pieces]
    return Section("", 0, 0, pieces).markdown()


def _line(sections: list[Section]) -> str:
    """Sections as one line of text."""
    return " ".join(" ".join(s.markdown().split()) for s in sections if s.pieces)


def _lead(sections: list[Section], notes: list[str]) -> str:
    """A line-valued key's text: the first paragraphs of its sections (at most three, up to the first code block,
    table or quote); the rest of each section is kept in `notes` under its heading."""
    taken: list[str] = []
    for section in sections:
        pieces = section.pieces
        cut = next((i for i, p in enumerate(pieces) if p.kind != "line" or i == 3), len(pieces))
        taken += [" ".join(p.text.split()) for p in pieces[:cut]]
        if pieces[cut:]:
            notes.append(f"**{_plain(section.heading)}**\n\n" + Section("", 0, 0, pieces[cut:]).markdown())
    return " ".join(taken)


def import_postmortem(path: Path, data, timezone: str | None = None, severity: str | None = None) -> Imported:
    """One Markdown post-mortem as a draft post-mortem of the engagement `data`."""
    text = read_markdown_text(path)
    doc = read_markdown(text)
    fields = _fields(doc.sections)
    by_key: dict[str, list[Section]] = {}
    notes: list[str] = []
    parent: tuple[str, int] | None = None  # the last section recognised, and its level
    for section in doc.sections[1:] if doc.sections else []:
        key = heading_key(section.heading)
        if key is None and parent and parent[0] == "timeline" and section.level > parent[1] and _DATE.search(section.heading):
            section.pieces.insert(0, Piece("line", section.heading))  # "### 2023-08-25" under the timeline: the day
            key = "timeline"
        elif key:
            parent = (key, section.level)
        if key in ("date", "authors", "severity") and section.pieces:
            fields.setdefault(key, _line([section]))
        elif key:
            by_key.setdefault(key, []).append(section)
        elif section.pieces:
            notes.append(f"**{_plain(section.heading)}**\n\n{section.markdown()}")
    for key in ("went_well", "went_wrong", "got_lucky"):  # a lesson is a line; anything else is kept in the notes
        blocks = [p for s in by_key.get(key, []) for p in s.pieces if p.kind != "line"]
        if blocks:
            notes.append(f"**{by_key[key][0].heading}**\n\n" + Section("", 0, 0, blocks).markdown())
    if not fields.get("authors") and isinstance(doc.meta.get("authors"), list):  # front matter: authors: [joe]
        fields["authors"] = ", ".join(str(a) for a in doc.meta["authors"])
    if doc.sections and doc.sections[0].pieces:  # what stands before the first heading: the summary, if none follows
        by_key.setdefault("summary", []).insert(0, doc.sections[0])
    if not by_key and not fields:
        raise OpsdocsError(f"{path} does not read as a post-mortem: none of its headings is one (Summary, Impact, "
                           "Timeline, Root causes, Action items...)")
    zone = _zone([s.heading for s in by_key.get("timeline", [])] + [p.text for s in by_key.get("timeline", []) for p in s.pieces],
                 timezone, data.engagement.terms.coverage.timezone)
    day = parse_moment(str(fields.get("date") or doc.meta.get("date") or "") + " 00:00", None)[1]
    entries, rest = _timeline(by_key.get("timeline", []), day)
    if rest:
        notes.append("**Timeline**\n\n" + "\n\n".join(rest))
    actions, rest = _actions(by_key.get("action_items", []))
    if rest:
        notes.append("**Action items**\n\n" + "\n\n".join(rest))
    return _incident(path, doc.title, fields, by_key, entries, actions, notes, zone, day, data, severity,
                     fingerprint(text.encode("utf-8")))


def _incident(path, title, fields, by_key, entries, actions, notes, zone, day, data, severity, source) -> Imported:
    todos: list[str] = []
    tz = ZoneInfo(zone)
    moments = [(m.replace(tzinfo=tz), event) for m, event in entries]
    day = day or (moments[0][0].date() if moments else None)
    if moments:
        times = _times(moments)
    else:
        base = datetime.combine(day or data.engagement.period.start, time(0), tz)
        times = {"started_at": base, "detected_at": base, "resolved_at": base}
        todos += ["started_at", "detected_at", "resolved_at"]
    if day is None:
        todos.append("date")
        day = times["started_at"].date()

    def need(key: str, value, placeholder):
        if value:
            return value
        todos.append(key)
        return placeholder

    one_day = all(m.date() == day for m, _ in moments)
    doc_title = title or re.sub(r"[-_]+", " ", path.stem).strip()
    data_out = {
        "title": doc_title,
        "severity": _severity(fields.get("severity"), data.engagement.operate.fix.severity_levels, severity),
        "status": "draft",
        "authors": [a.strip() for a in re.split(r",|\band\b", fields.get("authors", "")) if a.strip()] or need("authors", None, [TODO]),
        "date": day.isoformat(),
        "timezone": zone,
        **{key: (value.isoformat() if value else None) for key, value in times.items()},
        "summary": need("summary", _text(by_key.get("summary", [])), SUMMARY_TODO),
        "impact": need("impact", _text(by_key.get("impact", [])), IMPACT_TODO),
        "root_causes": need("root_causes", [line for s in by_key.get("root_causes", []) for line in _root_lines(s)], [TODO]),
        **{key: need(key, _lead(by_key.get(key, []), notes), TODO) for key in ("trigger", "resolution", "detection")},
        "timeline": [{"at": m.strftime("%H:%M") if one_day else m.isoformat(), "event": e} for m, e in moments],
        "action_items": actions,
        "lessons": {key: [line for s in by_key.get(key, []) for line in s.lines()] for key in ("went_well", "went_wrong", "got_lucky")},
        "notes": "\n\n".join(notes) or None,
        "internal_notes": (f"{TODO}: take {', '.join(t for t in todos if t.endswith('_at'))} from the incident's records; "
                           "the import found no timeline to read them from.") if "started_at" in todos else None,
    }
    ident = incident_id(day, doc_title) if "date" not in todos and title else runbook_id(path)
    if not title:
        todos.append("title")
    return Imported(ident, data_out, path.as_posix(), source, todos, [f"times in {zone}"])


def _times(moments: list[tuple[datetime, str]]) -> dict[str, datetime | None]:
    """The incident's times from its timeline: where the document marks the outage's start and end, those; then
    the first event that says it was detected, acknowledged, mitigated (each no earlier than the one before), and
    the last that says it was resolved; else the first and the last entries."""
    marked = {key: next((m for m, e in moments if re.search(pattern, e, re.I)), None) for key, pattern in _MARKS.items()}
    times: dict[str, datetime | None] = {"started_at": marked["started_at"] or moments[0][0]}
    floor = times["started_at"]
    for key, pattern in _KEYWORDS.items():
        matching = [m for m, e in moments if re.search(pattern, e, re.I) and m >= floor]
        times[key] = (matching[-1] if key == "resolved_at" else matching[0]) if matching else None
        floor = times[key] or floor
    times["detected_at"] = times["detected_at"] or times["started_at"]
    times["resolved_at"] = marked["resolved_at"] or times["resolved_at"] or moments[-1][0]
    for key in ("acknowledged_at", "mitigated_at"):  # nothing after the end
        if times[key] and times[key] > times["resolved_at"]:
            times[key] = None
    return times


def _root_lines(section: Section) -> list[str]:
    """Root causes: each line of the section, or its whole text when it is prose in one paragraph."""
    lines = section.lines()
    return lines if lines and len(lines) == len(section.pieces) else [" ".join(section.markdown().split())]
