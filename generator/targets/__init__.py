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
from typing import TYPE_CHECKING, Any

from ..errors import OpsdocsError, did_you_mean
from ..plugins import ENGINES, load_modules

if TYPE_CHECKING:
    import jinja2

    from ..escape import Escaper
    from ..model.site import Site
    from ..pages import Page, Plan
    from ..project import BuildOptions, Project


@dataclass(frozen=True)
class Engine:
    """One output engine."""

    name: str  # also its template folder: templates/<name>/
    escaper: "Escaper"
    # The docs tree from the page plan: every page (with its front matter) and folder file, in memory.
    render: Callable[["Plan", "jinja2.Environment", dict[str, Any], "BuildOptions", "Site"], dict[str, bytes]]
    # How a callout box is written: (kind, title already escaped, body Markdown) → Markdown.
    callout: Callable[[str, str, str], str]
    default_out: str | None = None  # None: not a target of `opsdocs build` (the handover's pages)
    help: str = ""
    # Files the pages need from npm packages (mermaid), served from the site itself so it works offline.
    assets: Callable[["Project"], dict[str, bytes]] = field(default=lambda project: {})
    # Builds HTML from the written docs tree: (project, docs folder, site folder, plan, site.yaml, progress) → None.
    html: Callable[["Project", Path, Path, "Plan", "Site", Callable[[str], None]], None] | None = None
    # Where its output goes when no --out or --site-dir is given: (docs folder, HTML folder).
    locate: Callable[["Project"], tuple[Path, Path]] | None = None
    # What the site the output lands in still needs, as warnings (a host's missing mermaid theme).
    host_warnings: Callable[[Path], list[str]] = field(default=lambda out_dir: [])
    # HTML as one site per engagement (`build --split`): (project, docs folder, site folder, the rendered site,
    # the last build's site or None, the docs files changed since, audience, progress) → sites built.
    split_html: Callable[..., int] | None = None

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


def build_targets() -> list[str]:
    """The engines `opsdocs build --target` offers: those that write a docs tree."""
    return [name for name, engine in engines().items() if engine.default_out]


def get_engine(name: str) -> Engine:
    known = engines()
    if name not in known:
        raise OpsdocsError(f"no engine '{name}'", did_you_mean(name, known))
    return known[name]


def front_matter(fields: Iterable[tuple[str, Any]]) -> str:
    from ..escape import yaml_scalar

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


def render_pages(plan: "Plan", env: "jinja2.Environment", head: Callable[["Page"], str], context: dict[str, Any]) -> dict[str, bytes]:
    """Render every page: its front matter, then its template with `context` and the page's own data
    (a hand-written page is taken as it is).

    The first template error stops the build, located in its template.
    """
    import jinja2

    from ..render import template_error

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
