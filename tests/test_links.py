"""The one rule for links (generator/links.py): only http, https, mailto and relative URLs become links, whatever
their source; anything else shows as text. Checked through the real Markdown parsers of both engines' dialects."""

from __future__ import annotations

import markdown as python_markdown
import pytest
from markdown_it import MarkdownIt

from generator.links import is_safe_url, url_scheme
from generator.render import link
from generator.targets import get_engine
from tests.hostile import HOSTILE_URLS, _Urls


@pytest.mark.parametrize("url, scheme", [
    ("https://example.com/a", "https"), ("http://x", "http"), ("mailto:ops@example.com", "mailto"),
    ("../runbooks/x.md", None), ("#anchor", None), ("/abs/path", None), ("foo/bar:baz", None),
    ("javascript:alert(1)", "javascript"), ("JaVaScRiPt:alert(1)", "javascript"), (" \tjavascript:x", "javascript"),
    ("jav&#x61;script:x", "javascript"), ("javascript&colon;x", "javascript"), ("java\nscript:x", "javascript"),
    ("data:text/html,x", "data"), ("vbscript:x", "vbscript"), ("file:///etc/passwd", "file"),
])
def test_the_scheme_a_browser_sees(url: str, scheme: str | None) -> None:
    assert url_scheme(url) == scheme
    assert is_safe_url(url) == (scheme in (None, "http", "https", "mailto"))


def _hrefs(html: str) -> list[str]:
    parser = _Urls()
    parser.feed(html)
    return parser.urls


SAMPLES = [
    "see [the page](URL) now",
    "an image ![graph](URL)",
    "in angle brackets [x](<URL>)",
    "[ref][r] and then\n\n[r]: URL",
    "a line break inside [x](\nURL)",
]


@pytest.mark.parametrize("engine", ["mkdocs", "docusaurus"])
@pytest.mark.parametrize("url", [u for u in HOSTILE_URLS if "\t" not in u])
@pytest.mark.parametrize("sample", SAMPLES)
def test_an_unsafe_link_in_markdown_is_text_in_both_dialects(engine: str, url: str, sample: str) -> None:
    """Content is refused at `check`; this is the second line of defence, for values that reach a page anyway."""
    escaper = get_engine(engine).escaper
    out = escaper.markdown(sample.replace("URL", url))
    rendered = [python_markdown.markdown(out), MarkdownIt("commonmark").render(out)]
    for html in rendered:
        assert [u for u in _hrefs(html) if not is_safe_url(u)] == [], html
    if "<URL>" not in sample:  # a safe URL in the same place stays a link (MDX escapes the angle brackets)
        safe = escaper.markdown(sample.replace("URL", "https://example.com/x"))
        assert all("https://example.com/x" in _hrefs(html) for html in (python_markdown.markdown(safe), MarkdownIt("commonmark").render(safe)))


@pytest.mark.parametrize("engine", ["mkdocs", "docusaurus"])
def test_an_unsafe_autolink_is_text(engine: str) -> None:
    out = get_engine(engine).escaper.inline("open <javascript:alert(1)> or <https://example.com>")
    html = MarkdownIt("commonmark").render(out)
    assert _hrefs(html) == ["https://example.com"]
    assert "javascript:alert(1)" in html


def test_the_link_filter_shows_an_unsafe_url_as_code() -> None:
    escaper = get_engine("mkdocs").escaper
    assert link(escaper, "elsewhere", "javascript:alert('rb')") == "elsewhere (`javascript:alert('rb')`)"
    assert link(escaper, "data:x", "data:x") == "`data:x`"
    assert link(escaper, "Runbook", "https://wiki.example/rb") == "[Runbook](https://wiki.example/rb)"
    assert link(escaper, "Next", "../delivery/pricing.md") == "[Next](../delivery/pricing.md)"


@pytest.mark.parametrize("field", ["inline", "markdown"])
def test_an_escaped_angle_bracket_is_text_in_python_markdown(field: str) -> None:
    """`\\<` is an escape in CommonMark, not in Python-Markdown, which would pass `<img …>` on as HTML: MkDocs gets
    it as `&lt;`, and both parsers show the same text ('**\\<START OF OUTAGE>**' in Flutter's post-mortems)."""
    value = "**\\<START OF OUTAGE>** and \\<img src=x onerror=alert(1)>"
    out = getattr(get_engine("mkdocs").escaper, field)(value)
    for html in (python_markdown.markdown(out), MarkdownIt("commonmark").render(out)):
        assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html, html
        assert "<strong>&lt;START OF OUTAGE&gt;</strong>" in html, html
    assert "<img src" in python_markdown.markdown(value)  # what Python-Markdown makes of the value as written
