"""An engagement whose client runs kube-prometheus' complete rule set: a real monitoring stack's size.

`add_kube_engagement(content)` adds to a copy of the example an engagement
`kube-platform`: Kestrel's engagement, with kube-prometheus' eight
PrometheusRule manifests beside its own rule files and a routing tree that
pages for a few critical alerts only (tests/fixtures/kube-prometheus/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests.conftest import FIXTURES

KUBE = FIXTURES / "kube-prometheus"
ENGAGEMENT = "kube-platform"


def add_kube_engagement(content: Path) -> Path:
    """The engagement folder, made in `content/engagements/`."""
    folder = content / "engagements" / ENGAGEMENT
    shutil.copytree(content / "engagements/kestrel-shop", folder)
    for manifest in sorted(KUBE.glob("*-prometheusRule.yaml")):
        shutil.copy(manifest, folder / "monitoring/rules" / manifest.name)
    shutil.copy(KUBE / "alertmanager.yml", folder / "monitoring/alertmanager.yml")
    engagement = folder / "engagement.yaml"
    text = engagement.read_text(encoding="utf-8")
    old = "severity_labels: {critical: sev1, warning: sev2, info: sev3}"
    assert old in text
    engagement.write_text(text.replace(old, "severity_labels: {critical: sev1, warning: sev2, info: sev3, none: sev3}"), encoding="utf-8")
    return folder


def kube_alerts() -> list[tuple[str, str, str]]:
    """Every alerting rule of the manifests, read here without opsdocs: (file, rule group, alert name)."""
    found = []
    for manifest in sorted(KUBE.glob("*-prometheusRule.yaml")):
        for group in yaml.safe_load(manifest.read_text(encoding="utf-8"))["spec"]["groups"]:
            found += [(manifest.name, group["name"], rule["alert"]) for rule in group["rules"] if "alert" in rule]
    return found
