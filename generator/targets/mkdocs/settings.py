"""Targets: the user's mkdocs.yml, read as MkDocs reads it, and what opsdocs' pages need added to it for a build.

What the user set wins: site name and URL, folders, theme, palette, features,
plugins, extensions, nav. opsdocs only adds what its pages cannot do without
(admonitions, tables, the mermaid fence, the local mermaid script and its
stylesheet), merged into the user's lists for the build, never written back.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...errors import OpsdocsError

MERMAID_JS = "javascripts/mermaid.min.js"
OPSDOCS_CSS = "stylesheets/opsdocs.css"
SUPERFENCES = "pymdownx.superfences"


@dataclass(frozen=True)
class Settings:
    """The user's mkdocs.yml, INHERIT merged and !ENV resolved; empty when there is none."""

    path: Path
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def docs_dir(self) -> Path:
        return (self.folder / str(self.values.get("docs_dir") or "docs")).resolve()

    def site_dir(self) -> Path:
        return (self.folder / str(self.values.get("site_dir") or "site")).resolve()

    @property
    def theme(self) -> str | None:
        theme = self.values.get("theme")
        return theme.get("name") if isinstance(theme, dict) else theme


def read_settings(path: Path) -> Settings:
    """mkdocs.yml as MkDocs itself reads it (its own loader: INHERIT, !ENV)."""
    if not path.is_file():
        return Settings(path)
    from mkdocs.exceptions import ConfigurationError
    from mkdocs.utils.yaml import yaml_load

    try:
        with path.open("rb") as handle:
            values = yaml_load(handle)
    except ConfigurationError as exc:
        raise OpsdocsError(f"{path.name}: {exc}") from None
    if not isinstance(values, dict):
        raise OpsdocsError(f"{path.name}: MkDocs settings must be 'key: value' lines")
    return Settings(path, values)


def config_files(path: Path) -> list[Path]:
    """mkdocs.yml and every file it INHERITs, nearest first (what a preview must watch)."""
    import yaml
    from mkdocs.utils.yaml import get_yaml_loader

    found: list[Path] = []
    while path.is_file() and path not in found:
        found.append(path)
        try:
            values = yaml.load(path.read_text(encoding="utf-8"), Loader=get_yaml_loader()) or {}
        except yaml.YAMLError:
            break
        parent = values.get("INHERIT") if isinstance(values, dict) else None
        if not parent:
            break
        path = (path.parent / str(parent)).resolve()
    return found


def _name(entry: Any) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def _mermaid_fence() -> dict[str, Any]:
    from pymdownx.superfences import fence_code_format

    return {"name": "mermaid", "class": "mermaid", "format": fence_code_format}


def _extensions(values: dict[str, Any], added: list[str]) -> list[Any]:
    """The user's markdown_extensions with admonition, pymdownx.details, tables and the mermaid fence added where
    missing."""
    given = values.get("markdown_extensions") or []
    extensions = [{k: v} for k, v in given.items()] if isinstance(given, dict) else list(given)
    names = [_name(e) for e in extensions]
    for needed in ("admonition", "pymdownx.details", "tables"):
        if needed not in names:
            extensions.append(needed)
            added.append(needed)
    if SUPERFENCES not in names:
        extensions.append({SUPERFENCES: {"custom_fences": [_mermaid_fence()]}})
        added.append(f"{SUPERFENCES} with the mermaid fence")
        return extensions
    index = names.index(SUPERFENCES)
    entry = extensions[index]
    options = dict(entry[SUPERFENCES] or {}) if isinstance(entry, dict) else {}
    fences = list(options.get("custom_fences") or [])
    if not any(isinstance(f, dict) and f.get("name") == "mermaid" for f in fences):
        options["custom_fences"] = [*fences, _mermaid_fence()]
        extensions[index] = {SUPERFENCES: options}
        added.append("the mermaid fence of pymdownx.superfences")
    return extensions


def _listed(values: dict[str, Any], key: str, item: str, added: list[str]) -> list[Any]:
    given = list(values.get(key) or [])
    paths = [entry.get("path") if isinstance(entry, dict) else entry for entry in given]
    if item not in paths:
        given.append(item)
        added.append(f"{key}: {item}")
    return given


def _mentioned(nav: Any) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, list):
        return set().union(*(_mentioned(item) for item in nav)) if nav else set()
    if isinstance(nav, dict):
        return set().union(*(_mentioned(item) for item in nav.values())) if nav else set()
    return set()


def _without(nav: Any, mentioned: set[str]) -> Any:
    """The generated nav less the pages the user's nav already lists; empty sections dropped."""
    if isinstance(nav, str):
        return None if nav in mentioned else nav
    if isinstance(nav, dict):
        kept = {k: v for k, v in ((k, _without(v, mentioned)) for k, v in nav.items()) if v not in (None, [])}
        return kept or None
    kept = [item for item in (_without(item, mentioned) for item in nav) if item not in (None, [])]
    return kept


def material_language(tag: str) -> str:
    """The language Material writes its own words in: the tag's region-specific one, else its language's, else English."""
    import material

    known = Path(material.__file__).parent / "templates" / "partials" / "languages"
    language, _, region = tag.replace("_", "-").partition("-")
    for code in ([f"{language.lower()}-{region.upper()}"] if region else []) + [language.lower()]:
        if (known / f"{code}.html").is_file():
            return code
    return "en"


def for_build(settings: Settings, nav: list[Any], title: str, url: str | None, language: str = "en") -> tuple[dict[str, Any], list[str]]:
    """The overrides for one build (besides the folders), and what opsdocs added that the user had not set."""
    values, added = copy.deepcopy(settings.values), []  # MkDocs consumes the mappings it is given: each build its own
    overrides: dict[str, Any] = {
        "markdown_extensions": _extensions(values, added),
        "extra_javascript": _listed(values, "extra_javascript", MERMAID_JS, added),
        "extra_css": _listed(values, "extra_css", OPSDOCS_CSS, added),
    }
    if not values.get("site_name"):
        overrides["site_name"] = title
    if not values.get("site_url") and url:
        overrides["site_url"] = url
    theme = values.get("theme") or {}
    theme = theme if isinstance(theme, dict) else {"name": theme}
    if theme.get("name") == "material" and "language" not in theme:
        # Material's words (search, navigation) and its search stemming in the site's language; the user's choice wins.
        overrides["theme"] = {**theme, "language": material_language(language)}
    if "strict" not in values:
        overrides["strict"] = True
    user_nav = values.get("nav")
    overrides["nav"] = [*user_nav, *_without(nav, _mentioned(user_nav))] if user_nav else nav
    return overrides, added
