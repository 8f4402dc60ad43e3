"""Lint (`check --strict`): problems in valid content that a reader would still see. Pure functions."""

from __future__ import annotations

import difflib
import posixpath
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from .alerting import alert_views, chain_gaps
from .compute import engagement_newest_date, review_every, reviews_due
from .errors import Problem
from .links import markdown_links, relative_path
from .lint_steps import lint_steps
from .model import Content, EngagementData
from .model.handwritten import read_front_matter
from .model.site import Site
from .model.types import MarkdownText
from .pages import plan_site
from .parse import Document
from .project import EPOCH

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ENCODINGS = ("cp1252", "latin-1", "mac_roman")


def find_mojibake(text: str) -> list[tuple[str, str]]:
    """Garbled runs and what they meant: UTF-8 that was read as Windows-1252, Latin-1 or Mac Roman."""
    found = []
    for run in _NON_ASCII_RUN.findall(text):
        for encoding in _ENCODINGS:
            try:
                meant = run.encode(encoding).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            if meant != run:
                found.append((run, meant))
                break
    return found


def unbalanced_fence(markdown: str) -> bool:
    opened: str | None = None
    for line in markdown.split("\n"):
        match = _FENCE_LINE.match(line)
        if not match:
            continue
        marker = match.group(1)
        if opened is None:
            opened = marker
        elif marker[0] == opened[0] and len(marker) >= len(opened) and not line.strip()[len(marker):].strip():
            opened = None
    return opened is not None


def _values(model: Any, loc: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from _values(getattr(model, name), loc + (name,))
    elif isinstance(model, list):
        for i, item in enumerate(model):
            yield from _values(item, loc + (i,))
    elif isinstance(model, str):
        yield loc, model


def lint_document(doc: Document, model: BaseModel, page_folder: str, pages: set[str]) -> Iterator[Problem]:
    for loc, value in _values(model):
        garbled = find_mojibake(value)
        if garbled:
            bad, meant = garbled[0]
            yield doc.error(loc, f"'{bad}' looks like garbled text (UTF-8 read with the wrong encoding)",
                            f"it probably should be '{meant}'; re-copy the text from its source")
        if not isinstance(value, MarkdownText):
            continue
        if unbalanced_fence(value):
            yield doc.error(loc, "a code fence (``` or ~~~) is opened here and never closed", "add the closing fence line")
        for _, _, href in markdown_links(value):
            if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", href) or not href.split("#")[0].endswith(".md"):
                continue
            target = posixpath.normpath(posixpath.join(page_folder, href.split("#")[0]))
            if target not in pages:
                yield doc.error(loc, f"a link to a page that does not exist: {href}",
                                f"links are relative to {page_folder or 'the site root'}/; check the path")


def lint_handwritten(content: Content, files: set[str]) -> Iterator[Problem]:
    """Links and images in hand-written pages that lead nowhere in the site, at their line."""
    for path, page in sorted(content.pages.items()):
        _, body_line, body_start = read_front_matter(page.text)
        folder = path.rpartition("/")[0]
        for line, kind, href in markdown_links(page.text[body_start:]):
            if kind == "html":
                continue
            target = href.split("#")[0].split("?")[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:|^/", target):
                continue
            resolved = posixpath.normpath(posixpath.join(folder, target))
            if resolved not in files:
                what = "page" if target.endswith(".md") else "file"
                near = difflib.get_close_matches(resolved, sorted(files), n=1, cutoff=0.6)
                hint = f"did you mean '{relative_path(near[0], folder)}'? " if near else ""
                yield Problem(page.rel, body_line + line, 0, f"a{'n' if kind == 'image' else ''} {kind} to a {what} that does not exist: {href}",
                              hint + "links are relative to the page's own folder in the site")


@dataclass(frozen=True)
class SiteUrls:
    """Where the site is published, and the address of every page and file the build writes there (relative to
    `site_url`): what a runbook_url into the site is checked against."""

    site_url: str  # ends with '/'
    urls: frozenset[str]

    def inside(self, url: str) -> str | None:
        """The part of `url` after the site's address, without query or fragment; None for a URL elsewhere."""
        if not url.startswith(self.site_url) and url.rstrip("/") + "/" != self.site_url:
            return None
        return url[len(self.site_url):].split("#")[0].split("?")[0]

    def resolves(self, path: str) -> bool:
        forms = {path, path.rstrip("/") + "/" if path else "", re.sub(r"(^|/)index\.html$", r"\1", path)}
        return bool(forms & self.urls)


def lint_runbook_urls(data: EngagementData, published: SiteUrls) -> list[Problem]:
    """An error for each rule whose runbook_url points into the published site at a page the build does not write."""
    folder = posixpath.dirname(data.sources[("engagement", "")].rel)
    found = []
    for rule in data.monitoring.alerts:
        path = published.inside(rule.runbook_url or "")
        if path is None or published.resolves(path):
            continue
        near = difflib.get_close_matches(path, sorted(published.urls), n=1, cutoff=0.6)
        hint = f"did you mean {published.site_url}{near[0]} ? " if near else ""
        found.append(Problem(f"{folder}/{rule.file}", rule.line, 0,
                             f"alert '{rule.name}': its runbook_url leads to no page of the site: {rule.runbook_url}",
                             hint + f"'opsdocs runbook-urls {data.id} --site-url {published.site_url} --write' points every alert "
                                    "that has a runbook at it"))
    return found


def unverified_runbook_urls(content: Content, published: SiteUrls | None) -> Counter:
    """The runbook_urls that point outside the site (so were not checked), counted by host."""
    hosts: Counter = Counter()
    for data in content.engagements.values():
        for rule in data.monitoring.alerts:
            if rule.runbook_url and (published is None or published.inside(rule.runbook_url) is None):
                hosts[urlsplit(rule.runbook_url).netloc or rule.runbook_url] += 1
    return hosts


def lint_content(content: Content, published: SiteUrls | None = None) -> list[Problem]:
    pages = {page.path for page in plan_site(content).pages}
    found: list[Problem] = list(lint_handwritten(content, pages | set(content.assets)))
    for kind, doc, model in content.documents():
        if model is not None:
            found += lint_document(doc, model, kind.page_dir(""), pages)
    for eid, data in content.engagements.items():
        for kind, doc, model in data.documents():
            if model is not None:
                found += lint_document(doc, model, kind.page_dir(f"engagements/{eid}"), pages)
        found += lint_alerting(data)
        found += lint_reviews(data, content.site)
        if published is not None:
            found += lint_runbook_urls(data, published)
    return found + lint_steps(content)


def lint_reviews(data: EngagementData, site: Site) -> list[Problem]:
    """A warning for each runbook past its review date, as of the engagement's newest date, at the line of the date
    the cycle counts from."""
    as_of = engagement_newest_date(data) or EPOCH
    found = []
    for rid, due in reviews_due(data, as_of, site).items():
        runbook = data.runbooks[rid]
        reviewed, tested = runbook.last_reviewed, runbook.last_tested
        key = "last_reviewed" if reviewed and (tested is None or reviewed >= tested) else "last_tested"
        found.append(data.sources[("runbook", rid)].error(
            (key,), f"runbook review due since {due.isoformat()} (as of {as_of.isoformat()})",
            f"read it through against the system, then set last_reviewed (it is due every {review_every(data, rid, site).days} days)",
            severity="warning"))
    return found


def lint_alerting(data: EngagementData) -> list[Problem]:
    """The chain from alert to person to runbook, as warnings where it breaks: alerts without a runbook, routes
    that reach nobody or only the default receiver, runbook_urls that lead nowhere, SLOs without burn-rate pages."""
    doc = data.sources[("engagement", "")]
    folder = posixpath.dirname(doc.rel)
    written = {a.id: i for i, a in enumerate(data.engagement.operate.monitor.alerts)}
    found = []
    views = alert_views(data)
    for view in views:
        if view.runbook or view.runbook_url:  # an opsdocs runbook, or one elsewhere
            continue
        if view.rule:
            found.append(Problem(f"{folder}/{view.rule.file}", view.rule.line, 0, f"alert '{view.name}' has no runbook",
                                 "list it in a runbook's 'alerts', or point its runbook_url at one", "warning"))
        elif view.key in written:
            found.append(replace(doc.error(("operate", "monitor", "alerts", written[view.key], "id"), f"alert '{view.name}' has no runbook",
                                           "set its 'runbook', or list it in a runbook's 'alerts'"), severity="warning"))
    for gap in chain_gaps(data, views):
        where = (f"{folder}/{gap.file}", gap.line) if gap.file else (doc.rel, 0)
        found.append(Problem(where[0], where[1], 0, f"{gap.subject}: {gap.what}", None, "warning"))
    return found
