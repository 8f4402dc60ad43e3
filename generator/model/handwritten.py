"""Model: hand-written pages (handbook/pages/**/*.md): their front matter read for a title and a place in the nav.

The page itself is written into every site exactly as it is; only what the
navigation needs is taken from it: `title` (else its first `# ` heading, else
its file name), and `nav_order` or `sidebar_position` for its place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..errors import Problem
from ..links import URL_RULE, is_safe_url, markdown_links, unsafe_message
from ..load import HandFile

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.S)
# Hand-written pages without an order of their own come after the handbook's sections, before the engagements.
DEFAULT_POSITION = 4


@dataclass(frozen=True)
class HandPage:
    path: str  # in the docs tree
    rel: str  # the file, for errors
    text: str
    title: str
    position: int
    body_line: int  # the line its Markdown starts on, after the front matter (1-based)


def read_front_matter(text: str) -> tuple[str, int, int]:
    """The front matter's YAML (empty without one), and where the body starts: its line (1-based) and offset."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return "", 1, 0
    return match.group(1) or "", text[: match.end()].count("\n") + 1, match.end()


def read_page(file: HandFile) -> tuple[HandPage | None, list[Problem]]:
    text = file.data.decode("utf-8")
    meta_text, body_line, body_start = read_front_matter(text)
    try:
        meta = yaml.safe_load(meta_text) if meta_text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1  # +1 for 1-based lines, +1 for the opening '---'
        return None, [Problem(file.rel, line, 0, f"the front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                              "front matter is YAML between two '---' lines at the top of the page")]
    if not isinstance(meta, dict):
        return None, [Problem(file.rel, 2, 0, "the front matter must be 'key: value' lines", "e.g. 'title: On-call guide'")]
    problems = list(_unsafe_links(file.rel, meta, meta_text, text[body_start:], body_line))
    position = DEFAULT_POSITION
    for key in ("nav_order", "sidebar_position"):
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(Problem(file.rel, _line_of(meta_text, key), 0, f"'{key}' must be a number (got '{value}')",
                                    "pages are ordered by this number, smallest first"))
        else:
            position = int(value)
            break
    title = meta.get("title") or first_heading(text[body_start:]) or _from_name(file.path)
    return HandPage(file.path, file.rel, text, str(title), position, body_line), problems


# Front matter keys whose values an engine turns into links (Docusaurus' `custom_edit_url`, a page's `image`).
_URL_KEY = re.compile(r"(url|href|link|image)$", re.I)


def _unsafe_links(rel: str, meta: dict, meta_text: str, body: str, body_line: int):
    """The page's links, images and URL-valued front matter that must not become links."""
    for key, value in meta.items():
        if isinstance(key, str) and _URL_KEY.search(key) and isinstance(value, str) and not is_safe_url(value):
            yield Problem(rel, _line_of(meta_text, key), 0, f"'{key}': {unsafe_message(value)}", "use an http(s) URL or a relative path")
    for line, _, url in markdown_links(body):
        if not is_safe_url(url):
            yield Problem(rel, body_line + line, 0, unsafe_message(url), f"{URL_RULE}; write the URL in `code` to show it")


def first_heading(markdown: str) -> str | None:
    """The text of the first level-1 heading (outside code), or None."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(markdown)
    for token, following in zip(tokens, tokens[1:]):
        if token.type == "heading_open" and token.tag == "h1":
            return following.content.strip() or None
    return None


def _line_of(meta_text: str, key: str) -> int:
    for n, line in enumerate(meta_text.split("\n"), start=2):
        if line.startswith(f"{key}:"):
            return n
    return 1


def _from_name(path: str) -> str:
    stem = path.rpartition("/")[2].removesuffix(".md")
    return stem.replace("-", " ").replace("_", " ").capitalize()


def read_pages(files: dict[str, HandFile]) -> tuple[dict[str, HandPage], list[Problem]]:
    """Every hand-written page, with its title and position; problems in front matter reported at their line."""
    pages: dict[str, HandPage] = {}
    problems: list[Problem] = []
    for path, file in files.items():
        if file.is_page:
            page, found = read_page(file)
            problems.extend(found)
            if page is not None:
                pages[path] = page
    return pages, problems
