"""Project: where things are (content, templates, outputs) and the options of one run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .plugins import TEMPLATES, paths

PACKAGE_DIR = Path(__file__).resolve().parent
# mermaid's browser build and its licence, copied from the pinned npm package into the wheel (hatch_build.py).
PACKAGED_MERMAID = PACKAGE_DIR / "vendor" / "mermaid" / "mermaid.min.js"

AUDIENCES = ("client", "internal")  # 'client' leaves out internal notes and items
EXPORT_FORMATS = ("md", "html", "pdf")
PAPERS = {"a4": "A4", "letter": "letter"}
# The as-of date when the content holds no date at all (nothing resolved, nothing tested yet).
EPOCH = date(1970, 1, 1)


def starter_dir() -> Path:
    """What `opsdocs init` copies: the handbook and mkdocs.yml, inside the wheel or from the checkout."""
    packaged = PACKAGE_DIR / "starter"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent


def default_templates_dir() -> Path:
    """The templates that ship with opsdocs: inside the wheel, or the checkout's templates/."""
    packaged = PACKAGE_DIR / "templates"
    return packaged if packaged.is_dir() else PACKAGE_DIR.parent / "templates"


@dataclass(frozen=True)
class Project:
    """The folders one opsdocs run works with, all absolute."""

    root: Path
    content_dir: Path

    @classmethod
    def at(cls, content: str | Path, root: Path | None = None) -> "Project":
        root = (root or Path.cwd()).resolve()
        return cls(root=root, content_dir=(root / content).resolve())

    def rel(self, path: Path) -> str:
        """A path as the user sees it: relative to the project root where possible."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @property
    def mkdocs_config(self) -> Path:
        return self.root / "mkdocs.yml"

    def template_tiers(self, extra: Path | None = None) -> list[Path]:
        """Template folders, first match wins: --templates, the project's templates/, those of other packages
        (`opsdocs.templates` entry points: a kind's or an engine's own), the shipped ones."""
        tiers = [extra.resolve()] if extra else []
        tiers.append(self.root / "templates")
        tiers.extend(paths(TEMPLATES).values())
        tiers.append(default_templates_dir())
        return tiers

    def mermaid_js(self) -> Path | None:
        """mermaid's browser build: the project's own npm package (a pinned version of the consultancy's wins), else
        the copy inside opsdocs' package (put there when the wheel is built), else this checkout's npm package."""
        npm = Path("node_modules", "mermaid", "dist", "mermaid.min.js")
        for mermaid in (self.root / npm, PACKAGED_MERMAID, PACKAGE_DIR.parent / npm):
            if mermaid.is_file():
                return mermaid
        return None

    def protected(self) -> list[Path]:
        """Folders an output folder may never be, or contain: the content, the project, the templates."""
        return [self.content_dir, self.root, self.root / "templates"]


@dataclass(frozen=True)
class BuildOptions:
    """The options of one build (or export, or preview)."""

    targets: tuple[str, ...] = ("mkdocs",)
    out: Path | None = None
    site_dir: Path | None = None
    html: bool = True
    engagement: str | None = None
    templates: Path | None = None
    audience: str = "client"
    as_of: date | None = None
    # The values of the engines' own options (targets.EngineOption: Docusaurus' --label and --tags), by name.
    engine_options: tuple[tuple[str, object], ...] = ()
    language: str | None = None  # every page in this language (default: each engagement's, else the site's)
    split: bool = False  # MkDocs: one site per engagement under engagements/<id>/ (also: `sites: per-engagement`)
    wait: bool = True  # when another opsdocs command writes the same folders: wait for it (else stop at once)

    def option(self, name: str, default: object = None) -> object:
        """An engine option's value (`options.option("label")`), or `default` when it was not given."""
        return dict(self.engine_options).get(name, default)
