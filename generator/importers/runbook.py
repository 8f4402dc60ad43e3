"""Import: a Markdown runbook (kube-prometheus' Meaning / Impact / Diagnosis / Mitigation, or Symptoms / Steps /
Verify / Rollback / Escalation, in English, German or French) as a draft `runbooks/<id>.yaml`.

Sections are recognised by their heading; every paragraph or list item of a section of steps becomes a step, a
code block the `run` of the step before it (a language other than shell as its `lang`). A section that fits no key is kept, with its heading, in `notes`:
nothing of the source is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import OpsdocsError
from . import TODO, Imported, fingerprint, read_markdown_text
from .markdown import Document, Section, read_markdown

# The words a heading is recognised by (lower case, without punctuation), for each key of a runbook.
HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": ("meaning", "summary", "overview", "description", "purpose", "about", "context", "background",
                "bedeutung", "beschreibung", "zusammenfassung", "überblick", "hintergrund",
                "signification", "résumé", "resume", "description", "contexte", "objet"),
    "impact": ("impact", "impacts", "auswirkung", "auswirkungen", "folgen", "conséquences", "consequences"),
    "symptoms": ("symptoms", "symptom", "signs", "what you see", "symptome", "anzeichen", "symptômes", "symptomes"),
    "diagnose": ("diagnosis", "diagnose", "diagnostic", "diagnostics", "investigation", "investigate", "troubleshooting",
                 "triage", "checks", "analyse", "analysis", "untersuchung", "fehlersuche", "prüfung", "diagnostic"),
    "mitigate": ("mitigation", "mitigate", "mitigations", "remediation", "resolution", "resolve", "fix", "fixes",
                 "steps", "procedure", "actions", "solution", "lösung", "behebung", "maßnahmen", "massnahmen",
                 "schritte", "vorgehen", "remédiation", "atténuation", "résolution", "étapes", "procédure"),
    "verify": ("verify", "verification", "validation", "validate", "confirm", "check it worked", "überprüfung",
               "überprüfen", "verifizierung", "kontrolle", "vérification", "vérifier", "validation"),
    "rollback": ("rollback", "roll back", "undo", "revert", "back out", "zurücksetzen", "zurückrollen", "rückgängig",
                 "retour arrière", "annulation", "revenir en arrière"),
}


def heading_key(heading: str) -> str | None:
    """The runbook key a heading names, or None."""
    words = re.sub(r"[^\w\s]", " ", heading.lower()).split()
    text = " ".join(words)
    for key, names in HEADINGS.items():
        if text in names or (words and words[0] in names and len(words) <= 3):
            return key
    return None


def runbook_id(path: Path) -> str:
    """The id from the file name: `NodeFilesystemSpaceFillingUp.md` → `node-filesystem-space-filling-up`."""
    stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "-", stem)
    ident = "-".join(re.findall(r"[a-z0-9]+", stem.lower()))[:64].strip("-")
    if not ident:
        raise OpsdocsError(f"{path}: no id can be made from the file name", "rename the file with letters or digits in it")
    return ident


def _lang(tag: str | None, text: str = "") -> str:
    """A code block's language as a step's `lang`: shell blocks are bash (the default), except a transcript of a
    session (`$ ` prompts, often with the output below them), which is `console` whatever its tag says, so that
    `check --strict` does not parse output as commands; one that is no id is text."""
    tag = (tag or "").strip().lower()
    if tag in ("", "bash", "shell", "sh", "zsh", "console", "shell-session") and text.lstrip().startswith("$ "):
        return "console"
    if tag in ("", "bash", "shell", "zsh"):
        return "bash"
    return tag if re.fullmatch(r"[a-z0-9][a-z0-9-]*", tag) else "text"


def _steps(section: Section) -> list[dict]:
    """A section's paragraphs and list items as steps; a code block is the `run` of the step before it."""
    steps: list[dict] = []
    for piece in section.pieces:
        if piece.kind == "line":
            steps.append({"do": piece.text})
        elif piece.kind == "code":
            if not steps or "run" in steps[-1]:
                steps.append({"do": f"Run ({piece.lang}):" if piece.lang else "Run:"})
            steps[-1]["run"] = piece.text
            if _lang(piece.lang, piece.text) != "bash":
                steps[-1]["lang"] = _lang(piece.lang, piece.text)
        else:
            steps.append({"do": "See the notes: " + (section.heading or "the text before the first heading"), "_block": piece.text})
    return steps


def import_runbook(path: Path, alert_names: set[str]) -> Imported:
    """One Markdown file as a runbook; `alert_names` are the engagement's alerts (hand-written and from its rules)."""
    text = read_markdown_text(path)
    doc = read_markdown(text)
    if not any(p for s in doc.sections for p in s.pieces) and doc.title is None:
        raise OpsdocsError(f"{path} is not Markdown with anything to import: no heading, paragraph or list")
    return _runbook(path, doc, alert_names, fingerprint(text.encode("utf-8")))


def _runbook(path: Path, doc: Document, alert_names: set[str], source: str) -> Imported:
    found: dict[str, list[Section]] = {}
    notes: list[str] = []
    for section in doc.sections:
        if not section.pieces:
            continue
        key = heading_key(section.heading) if section.heading else ("summary" if section.level == 0 else None)
        if key is None:
            notes.append(f"**{section.heading}**\n\n{section.markdown()}")
            continue
        found.setdefault(key, []).append(section)
    todos = []
    summary = "\n\n".join(s.markdown() for s in found.get("summary", []))
    impact = "\n\n".join(s.markdown() for s in found.get("impact", []))
    if impact:
        summary = f"{summary}\n\n**Impact:** {impact}" if summary else f"**Impact:** {impact}"
    if not summary:
        summary = TODO + ": what this failure looks like and what it costs while it lasts."
        todos.append("summary")
    symptoms = []
    for section in found.get("symptoms", []):
        symptoms += section.lines()
        rest = Section(section.heading, section.level, section.line, [p for p in section.pieces if p.kind != "line"])
        if rest.pieces:  # a symptom is a line: code or a table under the heading is kept in the notes
            notes.append(f"**{section.heading}**\n\n{rest.markdown()}")
    if not symptoms:
        symptoms = [TODO + ": what the person on call sees first"]
        todos.append("symptoms")
    steps: dict[str, list[dict]] = {}
    for key in ("diagnose", "mitigate", "verify", "rollback"):
        made = [step for s in found.get(key, []) for step in _steps(s)]
        for step in made:
            block = step.pop("_block", None)
            if block:
                notes.append(block)
        if made:
            steps[key] = made
        elif key != "rollback":
            steps[key] = [{"do": f"{TODO}: how to {key} it"}]
            todos.append(f"steps.{key}")
    title = doc.title or (doc.sections[1].heading if len(doc.sections) > 1 else None) or path.stem
    names = [name for name in (path.stem, title) if name in alert_names]
    data = {
        "title": title,
        "status": "draft",
        "summary": summary,
        "alerts": sorted(set(names)),
        "symptoms": symptoms,
        "steps": steps,
        "notes": "\n\n".join(notes) or None,
    }
    messages = [f"names the alert {names[0]}"] if names else []
    return Imported(runbook_id(path), data, path.as_posix(), source, todos, messages)
