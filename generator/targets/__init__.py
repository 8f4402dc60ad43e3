"""Targets: the engine registry. Each module in this package is one engine and registers itself.

An engine owns everything that differs between MkDocs, Docusaurus and the
handover document: how content values are escaped, how a callout box is
written, how the page plan becomes files (front matter, folder files), which
files its pages need from npm packages, and, optionally, how HTML is built from
the written tree. Templates for it live in `templates/<name>/`, tried before
`templates/common/`. Nothing outside this package asks which engine it is.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import jinja2

from ..errors import OpsdocsError, did_you_mean
from ..escape import Escaper, yaml_scalar
from ..model.site import Site
from ..pages import Page, Plan, RenderContext
from ..plugins import ENGINES, load_modules
from ..project import BuildOptions, Project
from ..templating import TieredLoader, template_error

Progress = Callable[[str], None]


class Renderer(Protocol):
    """The docs tree from the page plan: every page (with its front matter) and folder file, in memory."""

    def __call__(self, plan: Plan, env: jinja2.Environment, context: RenderContext, options: BuildOptions,
                 site: Site) -> dict[str, bytes]: ...


class HtmlBuilder(Protocol):
    """HTML from the written docs tree, into the site folder."""

    def __call__(self, project: Project, docs_dir: Path, site_dir: Path, plan: Plan, site: Site, progress: Progress) -> None: ...


class SplitHtmlBuilder(Protocol):
    """HTML as one site per engagement (`build --split`); returns how many sites were built. `made` is the rendered
    site (pipeline.SiteRender), `previous` the last build's site (None: build all), `changed` the docs files changed."""

    def __call__(self, project: Project, docs_dir: Path, site_dir: Path, made: Any, previous: Path | None,
                 changed: set[str], audience: str, progress: Progress) -> int: ...


@dataclass(frozen=True)
class EngineOption:
    """An option of `opsdocs build` (and `serve`) that one engine reads as `options.option(name)`."""

    name: str  # the option is --<name>
    help: str  # begins with the engine's name: "Docusaurus: ..."
    flag: bool = False  # on or off; else it takes a value (TEXT)


@dataclass(frozen=True)
class Engine:
    """One output engine."""

    name: str  # also its template folder: templates/<name>/
    escaper: Escaper
    render: Renderer
    # How a callout box is written: (kind, title already escaped, body Markdown) → Markdown.
    callout: Callable[[str, str, str], str]
    default_out: str | None = None  # None: not a target of `opsdocs build` (the handover's pages)
    help: str = ""
    # Files the pages need from npm packages (mermaid), served from the site itself so it works offline.
    assets: Callable[[Project], dict[str, bytes]] = field(default=lambda project: {})
    html: HtmlBuilder | None = None
    # Where its output goes when no --out or --site-dir is given: (docs folder, HTML folder).
    locate: Callable[[Project], tuple[Path, Path]] | None = None
    # What the site the output lands in still needs, as warnings (a host's missing mermaid theme).
    host_warnings: Callable[[Path], list[str]] = field(default=lambda out_dir: [])
    split_html: SplitHtmlBuilder | None = None
    # Besides the content, templates and options, what its output depends on (its config files, its version): a
    # change to it means nothing from the last build is kept.
    memo_key: Callable[[Project], tuple] = field(default=lambda project: ())
    options: tuple[EngineOption, ...] = ()  # its own options of `opsdocs build`
    # How a block a reader opens is written (title already escaped, body Markdown); by default it is not folded.
    folded: Callable[[str, str], str] = field(default=lambda title, body: f"**{title}**\n\n{body}")
    # How a place a link can point to (#id) is written before a line of text (escaped): an HTML anchor by default.
    anchored: Callable[[str, str], str] = field(default=lambda anchor, text: f'<a id="{anchor}"></a>**{text}**')

    @property
    def template_folders(self) -> tuple[str, ...]:
        return (self.name, "common")


_REGISTRY: dict[str, Engine] = {}
_discovered = False


def register(engine: Engine) -> Engine:
    """Add an engine (an engine module calls this when it is imported)."""
    _REGISTRY[engine.name] = engine
    return engine


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def engines() -> dict[str, Engine]:
    """Every engine: the modules of this package and of the `opsdocs.engines` entry points (other packages'),
    imported once, and any registered since."""
    global _discovered
    if not _discovered:
        for module in sorted(info.name for info in pkgutil.iter_modules(__path__)):
            importlib.import_module(f"{__name__}.{module}")
        load_modules(ENGINES)
        _discovered = True
    return dict(sorted(_REGISTRY.items()))


def engine_options() -> list[EngineOption]:
    """Every engine's own options, once each by name."""
    found: dict[str, EngineOption] = {}
    for engine in engines().values():
        for option in engine.options:
            found.setdefault(option.name, option)
    return list(found.values())


def build_targets() -> list[str]:
    """The engines `opsdocs build --target` offers: those that write a docs tree."""
    return [name for name, engine in engines().items() if engine.default_out]


def get_engine(name: str) -> Engine:
    known = engines()
    if name not in known:
        raise OpsdocsError(f"no engine '{name}'", did_you_mean(name, known))
    return known[name]


def write_front_matter(fields: Iterable[tuple[str, Any]]) -> str:
    lines = ["---"]
    for key, value in fields:
        if value is None or value == () or value == []:
            continue
        if isinstance(value, (list, tuple)):
            lines.append(f"{key}:")
            lines.extend(f"  - {yaml_scalar(v)}" for v in value)
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def render_pages(plan: Plan, env: jinja2.Environment, head: Callable[[Page], str], context: RenderContext) -> dict[str, bytes]:
    """Render every page: its front matter, then its template with `context` and the page's own data
    (a hand-written page is taken as it is).

    The first template error stops the build, located in its template.
    """
    paths = [page.path for page in plan.pages]
    if len(set(paths)) != len(paths):
        twice = next(p for p in paths if paths.count(p) > 1)
        raise OpsdocsError(f"two pages would be written to the same path: {twice}")
    files = {}
    for page in plan.pages:
        if page.template is None:  # a hand-written page: as it is, front matter and all
            files[page.path] = page.context["text"].encode("utf-8")
            continue
        try:
            body = env.get_template(page.template).render({**context, **page.context, "page": page})
        except (jinja2.TemplateError, TypeError) as exc:  # a broken template (often an override), not bad data
            raise template_error(exc) from None
        files[page.path] = (head(page) + "\n" + body.strip("\n") + "\n").encode("utf-8")
    return files


def asset_files(tiers: list[Path], engine: str) -> dict[str, bytes]:
    """Static files shipped beside the templates (`<tier>/<engine>/assets/`), overridable like them."""
    files: dict[str, bytes] = {}
    for tier in reversed(tiers):  # later tiers first, so earlier ones override
        base = tier / engine / "assets"
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file():
                    files[path.relative_to(base).as_posix()] = path.read_bytes()
    return files


def template_sources(tiers: list[Path], project: Any, given: bool) -> list[tuple[str, str, str, str]]:
    """Every template each engine (and `opsdocs new`) uses: (engine, name, tier, file).

    The tier is '--templates' (the first tier when `given`), 'project' or 'shipped'.
    """
    labels: dict[Path, str] = {}
    for tier in tiers:
        label = "--templates" if given and tier == tiers[0] else ("project" if tier == project.root / "templates" else "shipped")
        labels.setdefault(tier.resolve(), label)
    labels[tiers[-1].resolve()] = "shipped"
    folders = [(name, engine.template_folders) for name, engine in engines().items()] + [("scaffold", ("scaffold",))]
    rows = []
    for engine, subfolders in folders:
        loader = TieredLoader(tiers, subfolders, project.rel)
        for name in loader.list_templates():
            index, path = loader.origin(name)  # type: ignore[misc]
            rows.append((engine, name, labels[loader.tiers[index]], project.rel(path)))
    return rows
