"""A content tree whose every text field holds text that is hostile to Markdown, MDX, HTML or Jinja.

Made from the example content: each value of a text field (found through the
models) is replaced, in turn, by one of the strings below, so every field and
every string is exercised. Ids, dates, URLs and other typed values stay valid.
"""

from __future__ import annotations

import re
import shutil
import typing
from html.parser import HTMLParser
from pathlib import Path

import yaml
from pydantic import BaseModel

from generator.model import inner_model
from generator.model.engagement import Engagement
from generator.model.incident import Incident
from generator.model.runbook import Runbook
from generator.model.types import _text
from generator.parse import load_yaml

# Shown exactly as written wherever they land.
HOSTILE_TEXT = [
    "latency <200ms",
    "{client}",
    "<ops@example.com>",
    "a<br>b",
    "<!-- x -->",
    "re:Invent",
    "left | right",
    "one ` backtick",
    "a ``` fence",
    "{{ jinja }}",
    "{% if x %}y{% endif %}",
    "<script>alert(1)</script>",
    "emoji 🚀🔥 ok",
    "שלום עולם",
    "*stars* and _underscores_",
    "# not a heading",
    "- not a list",
    "[not](a link)",
    "&copy; not an entity",
    "import x from 'y'",
    "export const a = 1",
    "back\\slash",
    "~tilde~",
    "1. not a list",
    ":::note not a box",
]

# Markdown fields keep their Markdown, so these are strings whose Markdown
# meaning is plain text: what must not happen is HTML, JSX or a broken build.
HOSTILE_MARKDOWN = [
    "latency <200ms",
    "{client}",
    "a<br>b",
    "<!-- x -->",
    "re:Invent",
    "{{ jinja }}",
    "<script>alert(1)</script>",
    "emoji 🚀🔥 ok",
    "שלום עולם",
    "export const a = 1",
    "import x from 'y'",
]


# URLs that must never become an href or src, wherever they come from.
HOSTILE_URLS = [
    "javascript:alert('rb')",
    "JaVaScRiPt:alert(document.domain)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "jav&#x61;script:alert(2)",
    "java\tscript:alert(3)",
    "file:///etc/passwd",
]

# Annotations, labels and receivers of the client's monitoring files: HTML, MDX braces, Jinja and Go
# template syntax, pipes, a closing </details>.
HOSTILE_MONITORING = [
    "<b>bold</b> and <img src=x onerror=alert(1)>",
    "{{ $labels.instance }} is {{ $value | humanizePercentage }}",
    "{client} | left | right",
    "</details><script>alert(1)</script>",
    "{% if x %}y{% endif %} {# c #}",
    "re:Invent <ops@example.com>",
    "[click](javascript:alert(1))",
    "export const a = 1",
]


def _kind(annotation: typing.Any, metadata: typing.Sequence = ()) -> str | None:
    """'text' or 'markdown' for the content format's text types, else None."""
    for arg in typing.get_args(annotation) or ():
        found = _kind(arg)
        if found:
            return found
    metadata = list(metadata) or getattr(annotation, "__metadata__", ())
    if any(getattr(m, "func", None) is _text for m in metadata):
        return "markdown" if any(type(m).__name__ == "AfterValidator" for m in metadata) else "text"
    return None


class _Cycle:
    def __init__(self) -> None:
        self.counts = {"text": 0, "markdown": 0, "monitoring": 0}
        self.used: dict[str, set[str]] = {"text": set(), "markdown": set(), "monitoring": set()}
        self.urls: list[str] = []  # the runbook_url of each alert of the rule files, in file order

    def next(self, kind: str) -> str:
        pool = HOSTILE_TEXT if kind == "text" else HOSTILE_MARKDOWN
        value = pool[self.counts[kind] % len(pool)]
        self.counts[kind] += 1
        self.used[kind].add(value)
        return value


def rewrite_texts(data: dict, model: type[BaseModel], new_text, shorten=None) -> dict:
    """A document with every text field's value replaced by `new_text(kind)`; `shorten(items, inner, info)`
    may drop list items (for random counts)."""
    out = {}
    for key, value in data.items():
        info = model.model_fields.get(key)
        if info is None or value is None:
            out[key] = value
            continue
        kind = _kind(info.annotation, info.metadata)
        inner = inner_model(info.annotation)
        if kind and isinstance(value, str):
            out[key] = new_text(kind)
        elif kind and isinstance(value, list):
            out[key] = [new_text(kind) for _ in (shorten(value, None, info) if shorten else value)]
        elif inner and isinstance(value, dict):
            out[key] = rewrite_texts(value, inner, new_text, shorten)
        elif inner and isinstance(value, list):
            items = [rewrite_texts(v, inner, new_text, shorten) if isinstance(v, dict) else v for v in value]
            out[key] = shorten(items, inner, info) if shorten else items
        else:
            out[key] = value
    return out


def write_hostile_content(example: Path, dest: Path) -> _Cycle:
    """Copy the example content to `dest`, poisoning every text field of the engagement's files."""
    shutil.copytree(example, dest)
    cycle = _Cycle()
    folder = dest / "engagements" / "kestrel-shop"
    files = [(folder / "engagement.yaml", Engagement)]
    files += [(p, Runbook) for p in sorted((folder / "runbooks").glob("*.yaml"))]
    files += [(p, Incident) for p in sorted((folder / "incidents").glob("*.yaml"))]
    for path, model in files:
        data = load_yaml(path, path.name).data
        data.pop("service", None)  # it must name a component, whose name is poisoned too
        poisoned = rewrite_texts(data, model, cycle.next)
        path.write_text(yaml.safe_dump(poisoned, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    poison_monitoring(folder, cycle)
    return cycle


def poison_monitoring(folder: Path, cycle: _Cycle) -> None:
    """The engagement's rule files and alertmanager.yml with hostile annotations, labels, receivers' destinations
    and runbook URLs. Alert names, severities and routing labels stay as they are, so the routing still holds."""
    def hostile() -> str:
        value = HOSTILE_MONITORING[cycle.counts["monitoring"] % len(HOSTILE_MONITORING)]
        cycle.counts["monitoring"] += 1
        cycle.used["monitoring"].add(value)
        return value

    urls = iter(HOSTILE_URLS * 10)
    for path in sorted((folder / "monitoring/rules").glob("*.yaml")):
        docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        for doc in docs:
            for group in (doc.get("spec", doc) or {}).get("groups", []):
                for rule in group.get("rules", []):
                    if "alert" not in rule:
                        continue
                    annotations = rule.setdefault("annotations", {})
                    cycle.urls.append(next(urls))
                    annotations.update(summary=hostile(), description=hostile(), runbook_url=cycle.urls[-1])
                    rule.setdefault("labels", {})["hostile"] = hostile()
        path.write_text(yaml.safe_dump_all(docs, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    alertmanager = folder / "monitoring/alertmanager.yml"
    config = yaml.safe_load(alertmanager.read_text(encoding="utf-8"))
    for receiver in config["receivers"]:
        for key, field in (("email_configs", "to"), ("slack_configs", "channel")):
            for item in receiver.get(key, []):
                item[field] = hostile()
    alertmanager.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


class _Text(HTMLParser):
    """The visible text of a page, and the scripts it would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.scripts: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "script":
            kind = dict(attrs).get("type") or "text/javascript"
            runs = kind in ("module", "text/javascript", "application/javascript")
            self._in.append("script" if runs else "data")
        elif tag in ("style", "template"):
            self._in.append(tag)
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._in and self._in[-1] == ("data" if tag == "script" and self._in[-1] == "data" else tag):
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "script":
            self.scripts.append(data)
        elif not self._in:
            self.parts.append(data)


def visible_text(html: str) -> tuple[str, list[str]]:
    """(the page's text with white space folded, the bodies of the scripts it would run).

    The word joiner (U+2060) is invisible: Docusaurus titles carry one after each `<`.
    """
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).replace("\u2060", "").split()), parser.scripts


def unsafe(url: str, attribute: str = "href") -> bool:
    """A URL that must not be an element's `attribute`. An engine may inline a small image of a page as a
    `data:image/` URL in a `src`: that is an image, which runs nothing, and its source was a relative path."""
    from generator.links import is_safe_url

    return not is_safe_url(url) and not (attribute == "src" and url.startswith("data:image/"))


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.pairs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        found = [(k, v or "") for k, v in attrs if k in ("href", "src", "action", "formaction", "xlink:href", "poster")]
        self.pairs += found
        self.urls += [v for _, v in found]


# `href: "javascript:…"` or `src="data:…"` in a script or JSON file (a Docusaurus page's chunk, a search index).
_SCRIPT_URL = re.compile(r"""\b(?:href|src)\\?["']?\s*[:=]\s*\\?["']\s*(([A-Za-z][A-Za-z0-9+.-]*):[^"'\\]{0,40})""")


def unsafe_references(root: Path) -> list[str]:
    """Every href or src, in every file under `root` (pages, scripts, indexes, Markdown) but the libraries',
    whose URL is not safe to follow (generator.links.is_safe_url), as 'file: url'."""
    from generator.links import unsafe_urls

    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".json", ".md", ".xml")):
        if path.name.endswith(".min.js") or "assets/javascripts" in path.as_posix():
            continue  # mermaid's and Material's own code, which holds no content
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".js" and "mermaidAPI" in text:
            continue  # Docusaurus' chunk of mermaid's library
        if path.suffix == ".html":
            parser = _Urls()
            parser.feed(text)
            urls = [u for k, u in parser.pairs if unsafe(u, k)]
        elif path.suffix == ".md":
            urls = unsafe_urls(text)
        else:
            urls = [m.group(1) for m in _SCRIPT_URL.finditer(text) if unsafe(m.group(1))]
        found += [f"{path.relative_to(root)}: {u}" for u in urls]
    return found


def check_site_shows_hostile_text(pages: list[Path], cycle: _Cycle) -> None:
    """Every hostile string shows as written somewhere, and no page runs one as a script."""
    texts, scripts = [], []
    for page in pages:
        text, page_scripts = visible_text(page.read_text(encoding="utf-8"))
        texts.append(text)
        scripts.extend(page_scripts)
    everything = "\n".join(texts)
    for kind, used in cycle.used.items():
        for value in sorted(used):
            assert " ".join(value.split()) in everything, f"{kind} value {value!r} is not shown as written"
    assert not [s for s in scripts if "alert(1)" in s], "a script from the content would run"
