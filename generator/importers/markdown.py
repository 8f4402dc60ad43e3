"""Import: a Markdown document as its title and its sections, each section's content as steps, code and the rest.

A section is what stands under a heading. Its content is read with markdown-it,
so what a document means is what is kept: a paragraph or a list item becomes
one line of inline Markdown (a step, a symptom, an action), a fenced or
indented code block stays code, and what is neither (a table, raw HTML, a
quote) is kept as Markdown as written. Reference-style links are resolved, so
a line keeps its links wherever it lands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from ..model.handwritten import read_front_matter

_MARKER = re.compile(r"^\s*(?:>\s*)*(?:(?:[-*+]|\d{1,9}[.)])(?:\s+|$))?")
_REFERENCE = re.compile(r"\[([^\]]+)\]\[([^\]]*)\]")
# `<details>`, `<summary>...</summary>` and `</details>` alone in an HTML block: GitHub's collapsed sections.
_DETAILS = re.compile(r"(?:\s*</?details[^>]*>|\s*<summary>.*?</summary>|\s*</?summary>)+\s*", re.S | re.I)
_COMMENT = re.compile(r"(?:\s*<!--.*?-->)+\s*", re.S)
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.S | re.I)
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$")


@dataclass
class Piece:
    """One part of a section: `line` text (inline Markdown), `code` (with its `lang`), or `block` Markdown."""

    kind: str
    text: str
    lang: str = ""
    line: int = 0  # 1-based, in the document


@dataclass
class Section:
    heading: str
    level: int
    line: int
    pieces: list[Piece] = field(default_factory=list)

    def markdown(self) -> str:
        """The section's content as Markdown again (lines as paragraphs, code fenced, blocks as written)."""
        out = []
        for piece in self.pieces:
            if piece.kind == "code":
                fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", piece.text)), default=0) + 1)
                out.append(f"{fence}{piece.lang}\n{piece.text}\n{fence}")
            else:
                out.append(piece.text)
        return "\n\n".join(out)

    def lines(self) -> list[str]:
        return [p.text for p in self.pieces if p.kind == "line"]


@dataclass
class Document:
    title: str | None
    meta: dict
    sections: list[Section]  # the first one, with heading "", is what stands before any heading


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def read_markdown(text: str) -> Document:
    """The document's title (its front matter's `title`, else its first level-1 heading), and its sections."""
    import yaml

    meta_text, body_line, body_start = read_front_matter(text)
    try:
        meta = yaml.safe_load(meta_text) if meta_text.strip() else {}
    except yaml.YAMLError:
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    body = text[body_start:]
    env: dict = {}
    tokens = _parser().parse(body, env)
    references = {label: ref["href"] for label, ref in env.get("references", {}).items()}
    lines = body.split("\n")
    sections = [Section("", 0, body_line)]
    title = None
    depth = 0  # inside a list item or a quote: the pieces of its paragraphs are taken one by one
    i = 0
    while i < len(tokens):
        token = tokens[i]
        start = body_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open":
            heading = _resolve(tokens[i + 1].content, references).strip()
            level = int(token.tag[1])
            if level == 1 and title is None and not any(s.pieces for s in sections) and len(sections) == 1:
                title = heading
            else:
                sections.append(Section(heading, level, start))
            i += 3
            continue
        if token.type in ("bullet_list_open", "ordered_list_open", "list_item_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close", "list_item_close"):
            depth -= 1
        elif token.type == "paragraph_open" and token.map:
            source = lines[token.map[0]:token.map[1]]
            joined = " ".join(_MARKER.sub("", line, count=1) if n == 0 else line.strip() for n, line in enumerate(source))
            text_line = _resolve(joined.strip(), references)
            if text_line and not all(_DEFINITION.match(line) for line in source):
                sections[-1].pieces.append(Piece("line", text_line, line=start))
        elif token.type in ("fence", "code_block"):
            lang = token.info.strip().split()[0] if token.type == "fence" and token.info.strip() else ""
            sections[-1].pieces.append(Piece("code", token.content.rstrip("\n"), lang, start))
        elif token.type in ("table_open", "html_block", "blockquote_open", "hr") and token.map and depth == 0:
            end = _closing(tokens, i) if token.nesting == 1 else i
            block = "\n".join(lines[token.map[0]:token.map[1]]).strip("\n")
            sections[-1].pieces.extend(_block(token.type, block, references, start))
            i = end + 1
            continue
        i += 1
    given = meta.get("title") if isinstance(meta.get("title"), str) and meta["title"].strip() else None
    if given and title and title != given:  # the front matter names the page; its heading stays, as a heading
        sections.insert(1, Section(title, 1, body_line))
    return Document(given or title, meta, sections)


def _block(kind: str, block: str, references: dict[str, str], line: int) -> list[Piece]:
    """A table, quote or piece of HTML as written; an HTML comment is dropped (no engine shows it), and GitHub's
    `<details>`/`<summary>` wrapping keeps only its label."""
    if kind == "hr" or (kind == "html_block" and _COMMENT.fullmatch(block.strip())):
        return []
    if kind == "html_block" and _DETAILS.fullmatch(block.strip()):
        summary = _SUMMARY.search(block)
        return [Piece("line", f"**{summary.group(1).strip()}**", line=line)] if summary else []
    return [Piece("block", _resolve(block, references), line=line)]


def _closing(tokens, start: int) -> int:
    """The index of the token that closes the one at `start`."""
    level = 0
    for j in range(start, len(tokens)):
        level += tokens[j].nesting
        if level == 0:
            return j
    return len(tokens) - 1


def _resolve(text: str, references: dict[str, str]) -> str:
    """Reference-style links (`[text][1]`, `[text][]`) as inline ones, where their definition is known."""

    def inline(match: re.Match) -> str:
        label = (match.group(2) or match.group(1)).strip().lower()
        label = re.sub(r"\s+", " ", label)
        href = references.get(label.upper()) or references.get(label)
        return f"[{match.group(1)}]({href})" if href else match.group(0)

    return _REFERENCE.sub(inline, text)


def words(text: str) -> set[str]:
    """The words of a text (letters and digits, lower case): what an import must not lose."""
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}
