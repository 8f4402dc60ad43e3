"""Render: the escaping each engine needs, so text from content shows exactly as written.

Two kinds of content value reach a page. Plain text (names, conditions, steps)
must never be read as Markdown or HTML. Markdown fields (summaries, impact)
keep their Markdown, but raw HTML, and for Docusaurus everything MDX would read
as JSX or JavaScript, is escaped in their text, never inside code spans or
fences (markdown-it-py tells us where those are).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from .links import is_safe_url


class Safe(str):
    """A string already escaped for its engine: printed as it is."""

    __slots__ = ()


_AUTOLINK = re.compile(
    r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_BACKTICKS = re.compile(r"`+")
_LINE_START_MARKER = re.compile(r"^(\s*)([-+>#]|\d+[.)])")
_BLOCK_START = re.compile(r"^([-+*>#]|\d+[.)])")
_DIRECTIVE_COLON = re.compile(r":(?=[A-Za-z])")
_MARKER_STARTS = frozenset(" \t-+>#0123456789")
# `](dest` (a link or image) and `]: dest` (a reference definition): where a destination starts.
_DESTINATION = re.compile(r"\][ \t]*(\(|:)\s*<?([^\s)>]*)")
# A line of text followed directly by a list item: the case Python-Markdown reads differently.
_LIST_AFTER_TEXT = re.compile(r"^[ \t]*\S.*\n {0,3}(?:[-+*]|\d+[.)])[ \t]", re.M)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def _code_lines(text: str) -> tuple[dict[int, str], set[int]]:
    """Which lines are code: fences (by first line: 'fence') and indented blocks ('indented')."""
    starts: dict[int, str] = {}
    inside: set[int] = set()
    for token in _parser().parse(text):
        if token.type in ("fence", "code_block") and token.map:
            begin, end = token.map
            starts[begin] = "fence" if token.type == "fence" else f"indented:{end}"
            inside.update(range(begin, end))
    return starts, inside


@dataclass(frozen=True)
class Escaper:
    """The escape rules of one engine (each engine module in targets/ defines its own)."""

    text_map: dict[str, str]
    inline_map: dict[str, str]
    mdx: bool = False
    python_markdown: bool = False  # MkDocs: a list needs a blank line before it

    def __post_init__(self) -> None:
        object.__setattr__(self, "_table", str.maketrans(self.text_map))
        specials = "".join(self.inline_map) + "`\\" + (":" if self.mdx else "")
        object.__setattr__(self, "_needs_work", re.compile("[" + re.escape(specials) + "]|\\][ \\t]*[(:]|^(import|export)\\b|^( {4}|\\t)", re.M))
        # What `_inline` looks at: the characters it escapes or reads; the text between them is copied as it is.
        stops = "".join(self.inline_map) + "\\`<]" + (":" if self.mdx else "")
        object.__setattr__(self, "_stops", re.compile("[" + re.escape(stops) + "]"))
        object.__setattr__(self, "_stops_pipes", re.compile("[" + re.escape(stops + "|") + "]"))

    def text(self, value: str) -> Safe:
        """Plain text: shown exactly as written, on one line, never read as markup."""
        if "\n" in value or "\r" in value:
            value = " ".join(value.replace("\r", "").split("\n"))
        out = value.translate(self._table)  # type: ignore[attr-defined]
        if out[:1] in _MARKER_STARTS:
            out = _LINE_START_MARKER.sub(lambda m: m[1] + "\\" + m[2] if len(m[2]) == 1 else m[1] + m[2][:-1] + "\\" + m[2][-1], out, count=1)
        if self.mdx:
            out = _neutralise_esm(_DIRECTIVE_COLON.sub(r"\\:", out))
        return Safe(out)

    def markdown(self, value: str) -> Safe:
        """A Markdown field: its Markdown kept, its HTML (and MDX syntax) shown as text."""
        value = value.replace("\r\n", "\n").strip("\n")
        if self.python_markdown and _LIST_AFTER_TEXT.search(value):
            value = separate_lists(value)
        if not self._needs_work.search(value):  # type: ignore[attr-defined]
            return Safe(value)  # nothing in it that the engine could misread
        lines = value.split("\n")
        starts, inside = _code_lines(value)
        out: list[str] = []
        chunk: list[str] = []
        i = 0
        while i < len(lines):
            if i not in inside:
                chunk.append(lines[i])
                i += 1
                continue
            if chunk:
                out.append(self._inline("\n".join(chunk)))
                chunk = []
            kind = starts.get(i, "fence")
            end = i + 1
            while end < len(lines) and end in inside and end not in starts:
                end += 1
            block = lines[i:end]
            if self.mdx and kind.startswith("indented"):
                # MDX has no indented code: the same code, fenced.
                body = [line[4:] if line.startswith("    ") else line.lstrip("\t") for line in block]
                fence = "`" * max(3, _longest_run("\n".join(body)) + 1)
                block = [fence, *body, fence]
            out.append("\n".join(block))
            i = end
        if chunk:
            out.append(self._inline("\n".join(chunk)))
        return Safe("\n".join(out))

    def inline(self, value: str) -> Safe:
        """A line of inline Markdown: code spans, emphasis and links kept; HTML, MDX, table pipes and anything
        that would start a block (a heading, a list, a quote) shown as text."""
        value = " ".join(value.replace("\r", "").split("\n")).strip()
        out = self._inline(value, pipes=True)
        if out[:1] in _MARKER_STARTS or out[:2] in ("* ", "*\t"):
            out = _BLOCK_START.sub(lambda m: "\\" + m[1] if len(m[1]) == 1 else m[1][:-1] + "\\" + m[1][-1], out, count=1)
        return Safe(out)

    def _inline(self, text: str, pipes: bool = False) -> str:
        """Escape text outside code spans and existing backslash escapes (with `pipes`, `|` too: table-safe)."""
        out: list[str] = []
        i, n = 0, len(text)
        stops = self._stops_pipes if pipes else self._stops  # type: ignore[attr-defined]
        while i < n:
            stop = stops.search(text, i)
            if stop is None:
                out.append(text[i:])
                break
            if stop.start() > i:
                out.append(text[i : stop.start()])
                i = stop.start()
            ch = text[i]
            if ch == "\\" and i + 1 < n:
                # `\<` is an escape in CommonMark but not in Python-Markdown, which would pass the `<` on as HTML:
                # an escaped character that the engine maps is written as the map says, the same text in both.
                out.append(self.inline_map.get(text[i + 1], text[i : i + 2]))
                i += 2
                continue
            if ch == "`":
                run = _BACKTICKS.match(text, i).group()
                close = re.compile(r"(?<!`)" + run + r"(?!`)").search(text, i + len(run))
                if close:
                    out.append(text[i : close.end()])
                    i = close.end()
                else:
                    out.append(run)
                    i += len(run)
                continue
            if ch == "<":
                link = _AUTOLINK.match(text, i)
                if link:
                    out.append(self._autolink(link.group(1)))
                    i = link.end()
                    continue
            if ch == "]":
                dest = _DESTINATION.match(text, i)
                if dest and not is_safe_url(dest.group(2)):
                    out.append("\\]")  # no longer a link (or a definition): its text shows as written
                    i += 1
                    continue
            out.append("\\|" if pipes and ch == "|" else self.inline_map.get(ch, ch))
            if self.mdx and ch == ":" and i + 1 < n and text[i + 1].isalpha() and out[-1] == ":":
                out[-1] = "\\:"
            i += 1
        result = "".join(out)
        if self.mdx:
            result = "\n".join(_neutralise_esm(line) for line in result.split("\n"))
        return result

    def _autolink(self, target: str) -> str:
        if not is_safe_url(target):
            return self.text("<" + target + ">")
        if not self.mdx:
            return f"<{target}>"
        href = target if ":" in target.split("@")[0] else f"mailto:{target}"
        label = "".join("\\" + c if c in "\\`*_[]<>{}" else c for c in target)
        return f"[{label}]({href.replace('(', '%28').replace(')', '%29')})"


def _longest_run(text: str) -> int:
    return max((len(m) for m in _BACKTICKS.findall(text)), default=0)


def _neutralise_esm(line: str) -> str:
    """MDX reads a line starting with `import ` or `export ` as JavaScript."""
    match = re.match(r"^(import|export)\b", line)
    if not match:
        return line
    return f"&#{ord(line[0])};{line[1:]}"


def codeblock(code: str, lang: str = "", indent: int = 0) -> Safe:
    """A fenced code block that no content can close early."""
    code = code.replace("\r\n", "\n").rstrip("\n")
    fence = "`" * max(3, _longest_run(code) + 1)
    pad = " " * indent
    lines = [f"{fence}{lang}", *code.split("\n"), fence]
    return Safe("\n".join(pad + line if line else line for line in lines))


# Markdown punctuation that plain text must not turn into markup, in every engine.
MARKDOWN_TEXT = {c: "\\" + c for c in "\\`*_[]|"}
# Plain text in Markdown that is read as HTML (MkDocs, CommonMark).
HTML_TEXT = {**MARKDOWN_TEXT, "&": "&amp;", "<": "&lt;", ">": "&gt;"}
HTML_INLINE = {"<": "&lt;"}


def table_code_pipes(markdown: str) -> str:
    """GFM (Docusaurus, the handover's markdown-it) splits a table row at every unescaped `|`, inside code spans
    too, where Python-Markdown (MkDocs) does not: in table rows, pipes inside code spans get a backslash."""
    if "`" not in markdown or "|" not in markdown:
        return markdown
    lines = markdown.split("\n")
    _, code = _code_lines(markdown)
    for n, line in enumerate(lines):
        if n in code or not line.startswith("|") or "`" not in line:
            continue
        out, i = [], 0
        while i < len(line):
            if line[i] == "\\":
                out.append(line[i : i + 2])
                i += 2
                continue
            if line[i] == "`":
                run = _BACKTICKS.match(line, i).group()
                close = re.compile(r"(?<!`)" + run + r"(?!`)").search(line, i + len(run))
                if close:
                    span = line[i + len(run) : close.start()]
                    out.append(run + re.sub(r"(?<!\\)\|", r"\\|", span) + run)
                    i = close.end()
                    continue
                out.append(run)
                i += len(run)
                continue
            out.append(line[i])
            i += 1
        lines[n] = "".join(out)
    return "\n".join(lines)


def separate_lists(text: str) -> str:
    """Python-Markdown (MkDocs) needs a blank line between a paragraph and a list; CommonMark does not.

    The same page must read the same in both engines, so MkDocs pages get that
    blank line wherever a top-level list directly follows a line of text.
    """
    lines = text.split("\n")
    before = sorted(
        {t.map[0] for t in _parser().parse(text) if t.type in ("bullet_list_open", "ordered_list_open") and t.level == 0 and t.map},
        reverse=True,
    )
    for line in before:
        if line > 0 and lines[line - 1].strip():
            lines.insert(line, "")
    return "\n".join(lines)


_PLAIN = re.compile(r"^[A-Za-z0-9][\w .,()/&+–—-]*$")
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n", "~"}


def yaml_scalar(value: object, flow: bool = False) -> str:
    """A YAML value: plain where YAML reads it back unchanged, JSON-quoted otherwise.

    `flow` is for values inside `{...}` or `[...]`, where a comma ends the value.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    plain = _PLAIN.match(text) and text.lower() not in _YAML_WORDS and ": " not in text
    if plain and not re.fullmatch(r"[\d.:eE+-]+", text) and not (flow and "," in text):
        return text
    return json.dumps(text, ensure_ascii=False)


def mermaid_label(text: str) -> str:
    """Text inside a quoted mermaid label: quotes and markup as entity codes."""
    out = []
    for ch in " ".join(text.split()):
        if ch in '"#<>{}[]()|`;':
            out.append(f"#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)
