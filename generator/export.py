"""Export: one handover document per engagement, as CommonMark, self-contained HTML, or PDF.

The pages come from the pipeline like any site's, rendered by the `export`
engine (plain CommonMark); this module puts them together into one document.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from markdown_it import MarkdownIt

from .archive import handover_postmortems
from .audience import engagement_for
from .chromium import find_chromium, print_pdf, render_mermaid
from .compute import elapsed
from .errors import OpsdocsError
from .history import Changes, changes_since, listed, resolve
from .i18n import Language, language
from .links import rewrite_relative_links
from .model import EngagementData
from .model.kinds import KIND
from .model.site import Site
from .pages import Page, Plan
from .pipeline import read_content, render_site, site_address
from .project import PAPERS, BuildOptions, Project
from .targets import get_engine
from .targets.mkdocs.nav import url_of

_FENCE = re.compile(r"^```mermaid\n(.*?)\n```$", re.M | re.S)


@dataclass(frozen=True)
class HandoverSection:
    page: Page
    anchor: str
    level: int  # 1 for the engagement's own pages, 2 for each runbook and post-mortem

    def title(self, lang: Language) -> str:
        # The overview page is headed with the engagement's title, which is the document's title here.
        return lang.gettext("Overview") if self.anchor == "overview" else self.page.title


def sections_of(plan: Plan, engagement_id: str) -> list[HandoverSection]:
    """The handover's parts in reading order: overview, operate, runbooks, post-mortems, terms."""
    base = f"engagements/{engagement_id}/"
    sections = []
    for page in plan.pages:
        if not page.path.startswith(base):
            continue
        rel = page.path[len(base):-3]
        anchor = "overview" if rel == "index" else rel.replace("/index", "").replace("/", "-")
        sections.append(HandoverSection(page, anchor, 2 if "/" in rel and not rel.endswith("/index") else 1))
    return sections


def _shift_headings(markdown: str, by: int) -> str:
    """Every ATX heading `by` levels deeper (outside code, found by markdown-it)."""
    lines = markdown.split("\n")
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "heading_open" and token.map and token.markup.startswith("#"):
            line = token.map[0]
            lines[line] = "#" * by + lines[line]
    return "\n".join(lines)


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def assemble(data: EngagementData, consultancy: str, plan: Plan, pages: dict[str, bytes], as_of: date, lang: Language,
             changes: "Changes | None" = None, full: set[str] | None = None,
             link: Callable[[str], str | None] = lambda path: None) -> str:
    """The handover as one CommonMark document: title page, contents, then every part in order, in `lang`; with
    `changes`, what changed since an earlier revision comes first. With `full`, only those post-mortems are there
    in full, and the others in one table at the end (linked to the published site where `link` knows its address)."""
    e = data.engagement
    folder = KIND["incident"].page_dir(f"engagements/{data.id}") + "/"
    summarised = [p for p in plan.pages if p.path.startswith(folder) and not p.path.endswith("/index.md")
                  and full is not None and p.path[len(folder):-3] not in full]
    sections = [s for s in sections_of(plan, data.id) if s.page not in summarised]
    anchors = {s.page.path: s.anchor for s in sections}
    text = get_engine("export").escaper.text
    provider = e.provider.name or consultancy
    _ = lang.gettext
    end = lang.date(e.period.end) if e.period.end else _("open-ended")
    rows = [
        (_("Handover"), _("Details")), ("---", "---"),
        (_("Client"), text(e.client.name)), (_("System"), text(e.system.name)), (_("Provider"), text(provider)),
        (_("Period"), text(f"{lang.date(e.period.start)} – {end}")), (_("As of"), text(lang.date(as_of))),
    ]
    latest = e.handover.latest_acceptance() if e.handover else None
    if latest:
        accepted = _("version %(version)s on %(date)s by %(by)s")
        rows.append((_("Accepted"), text(accepted % {"version": latest.version, "date": lang.date(latest.date), "by": latest.accepted_by})))
    out = [f"# {text(data.title)}", "", '<div class="title-page">', "", text(_("Operations handover")), ""]
    out += [f"| {label if label == '---' else text(label)} | {value} |" for label, value in rows]
    out += ["", "</div>", "", "## " + text(_("Contents")), ""]
    number = 0
    if changes is not None:
        number += 1
        out.append(f"{number}. [{text(changes_title(changes, lang))}](#changes)")
    for s in sections:
        if s.level == 1:
            number += 1
            out.append(f"{number}. [{text(s.title(lang))}](#{s.anchor})")
        else:
            out.append(f"    - [{text(s.title(lang))}](#{s.anchor})")
    if summarised:
        number += 1
        earlier = text(_("Earlier post-mortems"))
        out.append(f"{number}. [{earlier}](#earlier-postmortems)")
    if changes is not None:
        out += ["", '<a id="changes"></a>', "", changes_section(changes, lang, anchors, data.id)]
    for s in sections:
        body = _strip_front_matter(pages[s.page.path].decode("utf-8")).strip("\n")
        body = _rewrite_links(body, s.page.path, anchors)
        if s.anchor == "overview":
            body = re.sub(r"\A# .*", lambda _m: f"# {text(s.title(lang))}", body)
        body = _shift_headings(body, s.level)  # the document's title is the only level-1 heading
        out += ["", f'<a id="{s.anchor}"></a>', "", body]
    if summarised:
        out += ["", '<a id="earlier-postmortems"></a>', "", earlier_section(data, [p.path for p in summarised], folder, lang, link)]
    return "\n".join(out).rstrip("\n") + "\n"


def earlier_section(data: EngagementData, paths: list[str], folder: str, lang: Language, link: Callable[[str], str | None]) -> str:
    """The post-mortems not in the handover in full: one row each, newest first, linked to the site where it is
    published."""
    text, _ = get_engine("export").escaper.text, lang.gettext
    out = ["## " + text(_("Earlier post-mortems")), "",
           text(_("The post-mortems before this handover's period, in brief; the site has each in full.")), "",
           "| " + " | ".join(text(_(h)) for h in ("Date", "Post-mortem", "Severity", "Time to resolve")) + " |",
           "| --- | --- | --- | ---: |"]
    for path in sorted(paths, key=lambda p: (data.incidents[p[len(folder):-3]].date, p), reverse=True):
        incident = data.incidents[path[len(folder):-3]]
        url = link(path)
        title = f"[{text(incident.title)}]({url})" if url else text(incident.title)
        took = elapsed(incident.started_at, incident.resolved_at)
        out.append(f"| {text(lang.date(incident.date))} | {title} | {text(incident.severity)} | {text(lang.duration(took)) if took else '—'} |")
    return "\n".join(out)


def changes_title(changes: "Changes", lang: Language) -> str:
    return lang.gettext("Changes since %(revision)s") % {"revision": changes.since.asked}


def changes_section(changes: "Changes", lang: Language, anchors: dict[str, str], eid: str) -> str:
    """The "Changes since" section: documents added, changed or removed, parts of the plan changed, new action items."""
    escaper, _ = get_engine("export").escaper, lang.gettext
    text = escaper.text
    since = changes.since
    out = [f"## {text(changes_title(changes, lang))}", "",
           text(_("Compared with commit %(commit)s of %(date)s.") % {"commit": since.commit[:10], "date": lang.date(since.day)})]
    if changes.empty:
        return "\n".join(out + ["", text(_("Nothing in this handover changed since then."))])
    for kind, folder, title in ((k.name, k.page_folder, _(k.label)) for k in listed()):
        rows = [(_("added"), ident, name) for ident, name in changes.added[kind]]
        rows += [(_("changed"), ident, name) for ident, name in changes.changed[kind]]
        rows += [(_("removed"), None, name) for _ident, name in changes.removed[kind]]
        if rows:
            out += ["", "### " + text(title), "", "| " + text(_("Change")) + " | " + text(_("Document")) + " |", "| --- | --- |"]
            for what, ident, name in rows:
                anchor = anchors.get(f"engagements/{eid}/{folder}/{ident}.md") if ident else None
                out.append(f"| {text(what)} | {f'[{text(name)}](#{anchor})' if anchor else text(name)} |")
    if changes.parts:
        out += ["", "### " + text(_("Operate plan, terms and handover")), "", text(_("These parts were changed:")), ""]
        out += [f"- {text(_(part))}" for part in changes.parts]
    if changes.actions:
        header = [text(_("Action")), text(_("Owner")), text(_("Due")), text(_("From"))]
        out += ["", "### " + text(_("New action items")), "", "| " + " | ".join(header) + " |", "| --- | --- | --- | --- |"]
        for iid, item in changes.actions:
            anchor = anchors.get(KIND["incident"].page_dir(f"engagements/{eid}") + f"/{iid}.md")
            due = lang.date(item.due) if item.due else "—"
            out.append(f"| {escaper.inline(item.do)} | {text(item.owner)} | {text(due)} | "
                       f"{f'[{text(iid)}](#{anchor})' if anchor else text(iid)} |")
    return "\n".join(out)


def _rewrite_links(markdown: str, page_path: str, anchors: dict[str, str]) -> str:
    """Links between pages become links within the document; links out of it become plain text."""
    rewritten = rewrite_relative_links(markdown, page_path, lambda target, written, fragment: f"#{anchors[target]}"
                                       if target in anchors else None)
    # A link to a page outside the handover keeps its text only.
    return re.sub(r"\[([^\]]*)\]\((?![#a-z]+:|#)[^)\s]+\.md(#[^)\s]*)?\)", r"\1", rewritten)


def diagram_sources(markdown: str) -> list[str]:
    return [m.group(1) for m in _FENCE.finditer(markdown)]


def page_footer(lang: Language) -> str:
    """The printed page's footer, `Page 1 of 20` in the document's language, as CSS."""
    parts = re.split(r"%\((page|pages)\)s", lang.gettext("Page %(page)s of %(pages)s"))
    pieces = [f"counter({part})" if n % 2 else '"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"'
              for n, part in enumerate(parts) if part or n % 2]
    return f"@page {{ @bottom-center {{ content: {' '.join(pieces)}; }} }}"


def to_html(markdown: str, title: str, css: str, svgs: list[str], paper: str, lang: Language) -> str:
    """A self-contained HTML document: styles inline, diagrams as inline SVG, no script, no network."""
    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    drawn = iter(svgs)

    def fence(self, tokens, idx, options, env):  # mermaid fences become their drawn SVG
        token = tokens[idx]
        if token.info.strip() == "mermaid":
            return f'<figure class="diagram">{next(drawn)}</figure>\n'
        return default_fence(tokens, idx, options, env)

    default_fence = parser.renderer.rules["fence"]
    parser.add_render_rule("fence", fence)
    body = parser.render(markdown)
    page = f"@page {{ size: {PAPERS[paper]}; }}"
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang.html)}">\n<head>\n<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>\n{page_footer(lang)}\n{css}\n{page}\n</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def _site_links(project: Project, site: Site) -> Callable[[str], str | None]:
    """A page's address on the published site, or None where the site has no address."""
    site_url, directory = site_address(project, site)
    return lambda path: site_url + url_of(path, directory) if site_url else None


def handover_css(templates_dirs: list[Path]) -> str:
    """The export's stylesheet: the first `export/handover.css` in the template tiers."""
    for tier in templates_dirs:
        path = tier / "export" / "handover.css"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def export_handover(project: Project, engagement: str, fmt: str, options: BuildOptions, paper: str = "a4",
                    chromium: str | None = None, progress: Callable[[str], None] = lambda line: None,
                    since: str | None = None, postmortems: str | None = None) -> bytes:
    """One engagement's handover document as Markdown, HTML or PDF bytes; with `since` (a git revision, a date,
    `last-acceptance` or `last-publish`), what changed since then comes first. `postmortems` (`all`, `since DATE`,
    `last N`) chooses the post-mortems in full (archive.handover_postmortems)."""
    options = replace(options, engagement=engagement)
    made = render_site(project, "export", options)
    data = read_content(project, only={engagement}).content.engagements[engagement]
    changes = None
    if since is not None:
        found = resolve(project.root, since, data)
        progress(f"export: comparing with {found.commit[:10]} ({found.day.isoformat()})")
        folder = project.content_dir / "engagements" / engagement
        changes = changes_since(project.root, folder, found, data, engagement_for(data, options.audience))
    lang = language(made.parts[engagement].language)
    as_of = made.parts[engagement].as_of
    full = handover_postmortems(data, as_of, postmortems)
    markdown = assemble(data, made.site.consultancy.name, made.plan, made.files, as_of, lang, changes, full,
                        _site_links(project, made.site))
    if fmt == "md":
        return markdown.encode("utf-8")
    browser = find_chromium(chromium)
    sources = diagram_sources(markdown)
    mermaid = project.mermaid_js()
    if sources and mermaid is None:
        raise OpsdocsError("mermaid is needed to draw the diagrams, and this opsdocs has no copy of it",
                           "reinstall opsdocs (pip install --force-reinstall opsdocs), or put mermaid in the project with 'npm install mermaid'")
    progress(f"export: drawing {len(sources)} diagrams in Chromium")
    svgs = render_mermaid(browser, mermaid, sources) if sources else []
    document = to_html(markdown, data.title, handover_css(project.template_tiers(options.templates)), svgs, paper, lang)
    if fmt == "html":
        return document.encode("utf-8")
    progress("export: printing the PDF in Chromium")
    return print_pdf(browser, document)
