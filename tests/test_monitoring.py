"""The client's monitoring files: rules, routing and SLOs in the operate plan; Alertmanager and promtool as oracles;
runbook_url written back; no secret of alertmanager.yml in any output."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.alertmanager import routing_of
from generator.cli import cli
from generator.export import export_handover
from generator.monitoring import _Reading
from generator.pipeline import read_content
from generator.project import BuildOptions, Project
from generator.routing import receivers_for
from tests.conftest import EXAMPLE, ROOT, need

MONITORING = EXAMPLE / "engagements/kestrel-shop/monitoring"
OPERATE = "engagements/kestrel-shop/operate.md"
SECRETS = ["fake-smtp-password-7Hq2", "fake-slack-token-Zk81", "fake-pagerduty-routing-key-4f9a", "fake-shop-token-Qp03",
           "fake-warehouse-password-Lm55", "fake-webhook-token-Yt77", "fake-bearer-token-Ux19", "hooks.slack.example",
           "hooks.example/kestrel"]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def example_alerts():
    return read_content(Project(ROOT, EXAMPLE)).content.engagements["kestrel-shop"].monitoring.alerts


def test_rules_routes_and_slos_reach_the_operate_page(project: Path) -> None:
    assert run("build", "--no-html").exit_code == 0
    page = (project / "docs" / OPERATE).read_text(encoding="utf-8")
    # Every alerting rule, the same name at two severities twice (in the sev2 table, then the sev1 one, each linked
    # to its own rule); the recording rule is no alert.
    sev1, sev2 = page.index("\n**sev1** — Critical (3)\n"), page.index("\n**sev2** — Major (6)\n")
    assert page.count("| [NodeFilesystemSpaceFillingUp](#alert-nodefilesystemspacefillingup) |") == 1
    assert sev2 < page.index("| [NodeFilesystemSpaceFillingUp](#alert-nodefilesystemspacefillingup) |")
    assert sev1 < page.index("| [NodeFilesystemSpaceFillingUp](#alert-nodefilesystemspacefillingup-2) |") < sev2
    assert '<a id="alert-nodefilesystemspacefillingup"></a>' in page and '<a id="alert-nodefilesystemspacefillingup-2"></a>' in page
    assert "checkout:http_requests:rate5m" not in page
    # A hand-written alert of the same name enriches the rule: one row, with the written runbook and SLO.
    assert page.count("| [CheckoutErrorRateHigh](#alert-checkouterrorratehigh) |") == 1
    assert sev1 < page.index("| [CheckoutErrorRateHigh](#alert-checkouterrorratehigh) | 5xx ratio > 2% for 5m (SLO checkout-availability) | "
                             "[Checkout error rate high](runbooks/checkout-errors.md)") < sev2
    # The rules under their rule group's heading, with the file and a count per severity.
    assert "#### checkout.alerts\n\n3 alerts of the rule group `checkout.alerts` in `monitoring/rules/checkout.rules.yaml`: sev1: 1, sev2: 2." in page
    # Summary and description as written, Go templates and all; the expression as code; where it came from.
    assert "{{ $value \\| humanizePercentage }} of checkout requests failed on {{ $labels.instance }} over 5 minutes." in page
    assert "time() - order_export_last_success_timestamp_seconds > 1800" in page
    assert "`monitoring/rules/node.prometheusrule.yaml:23`" in page
    # Who is notified, as Alertmanager decides; the receivers' kinds and safe destinations only.
    assert "pagerduty-primary (PagerDuty); platform-slack (Slack #kestrel-platform, webhook)" in page
    assert "warehouse-email (email warehouse@kestrel-outdoor.example)" in page
    # An external runbook_url is shown as a link elsewhere.
    assert "[elsewhere](https://wiki.kestrel-outdoor.example/ops/order-export)" in page
    # SLOs of sloth (30 d by default) and OpenSLO (its timeWindow) with their error budgets.
    assert "| checkout-requests-availability | Checkout requests that do not fail with a 5xx. | 99\\.9% | 30 days | 43 min 12 sec |" in page
    assert "| Gear Advisor answers within 3 s |" in page and "| 95% | 28 days | 1 day 9 hr |" in page
    runbook = (project / "docs/engagements/kestrel-shop/runbooks/database-disk-full.md").read_text(encoding="utf-8")
    assert "## Who is paged" in runbook and "| NodeFilesystemSpaceFillingUp | sev1 | pagerduty-primary (PagerDuty)" in runbook


def test_an_incident_can_name_an_slo_of_the_client_files(project: Path) -> None:
    path = project / "content/engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml"
    path.write_text(path.read_text().replace("slo: checkout-availability", "slo: checkout-requests-availability", 1))
    assert run("check").exit_code == 0
    path.write_text(path.read_text().replace("slo: checkout-requests-availability", "slo: checkout-requests-availabilty", 1))
    result = run("check")
    assert result.exit_code == 1 and "did you mean 'checkout-requests-availability'?" in result.output


def amtool_receivers(config: Path, labels: dict[str, str]) -> list[str]:
    done = subprocess.run(["amtool", "config", "routes", "test", f"--config.file={config}",
                           *(f"{k}={v}" for k, v in sorted(labels.items()))], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().split(",")


def label_sets() -> list[dict[str, str]]:
    """Every alert of the fixtures, and label sets made to walk every branch: continue, nested, match_re, default."""
    sets = [{**a.labels, "alertname": a.name} for a in example_alerts()]
    names = ["CheckoutErrorRateHigh", "CheckoutSlow", "NodeDown", "OrderExportStalled", "Unrelated"]
    for name, severity, team in itertools.product(names, ["critical", "warning", "info"], ["shop", "warehouse", ""]):
        labels = {"alertname": name, "severity": severity}
        if team:
            labels["team"] = team
        sets.append(labels)
    return sets


def test_routing_agrees_with_alertmanager() -> None:
    need(shutil.which("amtool") is not None, "amtool is not installed (apt-get install prometheus-alertmanager)")
    config = MONITORING / "alertmanager.yml"
    reading = _Reading(MONITORING, lambda p: p.name)
    route = routing_of(reading, config).route
    assert reading.problems == [] and route is not None
    compared = 0
    for labels in label_sets():
        assert receivers_for(route, labels) == amtool_receivers(config, labels), labels
        compared += 1
    assert compared >= 50


def test_no_secret_of_alertmanager_yml_reaches_any_output(project: Path) -> None:
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    text = (project / "content/engagements/kestrel-shop/monitoring/alertmanager.yml").read_text()
    assert all(secret in text for secret in SECRETS)  # the fixture does hold them
    outputs: list[Path] = []
    for audience in ("client", "internal"):
        assert run("build", "--audience", audience, "--site-dir", f"site-{audience}", "--out", f"docs-{audience}").exit_code == 0
        assert run("build", "--target", "docusaurus", "--audience", audience, "--out", f"docusaurus-{audience}").exit_code == 0
        for fmt in ("md", "html"):
            if fmt == "html" and shutil.which("chromium") is None:
                continue
            data = export_handover(Project.at("content", project), "kestrel-shop", fmt, BuildOptions(audience=audience))
            (project / f"handover-{audience}.{fmt}").write_bytes(data)
        outputs += [project / f"site-{audience}", project / f"docs-{audience}", project / f"docusaurus-{audience}"]
    files = [p for folder in outputs for p in folder.rglob("*") if p.is_file()] + list(project.glob("handover-*"))
    assert any(p.name == "search_index.json" for p in files)
    leaks = [(p.relative_to(project).as_posix(), s) for p in files for s in SECRETS if s.encode() in p.read_bytes()]
    assert leaks == []


@pytest.fixture
def rewritten(project: Path) -> dict[str, tuple[str, str]]:
    folder = project / "content/engagements/kestrel-shop/monitoring/rules"
    before = {p.name: p.read_text() for p in folder.glob("*.yaml")}
    preview = run("runbook-urls", "kestrel-shop", "--site-url", "https://ops.northwind.example/")
    assert preview.exit_code == 0 and "+          runbook_url: https://ops.northwind.example/engagements/kestrel-shop/runbooks/checkout-errors/" in preview.output
    assert {p.name: p.read_text() for p in folder.glob("*.yaml")} == before  # a preview writes nothing
    result = run("runbook-urls", "kestrel-shop", "--site-url", "https://ops.northwind.example/", "--write")
    assert result.exit_code == 0, result.output
    return {name: (text, (folder / name).read_text()) for name, text in before.items()}


def test_runbook_urls_changes_only_runbook_url_lines(rewritten) -> None:
    changed = 0
    for name, (before, after) in rewritten.items():
        import difflib

        lines = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]
        assert all("runbook_url:" in line for line in lines), (name, lines)
        changed += sum(1 for line in lines if line.startswith("+ "))
        assert after.split("\n")[0] == before.split("\n")[0] and after.count("#") >= before.count("#")  # comments stay
    assert changed == 3
    manifest = yaml.safe_load(rewritten["node.prometheusrule.yaml"][1])
    assert manifest["kind"] == "PrometheusRule"  # the wrapper stays
    urls = {r["annotations"]["runbook_url"] for g in manifest["spec"]["groups"] for r in g["rules"]}
    assert urls == {"https://ops.northwind.example/engagements/kestrel-shop/runbooks/database-disk-full/"}


def test_rewritten_rule_files_pass_promtool(rewritten, tmp_path: Path) -> None:
    need(shutil.which("promtool") is not None, "promtool is not installed (apt-get install prometheus)")
    for name, (_, after) in rewritten.items():
        data = yaml.safe_load(after)
        path = tmp_path / name
        # promtool reads plain rule files: a PrometheusRule's groups are checked as the operator would load them.
        path.write_text(yaml.safe_dump(data["spec"]) if data.get("kind") == "PrometheusRule" else after)
        done = subprocess.run(["promtool", "check", "rules", str(path)], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_second_run_changes_nothing(rewritten) -> None:
    result = run("runbook-urls", "kestrel-shop", "--site-url", "https://ops.northwind.example/")
    assert result.exit_code == 0 and "nothing to change" in result.output


def break_routing(project: Path) -> None:
    path = project / "content/engagements/kestrel-shop/monitoring/alertmanager.yml"
    text = path.read_text()
    text = text.replace("""    - matchers: ['severity="critical"']
      receiver: pagerduty-primary
      continue: true
""", "")  # nobody is paged for critical alerts any more
    text = text.replace("""  - name: ops-email
    email_configs:
      - to: ops@northwind.example
""", """  - name: ops-email
""")  # and the default receiver notifies nobody
    path.write_text(text)
    rules = project / "content/engagements/kestrel-shop/monitoring/rules/checkout.rules.yaml"
    rules.write_text(rules.read_text().replace("https://wiki.kestrel-outdoor.example/ops/order-export",
                                               "https://ops.northwind.example/engagements/kestrel-shop/runbooks/order-export-gone/"))
    rules.write_text(rules.read_text().replace("team: warehouse", "team: nobody"))


def test_broken_chains_are_gaps_and_strict_warnings(project: Path) -> None:
    break_routing(project)
    result = run("check", "--strict", "--format", "json")
    assert result.exit_code == 0  # gaps are warnings: the docs still build
    problems = json.loads(result.stdout)
    said = [(p["path"].rsplit("/", 1)[-1], p["line"], p["message"]) for p in problems]
    assert ("checkout.rules.yaml", 30, "OrderExportStalled: its runbook_url points to a runbook that does not exist (order-export-gone)") in said
    assert ("checkout.rules.yaml", 30, "OrderExportStalled: reaches only Alertmanager's default receiver") in said
    assert ("alertmanager.yml", 28, "ops-email: a receiver with no integration: it notifies nobody") in said
    assert any(m == "CheckoutErrorRateHigh: a sev1 alert whose route pages nobody, though the terms promise a sev1 response window"
               for _, _, m in said)
    assert all(p["severity"] == "warning" for p in problems)
    assert run("build", "--no-html").exit_code == 0
    page = (project / "docs" / OPERATE).read_text()
    assert "**Receivers with no integration: they notify nobody** (1)\n\n- ops-email, `monitoring/alertmanager.yml:28`\n" in page
    assert ("**Alerts that reach only Alertmanager's default receiver** (1)\n\n"
            "- [OrderExportStalled](#alert-orderexportstalled), `monitoring/rules/checkout.rules.yaml:30`\n") in page
    assert ("- [OrderExportStalled](#alert-orderexportstalled), `monitoring/rules/checkout.rules.yaml:30` "
            "(points to order-export-gone)") in page


def test_broken_monitoring_files_never_crash_check(project: Path) -> None:
    """Each value of the monitoring files in turn (one line in three) replaced by a scalar, a list or a mapping:
    `check` passes or reports the problem, and never fails with a traceback."""
    folder = project / "content/engagements/kestrel-shop/monitoring"
    originals = {p: p.read_text() for p in sorted(folder.rglob("*.y*ml"))}
    tried = 0
    for path, text in originals.items():
        lines = text.split("\n")
        for n, line in list(enumerate(lines))[::3]:
            if ":" not in line or line.lstrip().startswith("#"):
                continue
            for replacement in ("x", "[a, b]", "{a: b}"):
                path.write_text("\n".join(lines[:n] + [f"{line.split(':')[0]}: {replacement}"] + lines[n + 1:]))
                result = run("check")
                assert result.exception is None or isinstance(result.exception, SystemExit), (path.name, n + 1, replacement)
                tried += 1
        path.write_text(text)
    assert tried >= 150


def test_without_severity_labels_a_label_that_is_a_severity_id_is_taken_as_it_is(tmp_path: Path) -> None:
    from generator.monitoring import read_rules

    rules = tmp_path / "rules.yaml"
    rules.write_text("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: {severity: sev2}\n"
                     "      - alert: B\n        expr: up == 0\n        labels: {severity: warning}\n")
    reading = _Reading(tmp_path, lambda p: p.name)
    alerts = read_rules(reading, rules, {}, ["sev1", "sev2"])
    assert [(a.name, a.severity) for a in alerts] == [("A", "sev2"), ("B", None)]
    assert [(p.line, p.message) for p in reading.problems] == [(9, "severity 'warning' is not mapped to a severity of the engagement")]
