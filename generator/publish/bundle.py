"""Publish: one client's bundle. A client-audience MkDocs build of that engagement alone (with the handbook pages
it links to), in the client's language, with its own search index, sitemap and `site_url`; encrypted in the
browser when its access is `encrypt`.

Each bundle is kept in `.opsdocs-cache/publish/<id>/` with a key of everything it was built from (its Markdown,
its address and access, mkdocs.yml, the versions of MkDocs and Material): a client whose key did not change is
not built again, so publishing every client after one edit builds one.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..model import Content
from ..pipeline import render_site
from ..project import BuildOptions, Project
from ..targets.htmlcheck import check_assets
from ..targets.mkdocs.nav import nav_of, relocate_plan, url_of
from ..targets.mkdocs.runner import memo_key, run_mkdocs, user_settings
from ..targets.mkdocs.settings import for_build
from ..write import follow_umask
from .settings import Target
from .techdocs import techdocs_files


@dataclass(frozen=True)
class Bundle:
    """One client's built site."""

    target: Target
    docs: dict[str, bytes]  # the Markdown tree it was built from (what the leak audit reads besides the site)
    site: Path  # the built HTML, in the cache
    built: bool  # False when the cache's copy was still current
    titles: dict[str, str]  # each page's URL → its title


def build_bundle(project: Project, target: Target, password: str | None, progress: Callable[[str], None],
                 content: Content) -> Bundle:
    options = BuildOptions(engagement=target.eid, audience="client", language=target.language)
    made = render_site(project, "mkdocs", options)
    plan = relocate_plan(made.plan)
    settings = user_settings(project)
    directory_urls = settings.values.get("use_directory_urls", True) is not False
    titles = {url_of(page.path, directory_urls): page.title for page in plan.pages}
    key = _key(made.files, target, password, memo_key(project))
    cache = project.root / ".opsdocs-cache" / "publish" / target.eid
    site = cache / "site"
    if site.is_dir() and (cache / "key").is_file() and (cache / "key").read_text(encoding="utf-8") == key:
        return Bundle(target, made.files, site, False, titles)
    progress(f"publish: building {target.eid} ({'techdocs' if target.techdocs else target.access})")
    if target.techdocs:
        shutil.rmtree(cache, ignore_errors=True)
        files = techdocs_files(made.files, made.plan, content.engagements[target.eid], content.site.consultancy.name)
        for rel, data in files.items():
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_bytes(data)
        follow_umask(site)
        (cache / "key").write_text(key, encoding="utf-8")
        return Bundle(target, made.files, site, True, titles)
    overrides, _ = for_build(settings, nav_of(plan), made.site.site.title, target.url, made.plan.language)
    if target.url:
        overrides["site_url"] = target.url
    if target.access == "encrypt":
        overrides["plugins"] = _with_encryption(settings.values.get("plugins"), password or "")
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="opsdocs-publish-") as scratch:
        docs = Path(scratch) / "docs"
        for rel, data in made.files.items():
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            (docs / rel).write_bytes(data)
        run_mkdocs(settings.path, docs, site, overrides)
    check_assets(site)
    if target.access == "encrypt":
        _titles_only_search(site, titles)
    follow_umask(site)
    (cache / "key").write_text(key, encoding="utf-8")
    return Bundle(target, made.files, site, True, titles)


def _key(files: dict[str, bytes], target: Target, password: str | None, engine: tuple) -> str:
    h = hashlib.blake2b(digest_size=16)
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + files[rel] + b"\0")
    h.update(repr((__version__, target.url, target.access, target.techdocs, engine)).encode())
    h.update((password or "").encode())  # a new password encrypts the site again
    return h.hexdigest()


def _with_encryption(plugins: Any, password: str) -> list:
    """The user's plugins (search at least) and mkdocs-encryptcontent-plugin: every page encrypted with the
    client's password in the browser's WebCrypto (no script from a CDN), the search index without their text."""
    if isinstance(plugins, dict):
        listed = [{name: value} if value else name for name, value in plugins.items()]
    else:
        listed = list(plugins or ["search"])
    return [*listed, {"encryptcontent": {"global_password": password, "search_index": "encrypted", "webcrypto": True,
                                         "esm": True, "remember_password": False, "remember_keys": True,
                                         "encrypted_something": {"mkdocs-encrypted-toc": ["div", "id"]}, "title_prefix": ""}}]


def _titles_only_search(site: Path, titles: dict[str, str]) -> None:
    """The encrypted site's search index finds each page by its title alone: the plugin takes encrypted pages out
    of the index, and a page's name is not secret (the navigation shows it), its text is."""
    path = site / "search" / "search_index.json"
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    present = {doc["location"] for doc in index["docs"]}
    index["docs"] += [{"location": url, "title": title, "text": ""} for url, title in sorted(titles.items()) if url not in present]
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
