"""Targets: Docusaurus 3. A docs tree with front matter and `_category_.json` per folder, made to be a guest.

The tree is meant to drop into a site the consultancy already has (at
`docs/operations/`, say): it claims no route outside its own folder, labels its
folder in the host's sidebar, adds no tags to the host's tag pages unless asked
(and then under `ops/`), and says what the host's configuration still needs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2

from ..escape import MARKDOWN_TEXT, Escaper, table_code_pipes
from ..model.site import Site
from ..pages import Page, Plan, RenderContext
from ..project import BuildOptions
from . import Engine, EngineOption, register, render_pages, write_front_matter

TAG_PREFIX = "ops/"


def render(plan: Plan, env: jinja2.Environment, context: RenderContext, options: BuildOptions, site: Site) -> dict[str, bytes]:
    def head(page: Page) -> str:
        return write_front_matter(
            [
                ("sidebar_position", page.position),
                ("title", guard_script(page.title)),
                ("description", page.description and guard_script(page.description)),
                ("tags", [guard_script(TAG_PREFIX + tag) for tag in page.tags] if options.option("tags") else None),
            ]
        )

    written = {page.path for page in plan.pages if page.template is None}  # hand-written: as they are
    files = {path: data if path in written else _gfm_tables(data) for path, data in render_pages(plan, env, head, context).items()}
    folders = dict(plan.folders)
    if "index.md" in files:  # the tree's own root: its label in the host's sidebar and breadcrumbs
        files["_category_.json"] = _category(str(options.option("label") or site.site.title), None)
    for path in sorted(folders):
        files[f"{path}/_category_.json"] = _category(folders[path].label, folders[path].position)
    return files


def _gfm_tables(data: bytes) -> bytes:
    return table_code_pipes(data.decode("utf-8")).encode("utf-8")


def _category(label: str, position: int | None) -> bytes:
    category: dict[str, Any] = {"label": label}
    if position is not None:
        category["position"] = position
    return (json.dumps(category, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def callout(kind: str, title: str, body: str) -> str:
    """Docusaurus' admonition: `:::kind[title]`."""
    return f":::{kind}[{title}]\n\n{body}\n\n:::"


def folded(title: str, body: str) -> str:
    """HTML's `<details>`, which Docusaurus draws as its own collapsible block; Markdown inside stays Markdown."""
    return f"<details>\n<summary>{title}</summary>\n\n{body}\n\n</details>"


def anchored(anchor: str, text: str) -> str:
    """A level-5 heading with its own id: Docusaurus' link checker knows a heading's id (not a raw HTML anchor's),
    and its table of contents stops at level 3. The braces are escaped, as Docusaurus itself escapes `{#id}` before
    MDX reads it (MDX would take it for an expression), so both formats give the heading that id."""
    return f"##### {text} \\{{#{anchor}\\}}"


def guard_script(text: str) -> str:
    """Keep a front matter value from closing a <script> element.

    Docusaurus 3.10 writes page titles unescaped into the JSON-LD breadcrumb
    script of every page, so a title containing `</script><script>...` would
    run as code. An invisible word joiner after each `<` breaks every tag the
    HTML parser could see there, while the title still reads as written.
    """
    return text.replace("<", "<\u2060")


CONFIG_NAMES = ("docusaurus.config.js", "docusaurus.config.ts", "docusaurus.config.mjs", "docusaurus.config.cjs",
                "docusaurus.config.mts", "docusaurus.config.cts")
MERMAID_HOW = (
    "diagrams need Docusaurus' mermaid theme: run 'npm install @docusaurus/theme-mermaid' in {site}, "
    "then add  markdown: {{mermaid: true}},  and  themes: ['@docusaurus/theme-mermaid'],  to {config}; "
    "until then every diagram shows as its source"
)


def host_config(out_dir: Path) -> Path | None:
    """The configuration of the Docusaurus site the tree is written into, if it is inside one."""
    for folder in [out_dir, *out_dir.parents]:
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
    return None


def host_warnings(out_dir: Path) -> list[str]:
    """What the host site still needs for the pages to show as meant (read from its config, never changed)."""
    config = host_config(out_dir)
    if config is None:
        return []
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", config.read_text(encoding="utf-8", errors="replace"), flags=re.S)
    has_theme = "@docusaurus/theme-mermaid" in text
    has_flag = re.search(r"\bmermaid\s*:\s*true\b", text) is not None
    if has_theme and has_flag:
        return []
    return [MERMAID_HOW.format(site=config.parent, config=config.name)]


ENGINE = register(Engine(
    name="docusaurus",
    # MDX reads `<` and `{` as JSX and JavaScript, `~` as strikethrough, `&` as an entity.
    escaper=Escaper(
        text_map={**MARKDOWN_TEXT, **{c: "\\" + c for c in "<>{}~&"}},
        inline_map={"<": "\\<", "{": "\\{", "}": "\\}"},
        mdx=True,
    ),
    render=render,
    callout=callout,
    folded=folded,
    anchored=anchored,
    default_out="docusaurus/docs",
    help="a docs tree for a Docusaurus 3 site",
    host_warnings=host_warnings,
    options=(
        EngineOption("label", "Docusaurus: the tree's label in the host site's sidebar and breadcrumbs (default: the site title)."),
        EngineOption("tags", "Docusaurus: tag pages (client, runbook, severity), under 'ops/' apart from the host's tags.", flag=True),
    ),
))
