"""Publish: a client's docs as a Backstage TechDocs source (`--techdocs`), for a client that reads its runbooks in
Backstage beside its services: `catalog-info.yaml` (a documentation component whose docs are in this folder),
`mkdocs.yml` with the `techdocs-core` plugin and the site's navigation, and `docs/` with the Markdown of the
client's bundle. Backstage builds the HTML itself (`techdocs-cli generate`), and its own login guards it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..model import EngagementData
from ..pages import Plan
from ..targets.mkdocs.nav import nav_of, relocate_plan


def entity_name(text: str) -> str:
    """A Backstage entity name: letters, digits, '-', '_' and '.', at most 63 characters."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-_.").lower()[:63] or "docs"


def techdocs_files(docs: dict[str, bytes], plan: Plan, data: EngagementData, consultancy: str) -> dict[str, bytes]:
    e = data.engagement
    catalog: dict[str, Any] = {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Component",
        "metadata": {
            "name": entity_name(f"{data.id}-operations-docs"),
            "title": data.title,
            "description": f"Operations documentation of {e.system.name}: operate plan, runbooks, post-mortems, handover",
            "annotations": {"backstage.io/techdocs-ref": "dir:."},
        },
        "spec": {"type": "documentation", "lifecycle": "production", "owner": entity_name(e.provider.name or consultancy),
                 "system": entity_name(e.system.name)},
    }
    settings = {
        "site_name": data.title,
        "nav": nav_of(relocate_plan(plan)),
        "plugins": ["techdocs-core"],
        "extra_css": [name for name in sorted(docs) if name.endswith(".css")],
    }
    files = {f"docs/{rel}": blob for rel, blob in docs.items() if not rel.endswith(".js")}  # Backstage runs no page scripts
    files["catalog-info.yaml"] = yaml.safe_dump(catalog, sort_keys=False, allow_unicode=True).encode()
    files["mkdocs.yml"] = yaml.safe_dump(settings, sort_keys=False, allow_unicode=True).encode()
    return files
