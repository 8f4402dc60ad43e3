"""Alertmanager's routing where Kubernetes keeps it: kube-prometheus' Secret as published, prometheus-operator's
AlertmanagerConfig resources (v1alpha1 and v1beta1) merged as the operator merges them, and a kube-prometheus-stack
Helm values file. amtool is the oracle: the merged configuration the operator would generate is written here, by
the test's own reading of the operator's rules, and amtool routes every label set on it."""

from __future__ import annotations

import base64
import copy
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.alertmanager import routing_of
from generator.cli import cli
from generator.monitoring import _Reading
from generator.routing import receivers_for
from tests.conftest import need
from tests.kube import KUBE
from tests.test_monitoring import amtool_receivers

SECRET = KUBE / "alertmanager-secret.yaml"
CONFIGS = sorted((KUBE / "alertmanager-configs").glob("*.yaml"))
HELM = KUBE / "helm-values.yaml"


def _kube_label_sets() -> list[dict[str, str]]:
    """Every kube-prometheus alert with its own labels, in one of three namespaces in turn, and a few made to walk
    the resources' branches."""
    sets = []
    for manifest in sorted(KUBE.glob("*-prometheusRule.yaml")):
        for group in yaml.safe_load(manifest.read_text(encoding="utf-8"))["spec"]["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    namespace = ("shop", "warehouse", "monitoring")[len(sets) % 3]
                    sets.append({**rule.get("labels", {}), "alertname": rule["alert"], "namespace": namespace})
    for namespace in ("shop", "warehouse", "monitoring", ""):
        for name, severity in (("KubePodCrashLooping", "warning"), ("Checkout", "critical"), ("Watchdog", "none"),
                               ("NodeFilesystemSpaceFillingUp", "warning"), ("InfoInhibitor", "info")):
            labels = {"alertname": name, "severity": severity}
            sets.append({**labels, "namespace": namespace} if namespace else labels)
    return sets


def _operator_merge(base: dict, resources: list[dict]) -> dict:
    """The configuration prometheus-operator generates (its default matcher strategy, Alertmanager 0.22 or later):
    each resource's route first under the root with a namespace matcher and `continue: true`, its receivers named
    namespace/name/receiver. Written here from the operator's documented behaviour, not from opsdocs."""
    merged = copy.deepcopy(base)
    first = []
    for resource in sorted(resources, key=lambda r: f"{r['metadata']['namespace']}/{r['metadata']['name']}"):
        namespace, prefix = resource["metadata"]["namespace"], f"{resource['metadata']['namespace']}/{resource['metadata']['name']}/"

        def convert(route: dict, top: bool) -> dict:
            out: dict = {"receiver": prefix + route["receiver"]} if route.get("receiver") else {}
            matchers = [f'{m["name"]}{m.get("matchType") or ("=~" if m.get("regex") else "=")}"{m["value"]}"' for m in route.get("matchers", [])]
            if top:
                matchers.append(f'namespace="{namespace}"')
            if matchers:
                out["matchers"] = matchers
            if top or route.get("continue"):
                out["continue"] = True
            if route.get("routes"):
                out["routes"] = [convert(child, False) for child in route["routes"]]
            return out

        first.append(convert(resource["spec"]["route"], True))
        for receiver in resource["spec"]["receivers"]:
            entry: dict = {"name": prefix + receiver["name"]}
            if "pagerdutyConfigs" in receiver:
                entry["pagerduty_configs"] = [{"routing_key": "placeholder"}]
            if "slackConfigs" in receiver:
                entry["slack_configs"] = [{"channel": c["channel"], "api_url": "https://hooks.example/placeholder"} for c in receiver["slackConfigs"]]
            if "webhookConfigs" in receiver:
                entry["webhook_configs"] = [{"url": c["url"]} for c in receiver["webhookConfigs"]]
            merged["receivers"].append(entry)
    merged["route"]["routes"] = first + merged["route"].get("routes", [])
    return merged


def _reading() -> _Reading:
    return _Reading(KUBE, lambda p: p.name)


def test_kube_prometheus_secret_with_alertmanager_configs_routes_as_the_operator_would(tmp_path: Path) -> None:
    need(shutil.which("amtool") is not None, "amtool is not installed (apt-get install prometheus-alertmanager)")
    reading = _reading()
    routing = routing_of(reading, SECRET, "", CONFIGS)
    assert reading.problems == [] and routing.route is not None
    assert set(routing.receivers) == {"Default", "Watchdog", "Critical", "null", "shop/shop-oncall/shop-channel",
                                      "shop/shop-oncall/shop-pager", "warehouse/warehouse/warehouse-hook"}
    assert routing.receivers["shop/shop-oncall/shop-pager"].integrations == (("PagerDuty", None),)
    assert routing.receivers["shop/shop-oncall/shop-channel"].integrations == (("Slack", "#shop-alerts"),)
    # The operator's configuration, written by the test and checked by amtool before it is trusted.
    base = yaml.safe_load(yaml.safe_load(SECRET.read_text(encoding="utf-8"))["stringData"]["alertmanager.yaml"])
    merged = tmp_path / "alertmanager.yaml"
    merged.write_text(yaml.safe_dump(_operator_merge(base, [yaml.safe_load(p.read_text(encoding="utf-8")) for p in CONFIGS])))
    compared = 0
    for labels in _kube_label_sets():
        assert receivers_for(routing.route, labels) == amtool_receivers(merged, labels), labels
        compared += 1
    assert compared > 150
    # The inhibition rules: the Secret's three, and the resource's with its namespace added on both sides.
    assert len(routing.inhibitions) == 4
    shop = routing.inhibitions[-1]
    assert ("namespace", "=", "shop") in [(m.label, m.op, m.value) for m in shop.source]
    assert shop.equal == ("node",) and shop.file == "alertmanager-configs/shop-oncall.yaml"


def test_a_resource_route_without_a_receiver_uses_the_root_s(tmp_path: Path) -> None:
    """A resource's route may leave out `receiver`: Alertmanager gives it the root's, and so does opsdocs."""
    need(shutil.which("amtool") is not None, "amtool is not installed (apt-get install prometheus-alertmanager)")
    resource = yaml.safe_load((KUBE / "alertmanager-configs/shop-oncall.yaml").read_text(encoding="utf-8"))
    del resource["spec"]["route"]["receiver"]
    (tmp_path / "shop.yaml").write_text(yaml.safe_dump(resource))
    shutil.copy(SECRET, tmp_path / "secret.yaml")
    reading = _Reading(tmp_path, lambda p: p.name)
    routing = routing_of(reading, tmp_path / "secret.yaml", "", [tmp_path / "shop.yaml"])
    assert reading.problems == []
    base = yaml.safe_load(yaml.safe_load(SECRET.read_text(encoding="utf-8"))["stringData"]["alertmanager.yaml"])
    merged = tmp_path / "alertmanager.yaml"
    merged.write_text(yaml.safe_dump(_operator_merge(base, [resource])))
    for labels in ({"alertname": "Other", "namespace": "shop", "severity": "warning"},
                   {"alertname": "KubePodCrashLooping", "namespace": "shop", "severity": "warning"}):
        assert receivers_for(routing.route, labels) == amtool_receivers(merged, labels), labels
    assert receivers_for(routing.route, {"alertname": "Other", "namespace": "shop", "severity": "warning"}) == ["Default"]


def test_a_helm_values_file_routes_as_the_same_config_given_plainly(tmp_path: Path) -> None:
    need(shutil.which("amtool") is not None, "amtool is not installed (apt-get install prometheus-alertmanager)")
    plain = tmp_path / "alertmanager.yml"
    plain.write_text(yaml.safe_dump(yaml.safe_load(HELM.read_text(encoding="utf-8"))["alertmanager"]["config"]))
    from_values, from_plain = _reading(), _Reading(tmp_path, lambda p: p.name)
    helm, given = routing_of(from_values, HELM), routing_of(from_plain, plain)
    assert from_values.problems == [] == from_plain.problems
    assert sorted(helm.receivers) == sorted(given.receivers) == ["null", "oncall", "team-email"]
    for labels in _kube_label_sets():
        assert receivers_for(helm.route, labels) == receivers_for(given.route, labels) == amtool_receivers(plain, labels), labels
    # Named explicitly, the same: values.yaml#alertmanager.config
    explicit = _reading()
    assert routing_of(explicit, HELM, "alertmanager.config").route == helm.route and explicit.problems == []


def test_a_mistake_inside_the_secret_is_reported_at_its_line_in_the_manifest(tmp_path: Path) -> None:
    text = SECRET.read_text(encoding="utf-8").replace('"receiver": "Critical"', '"receiver": "Critcal"')
    (tmp_path / "secret.yaml").write_text(text)
    reading = _Reading(tmp_path, lambda p: p.name)
    routing_of(reading, tmp_path / "secret.yaml")
    [problem] = reading.problems
    line = next(n for n, row in enumerate(text.split("\n"), 1) if '"Critcal"' in row)
    assert (problem.line, problem.message) == (line, "no receiver named 'Critcal'")
    assert problem.column == text.split("\n")[line - 1].index('"Critcal"') + 1


def test_the_operate_page_lists_the_inhibition_rules_and_no_secret(project: Path) -> None:
    """kube-prometheus' Secret (base64 here, with fake passwords added) and the two resources in the example
    engagement: the page lists which alerts silence which, and no secret or secret reference reaches it."""
    folder = project / "content/engagements/kestrel-shop"
    config = yaml.safe_load(yaml.safe_load(SECRET.read_text(encoding="utf-8"))["stringData"]["alertmanager.yaml"])
    config["global"]["smtp_auth_password"] = "fake-secret-password-Qz12"
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "alertmanager-main", "namespace": "monitoring"},
              "data": {"alertmanager.yaml": base64.b64encode(yaml.safe_dump(config).encode()).decode()}}
    (folder / "monitoring/alertmanager-secret.yaml").write_text(yaml.safe_dump(secret))
    shutil.copytree(KUBE / "alertmanager-configs", folder / "monitoring/amc")
    engagement = folder / "engagement.yaml"
    engagement.write_text(engagement.read_text().replace("alertmanager: monitoring/alertmanager.yml",
                                                         "alertmanager: monitoring/alertmanager-secret.yaml\n"
                                                         "      alertmanager_configs: [monitoring/amc/*.yaml]"))
    result = CliRunner().invoke(cli, ["build", "--no-html"])
    assert result.exit_code == 0, result.output
    page = (project / "docs/engagements/kestrel-shop/operate.md").read_text(encoding="utf-8")
    assert "### Inhibition rules" in page
    assert "| `severity=\"critical\"` | `severity=~\"warning|info\"` | `namespace`, `alertname` |" in page.replace("\\|", "|")
    assert "`alertname=\"KubeNodeNotReady\"` `namespace=\"shop\"`" in page
    assert "`monitoring/amc/shop-oncall.yaml:" in page  # where the resource's rule is written
    built = "\n".join(p.read_text(encoding="utf-8") for p in (project / "docs").rglob("*.md"))
    for secret_text in ("fake-secret-password-Qz12", "pagerduty-shop", "slack-webhook", "routingKey"):
        assert secret_text not in built, secret_text


def test_bad_alertmanager_configs_are_reported_at_their_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text((KUBE / "alertmanager-configs/warehouse.yaml").read_text().replace("  receivers:", "  recievers:"))
    shutil.copy(SECRET, tmp_path / "secret.yaml")
    reading = _Reading(tmp_path, lambda p: p.name)
    routing_of(reading, tmp_path / "secret.yaml", "", [bad])
    said = [(p.line, p.message) for p in reading.problems]
    line = bad.read_text().split("\n").index("  recievers:") + 1
    assert (line, "unknown key 'recievers'") in said, said


@pytest.mark.parametrize("given, message", [("monitoring/amc.yaml#nokey", "the Secret has no key 'nokey'")])
def test_a_secret_key_named_after_the_hash(tmp_path: Path, given: str, message: str) -> None:
    (tmp_path / "monitoring").mkdir()
    shutil.copy(SECRET, tmp_path / "monitoring/amc.yaml")
    reading = _Reading(tmp_path, lambda p: p.name)
    routing_of(reading, tmp_path / "monitoring/amc.yaml", given.partition("#")[2])
    assert [p.message for p in reading.problems if message in p.message], reading.problems


def test_resources_without_a_configuration_to_merge_into_are_an_error(project: Path) -> None:
    folder = project / "content/engagements/kestrel-shop"
    shutil.copytree(KUBE / "alertmanager-configs", folder / "monitoring/amc")
    engagement = folder / "engagement.yaml"
    engagement.write_text(engagement.read_text().replace("alertmanager: monitoring/alertmanager.yml",
                                                         "alertmanager_configs: [monitoring/amc/*.yaml]"))
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "alertmanager_configs without alertmanager" in result.output
