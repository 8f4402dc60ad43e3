"""Targets: after an HTML build, every script, stylesheet and image a page loads must be in the built site.

A page that names `javascripts/mermaid.min.js` when the file is missing still
opens, but draws no diagram and logs a 404: no engine says so. This check
reads the built pages and fails the build naming each missing file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import OpsdocsError

# The tags whose URL the browser loads with the page: scripts, stylesheets (and icons, preloads), images.
_TAG = re.compile(r"<(script|link|img|source)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""\b(src|href|rel)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_LOADED_RELS = {"stylesheet", "icon", "shortcut", "preload", "modulepreload", "apple-touch-icon", "manifest"}


def loaded_urls(html: str) -> Iterable[str]:
    """The URLs a page loads by itself: `<script src>`, `<img src>`, `<source src>`, `<link href>` of a stylesheet or icon."""
    for match in _TAG.finditer(html):
        tag = match.group(1).lower()
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(match.group(2))}
        if tag == "link":
            if _LOADED_RELS & set(attrs.get("rel", "").lower().split()) and "href" in attrs:
                yield attrs["href"]
        elif "src" in attrs:
            yield attrs["src"]


def missing_assets(site_dir: Path, pages: Iterable[Path]) -> dict[str, list[str]]:
    """Each file of the site that a page in `pages` loads and that is not there, with the pages that load it."""
    missing: dict[str, list[str]] = {}
    seen: dict[str, bool] = {}
    for page in pages:
        rel_page = page.relative_to(site_dir).as_posix()
        folder = posixpath.dirname(rel_page)
        for url in loaded_urls(page.read_text(encoding="utf-8", errors="replace")):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
                continue  # elsewhere, or absolute on a host whose layout the site does not know
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
            if target not in seen:
                seen[target] = not target.startswith("../") and (site_dir / target).is_file()
            if not seen[target]:
                missing.setdefault(target, []).append(rel_page)
    return missing


def check_assets(site_dir: Path, pages: Iterable[Path] | None = None) -> None:
    """Fail with every missing file named (by default, the pages are all of `site_dir`)."""
    missing = missing_assets(site_dir, sorted(site_dir.rglob("*.html")) if pages is None else pages)
    if not missing:
        return
    shown = "; ".join(f"{path} (loaded by {len(by)} page{'s' if len(by) > 1 else ''}, e.g. {by[0]})"
                      for path, by in sorted(missing.items())[:5])
    more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
    hint = "list only files that exist under the docs folder in mkdocs.yml's extra_javascript, extra_css and theme"
    if any(path.endswith("mermaid.min.js") for path in missing):
        hint = ("opsdocs draws diagrams with the copy of mermaid its package carries: reinstall opsdocs "
                "(pip install --force-reinstall opsdocs), or put mermaid in the project with 'npm install mermaid'")
    raise OpsdocsError(f"the built site misses files its pages load: {shown}{more}", hint)
