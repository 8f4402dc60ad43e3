"""Write back: `runbook_url` annotations in the client's rule files, pointing at the published opsdocs runbooks.

The files are edited with a round-trip YAML library (ruamel.yaml): comments, key order, quoting, indentation
and the PrometheusRule wrapper stay as they were; only `runbook_url` lines are added or changed.
"""

from __future__ import annotations

import difflib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from .alerting import alert_views
from .errors import OpsdocsError, unknown_engagement
from .model.kinds import KIND
from .pipeline import read_content
from .project import Project
from .targets.mkdocs.nav import url_of
from .targets.mkdocs.settings import read_settings
from .write import write_atomic


@dataclass(frozen=True)
class Rewrite:
    """One rule file, before and after."""

    path: Path
    rel: str  # as the user sees the path
    before: str
    after: str
    changed: int  # runbook_url annotations set

    def diff(self) -> str:
        return "".join(difflib.unified_diff(self.before.splitlines(True), self.after.splitlines(True), self.rel, self.rel))


def runbook_page_url(site_url: str, engagement_id: str, rid: str, directory_urls: bool) -> str:
    page = KIND["runbook"].page_dir(f"engagements/{engagement_id}") + f"/{rid}.md"
    return f"{site_url.rstrip('/')}/{url_of(page, directory_urls)}"


def plan_rewrites(project: Project, engagement_id: str, site_url: str) -> list[Rewrite]:
    """Every rule file whose alerts have an opsdocs runbook, with `runbook_url` set to that runbook's page."""
    if not site_url.startswith(("http://", "https://")):
        raise OpsdocsError(f"'{site_url}' is not a URL", "pass the address the site is published at, e.g. --site-url https://ops.example.com/")
    content = read_content(project, only={engagement_id}).content
    if engagement_id not in content.engagements:
        raise unknown_engagement(engagement_id, [])
    data = content.engagements[engagement_id]
    directory_urls = read_settings(project.mkdocs_config).values.get("use_directory_urls", True) is not False
    wanted: dict[str, dict[int, str]] = {}
    for view in alert_views(data):
        if view.rule is not None and view.runbook is not None:
            url = runbook_page_url(site_url, engagement_id, view.runbook, directory_urls)
            wanted.setdefault(view.rule.file, {})[view.rule.line] = url
    folder = project.content_dir / "engagements" / engagement_id
    rewrites = []
    for file, urls in sorted(wanted.items()):
        path = folder / file
        before = path.read_text(encoding="utf-8")
        after, changed = _set_runbook_urls(before, urls)
        if after != before:
            rewrites.append(Rewrite(path, project.rel(path), before, after, changed))
    return rewrites


def _set_runbook_urls(text: str, urls: dict[int, str]) -> tuple[str, int]:
    """The text with `annotations.runbook_url` set on the rules whose `alert:` key is on the given (1-based) lines."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.util import load_yaml_guess_indent

    _, indent, block_seq = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long expression
    yaml.indent(mapping=(indent - block_seq) if block_seq else indent, sequence=indent, offset=block_seq or 0)
    yaml.explicit_start = text.lstrip().startswith("---")
    documents = list(yaml.load_all(text))
    changed = 0
    for document in documents:
        root = document.get("spec") if document.get("kind") == "PrometheusRule" else document
        for group in (root or {}).get("groups") or []:
            for rule in group.get("rules") or []:
                if "alert" not in rule:
                    continue
                url = urls.get(rule.lc.key("alert")[0] + 1)
                if url is None:
                    continue
                annotations = rule.get("annotations")
                if annotations is None:
                    annotations = rule["annotations"] = CommentedMap()
                if annotations.get("runbook_url") != url:
                    annotations["runbook_url"] = url
                    changed += 1
    out = io.StringIO()
    yaml.dump_all(documents, out)
    return out.getvalue(), changed


def write_rewrites(rewrites: list[Rewrite]) -> None:
    """Rewrite each file in one step, keeping its permissions."""
    for rewrite in rewrites:
        mode = rewrite.path.stat().st_mode
        write_atomic(rewrite.path, rewrite.after.encode("utf-8"))
        os.chmod(rewrite.path, mode)
