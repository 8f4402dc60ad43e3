"""The one rule for URLs that become links, and the links of a Markdown text.

Whatever a URL's source (the content, the client's monitoring files, a hand-written
page, an imported document), it becomes an `href` or `src` only when it is an
`http`, `https` or `mailto` URL or a relative link. Anything else (`javascript:`,
`data:`, `vbscript:`, `file:` ...) is shown as text. The scheme is read as a
browser would read it: entities decoded, and the tabs, line breaks and control
characters that browsers drop taken out first.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http", "https", "mailto")
URL_RULE = "only http, https and mailto URLs and relative links become links"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DROPPED = re.compile(r"[\x00-\x20\x7f\\]")  # what a browser ignores in a scheme, and Markdown's escapes
# A relative link in Markdown: `](path#fragment)`, not a URL with a scheme, an anchor alone or a path from the root.
_RELATIVE_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#|/)([^)\s]+?)(#[^)\s]*)?\)")
_HTML_URL = re.compile(r"""\b(?:href|src|action|formaction|poster|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in `url`, lower case; None for a relative link."""
    text = _DROPPED.sub("", html.unescape(url))
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


def is_safe_url(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable("table")
    parser.validateLink = lambda url: True  # every link, so that an unsafe one is seen, not silently made text
    return parser


def markdown_links(markdown: str) -> Iterator[tuple[int, str, str]]:
    """(line, kind, url) of every link, image and URL attribute of raw HTML in `markdown`, outside code.

    `line` is 0-based in `markdown`; `kind` is 'link', 'image' or 'html'.
    """
    lines = markdown.split("\n")
    for token in _parser().parse(markdown):
        if token.type == "html_block" and token.map:
            yield from ((token.map[0], "html", url) for url in html_urls(token.content))
        if token.type != "inline" or not token.map:
            continue
        for child in token.children or []:
            if child.type in ("link_open", "image"):
                url = str(child.attrs.get("href" if child.type == "link_open" else "src", ""))
                line = next((n for n in range(*token.map) if url in lines[n]), token.map[0])
                yield line, "image" if child.type == "image" else "link", url
            elif child.type == "html_inline":
                yield from ((token.map[0], "html", url) for url in html_urls(child.content))


def html_urls(fragment: str) -> list[str]:
    """The values of the URL attributes (href, src, ...) in a piece of HTML."""
    return [next(g for g in m.groups() if g is not None) for m in _HTML_URL.finditer(fragment)]


def unsafe_urls(markdown: str) -> list[str]:
    """The URLs of `markdown` that would become links and must not."""
    return [url for _, _, url in markdown_links(markdown) if not is_safe_url(url)]


def unsafe_message(url: str) -> str:
    return f"a link to '{url}': {URL_RULE}"


def rewrite_relative_links(markdown: str, page: str, fix: Callable[[str, str, str], str | None]) -> str:
    """Every relative link of the Markdown of the docs page `page` (a path such as `engagements/x/index.md`):
    `fix(target, written, fragment)` gets the target as a path from the docs root, the link as written and its
    `#fragment` (or ""), and gives the new destination, or None to leave the link as it is."""
    folder = posixpath.dirname(page)

    def replace(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(folder, match.group(1)))
        new = fix(target, match.group(1), match.group(2) or "")
        return match.group(0) if new is None else f"]({new})"

    return _RELATIVE_LINK.sub(replace, markdown)


def relative_path(target: str, folder: str) -> str:
    """The path from `folder` to `target`, both from the docs root (POSIX)."""
    return posixpath.relpath(target or ".", folder or ".")
