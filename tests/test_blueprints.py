"""Blueprints: `new engagement --blueprint`, `update` as a three-way merge of data, migrations, conflicts, the
record, and the properties the merge promises."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import EXAMPLE, ROOT

BLUEPRINT = ROOT / "templates" / "blueprints" / "web-shop"
BAD = Path(__file__).parent / "bad-blueprints"
ENGAGEMENT = "content/engagements/acme/engagement.yaml"


class Shop:
    """A project with the web-shop blueprint in its own templates/ (so the test can publish new versions of it) and
    an engagement made from it."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(EXAMPLE, root / "content")
        shutil.copytree(BLUEPRINT, root / "templates" / "blueprints" / "web-shop")
        self.blueprint = root / "templates" / "blueprints" / "web-shop"

    def run(self, *args: str):
        cwd = os.getcwd()
        os.chdir(self.root)
        try:
            return CliRunner().invoke(cli, list(args))
        finally:
            os.chdir(cwd)

    def new(self, eid: str = "acme") -> None:
        result = self.run("new", "engagement", eid, "--blueprint", "web-shop", "--answer", "client=Acme Retail GmbH",
                          "--answer", "system=Acme Shop", "--no-input")
        assert result.exit_code == 0, result.output

    def edit(self, rel: str, old: str, new: str, under: Path | None = None) -> None:
        path = (under or self.root) / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def release(self, version: str, *edits: tuple[str, str, str]) -> None:
        """A new version of the blueprint: (file, old, new) text edits."""
        spec = self.blueprint / "blueprint.yaml"
        text = spec.read_text()
        current = text.split('version: "')[1].split('"')[0]
        spec.write_text(text.replace(f'version: "{current}"', f'version: "{version}"'))
        for rel, old, new in edits:
            self.edit(rel, old, new, self.blueprint)

    def text(self, rel: str = ENGAGEMENT) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def files(self) -> dict[str, bytes]:
        folder = self.root / "content/engagements/acme"
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def shop(tmp_path: Path) -> Shop:
    made = Shop(tmp_path)
    made.new()
    return made


NEW_ALERT_OURS = ("      - id: tls-certificate-expiry", "      - id: search-latency   # ours: search is slow at peaks\n"
                  "        name: Search slow\n        condition: p95 > 1s for 10m\n        severity: sev3\n"
                  "      - id: tls-certificate-expiry")
NEW_ALERT_THEIRS = ("engagement.yaml", "      - id: tls-certificate-expiry", "      - id: payment-webhook-backlog\n"
                    "        name: Payment webhooks piling up\n        condition: more than 200 webhook events for 10m\n"
                    "        severity: sev2\n      - id: tls-certificate-expiry")


def test_a_new_engagement_from_a_blueprint_passes_check_and_records_its_base(shop: Shop) -> None:
    text = shop.text()
    assert 'name: "Acme Retail GmbH"' in text and "# Pages: customers cannot pay." in text  # answers in, comments kept
    record = shop.text("content/engagements/acme/.blueprint/record.yaml")
    assert "blueprint: web-shop" in record and "version: '1.0'" in record and "client: Acme Retail GmbH" in record
    assert shop.text("content/engagements/acme/.blueprint/base/engagement.yaml") == text
    assert shop.run("check").exit_code == 0


def test_an_answer_with_yaml_syntax_stays_one_value(tmp_path: Path) -> None:
    made = Shop(tmp_path)
    result = made.run("new", "engagement", "odd", "--blueprint", "web-shop", "--answer", 'client=Acme: "Retail" #1',
                      "--answer", "system=Shop", "--no-input")
    assert result.exit_code == 0, result.output
    assert made.run("check").exit_code == 0
    import yaml

    data = yaml.safe_load((tmp_path / "content/engagements/odd/engagement.yaml").read_text())
    assert data["client"]["name"] == 'Acme: "Retail" #1'


def test_a_question_without_default_or_answer_is_named(tmp_path: Path) -> None:
    result = Shop(tmp_path).run("new", "engagement", "x", "--blueprint", "web-shop", "--answer", "client=A", "--no-input")
    assert result.exit_code == 1 and "asks 'system' (The shop's name) and it has no answer" in result.output
    assert "--answer system=VALUE" in result.output


def test_updating_to_the_recorded_version_changes_nothing(shop: Shop) -> None:
    shop.edit(ENGAGEMENT, *NEW_ALERT_OURS)
    before = shop.files()
    result = shop.run("update", "acme")
    assert result.exit_code == 0 and "acme: up to date with web-shop 1.0" in result.output
    assert shop.files() == before


def test_both_add_an_alert_and_both_stay_with_the_consultants_comments(shop: Shop) -> None:
    shop.edit(ENGAGEMENT, *NEW_ALERT_OURS)
    shop.release("1.1", NEW_ALERT_THEIRS)
    result = shop.run("update", "acme")
    assert result.exit_code == 0, result.output
    text = shop.text()
    assert "id: payment-webhook-backlog" in text and "id: search-latency   # ours: search is slow at peaks" in text
    assert text.index("payment-webhook-backlog") < text.index("search-latency")  # after the alert it follows in the blueprint
    assert "version: '1.1'" in shop.text("content/engagements/acme/.blueprint/record.yaml")
    assert shop.run("check").exit_code == 0


def test_both_edit_different_keys_of_one_alert(shop: Shop) -> None:
    shop.edit(ENGAGEMENT, "condition: 5xx ratio > 2% for 5m", "condition: 5xx ratio > 1% for 5m  # tighter for this client")
    shop.release("1.1", ("engagement.yaml", "        slo: checkout-availability\n        runbook: checkout-errors",
                         "        slo: checkout-availability\n        runbook: checkout-errors\n        notify: [pagerduty:primary]"))
    assert shop.run("update", "acme").exit_code == 0
    text = shop.text()
    assert "condition: 5xx ratio > 1% for 5m  # tighter for this client" in text and "- pagerduty:primary" in text


def test_a_runbook_the_consultant_deleted_stays_deleted_unless_the_blueprint_changed_it(shop: Shop) -> None:
    (shop.root / "content/engagements/acme/runbooks/checkout-errors.yaml").unlink()
    shop.edit(ENGAGEMENT, "        runbook: checkout-errors\n", "")
    shop.release("1.1", ("engagement.yaml", "review_cadence: monthly", "review_cadence: monthly, first Tuesday"))
    assert shop.run("update", "acme").exit_code == 0
    assert not (shop.root / "content/engagements/acme/runbooks/checkout-errors.yaml").exists()
    shop.release("1.2", ("runbooks/checkout-errors.yaml", "service: checkout", "service: checkout-api"))
    before = shop.files()
    result = shop.run("update", "acme")
    assert result.exit_code == 1
    assert "CONFLICT runbooks/checkout-errors.yaml:1: (the whole file): base " in result.output and "ours (none)" in result.output
    assert shop.files() == before  # left as it was


def test_a_migration_renames_a_key_and_the_consultants_value_moves_with_it(tmp_path: Path) -> None:
    shop = Shop(tmp_path)  # version 1.0 keeps tracing apart; 1.1 folds it into metrics, with a migration
    shop.edit("engagement.yaml", "    metrics: {tool: Prometheus, retention: 90d}",
              "    metrics: {tool: Prometheus, retention: 90d}\n    tracing: {tool: Tempo, retention: 7d}", shop.blueprint)
    shop.new()
    shop.edit(ENGAGEMENT, "tracing: {tool: Tempo, retention: 7d}", "tracing: {tool: Tempo, retention: 14d}  # per contract")
    shop.release("1.1", ("blueprint.yaml", "migrations: []",
                         "migrations:\n  - {version: \"1.1\", rename_key: {from: operate.monitor.tracing, to: operate.monitor.metrics}}"),
                 ("engagement.yaml", "    metrics: {tool: Prometheus, retention: 90d}\n    tracing: {tool: Tempo, retention: 7d}",
                  "    metrics: {tool: Tempo, retention: 7d}"))
    result = shop.run("update", "acme")
    assert result.exit_code == 0, result.output
    import yaml

    data = yaml.safe_load(shop.text())
    assert "tracing" not in data["operate"]["monitor"]
    assert data["operate"]["monitor"]["metrics"] == {"tool": "Tempo", "retention": "14d"}  # the consultant's value moved


def test_a_migration_renames_an_id_and_every_reference(shop: Shop) -> None:
    shop.release("1.1", ("blueprint.yaml", "migrations: []",
                         "migrations:\n  - {version: \"1.1\", rename_id: {from: checkout-error-rate, to: checkout-5xx}}"),
                 ("engagement.yaml", "id: checkout-error-rate", "id: checkout-5xx"),
                 ("runbooks/checkout-errors.yaml", "alerts: [checkout-error-rate]", "alerts: [checkout-5xx]"))
    result = shop.run("update", "acme")
    assert result.exit_code == 0, result.output
    assert "checkout-error-rate" not in shop.text() + shop.text("content/engagements/acme/runbooks/checkout-errors.yaml")
    assert shop.run("check").exit_code == 0


def test_a_true_conflict_leaves_the_engagement_as_it_was_until_keep_decides(shop: Shop) -> None:
    shop.edit(ENGAGEMENT, "notice_period: 30d", "notice_period: 60d   # agreed at the kickoff")
    shop.release("1.1", ("engagement.yaml", "notice_period: 30d", "notice_period: 90d"), NEW_ALERT_THEIRS)
    before = shop.files()
    dry = shop.run("update", "--all", "--dry-run")
    assert dry.exit_code == 1
    line = next(i for i, text in enumerate(shop.text().splitlines(), 1) if "notice_period" in text)
    assert f"CONFLICT engagement.yaml:{line}: terms.notice_period: base '30d' / ours '60d' / theirs '90d'" in dry.output
    assert shop.run("update", "acme").exit_code == 1
    assert shop.files() == before  # byte for byte; no conflict markers anywhere
    assert "<<<<<<<" not in shop.text()
    kept = shop.run("update", "acme", "--keep", "ours")
    assert kept.exit_code == 0, kept.output
    assert "notice_period: 60d   # agreed at the kickoff" in shop.text() and "payment-webhook-backlog" in shop.text()


def test_keep_theirs_takes_the_blueprints_value(shop: Shop) -> None:
    shop.edit(ENGAGEMENT, "notice_period: 30d", "notice_period: 60d")
    shop.release("1.1", ("engagement.yaml", "notice_period: 30d", "notice_period: 90d"))
    assert shop.run("update", "acme", "--keep", "theirs").exit_code == 0
    assert "notice_period: 90d" in shop.text()


def test_v1_to_v3_in_one_step_gives_the_same_files_as_through_v2(tmp_path: Path) -> None:
    results = []
    for steps in (["1.1", "1.2"], ["1.2"]):
        made = Shop(tmp_path / "-".join(steps))
        made.new()
        made.edit(ENGAGEMENT, *NEW_ALERT_OURS)
        releases = {"1.1": [NEW_ALERT_THEIRS],
                    "1.2": [("engagement.yaml", "review_cadence: monthly", "review_cadence: every two weeks")]}
        pending = []
        for version in ("1.1", "1.2"):
            pending += releases[version]
            if version in steps:
                made.release(version, *pending)
                pending = []
                assert made.run("update", "acme").exit_code == 0
        results.append(made.files())
    assert results[0] == results[1]


@pytest.mark.parametrize("edit", [
    ("terms:\n", "terms:\n  currency: CHF   # ours alone\n"),
    ("    escalation:\n", "    escalation:\n      - {after: 0m, to: Acme's own on-call}\n"),
    ("  optimize: {}", "  optimize:\n    costs:\n      - {item: Hosting, monthly: 900}"),
    ("    - {severity: sev3, response: 2d}", "    - {severity: sev3, response: 3d}"),
])
def test_an_update_never_loses_a_value_only_the_consultant_set(shop: Shop, edit: tuple[str, str]) -> None:
    import yaml

    shop.edit(ENGAGEMENT, *edit)
    ours = yaml.safe_load(shop.text())
    shop.release("1.1", NEW_ALERT_THEIRS, ("engagement.yaml", "review_cadence: monthly", "review_cadence: weekly"))
    assert shop.run("update", "acme").exit_code == 0
    after = yaml.safe_load(shop.text())
    assert _leaves(ours) - _leaves(after) <= {("operate", "improve", "review_cadence", "monthly")}


def _leaves(node, path=()) -> set:
    if isinstance(node, dict):
        return {leaf for k, v in node.items() for leaf in _leaves(v, path + (k,))}
    if isinstance(node, list):
        return {leaf for v in node for leaf in _leaves(v, path)}
    return {path + (str(node),)}


# Bad input: every new error, with its file and line


CASES = sorted(BAD.glob("*.json"))


@pytest.mark.parametrize("case_path", CASES, ids=[c.stem for c in CASES])
def test_bad_blueprint_input(tmp_path: Path, case_path: Path) -> None:
    case = json.loads(case_path.read_text(encoding="utf-8"))
    made = Shop(tmp_path)
    if case.get("after_new"):
        made.new()
    target = made.root / case["file"]
    text = target.read_text(encoding="utf-8")
    assert case["replace"] in text, case_path.name
    target.write_text(text.replace(case["replace"], case["with"], 1), encoding="utf-8")
    result = made.run(*case["command"])
    assert result.exit_code == 1, result.output
    expected = case["expect"]
    assert f"{expected['where']}: {expected['message']}" in result.output, result.output


def test_a_blueprint_at_a_git_revision_and_update_to_a_later_one(tmp_path: Path) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=tmp_path / "shared",
                       check=True, capture_output=True)

    shop = Shop(tmp_path / "project")
    shutil.copytree(BLUEPRINT, tmp_path / "shared" / "blueprints" / "shop")  # a blueprint in a repository of its own
    git("init", "--quiet")
    git("add", ".")
    git("commit", "--quiet", "-m", "1.0")
    git("tag", "v1.0")
    spec = tmp_path / "shared/blueprints/shop/blueprint.yaml"
    spec.write_text(spec.read_text().replace('version: "1.0"', 'version: "1.1"'))
    engagement = tmp_path / "shared/blueprints/shop/engagement.yaml"
    engagement.write_text(engagement.read_text().replace("review_cadence: monthly", "review_cadence: every two weeks"))
    git("commit", "--quiet", "-am", "1.1")
    git("tag", "v1.1")
    made = shop.run("new", "engagement", "acme", "--blueprint", "../shared/blueprints/shop@v1.0", "--answer", "client=A",
                    "--answer", "system=S", "--no-input")
    assert made.exit_code == 0, made.output
    assert "review_cadence: monthly" in shop.text()
    assert "source: ../shared/blueprints/shop@v1.0" in shop.text("content/engagements/acme/.blueprint/record.yaml")
    updated = shop.run("update", "acme", "--to", "v1.1")
    assert updated.exit_code == 0, updated.output
    assert "review_cadence: every two weeks" in shop.text()
    assert "source: ../shared/blueprints/shop@v1.1" in shop.text("content/engagements/acme/.blueprint/record.yaml")
    older = shop.run("update", "acme", "--to", "v1.0")
    assert older.exit_code == 1 and "an update never goes back a version" in older.output


def test_a_new_version_without_changes_still_moves_the_record(shop: Shop) -> None:
    shop.release("1.0.1")
    result = shop.run("update", "acme")
    assert result.exit_code == 0 and "acme: updated web-shop 1.0 → 1.0.1 (no changes)" in result.output
    assert "version: 1.0.1" in shop.text("content/engagements/acme/.blueprint/record.yaml")


def test_files_the_blueprint_adds_come_and_files_it_removes_go_unless_changed_here(tmp_path: Path) -> None:
    for changed_here in (False, True):
        shop = Shop(tmp_path / str(changed_here))
        shop.new()
        runbook = "content/engagements/acme/runbooks/checkout-errors.yaml"
        if changed_here:
            shop.edit(runbook, "owner: TODO", "owner: Priya Raman")
        shutil.copy(shop.blueprint / "runbooks/checkout-errors.yaml", shop.blueprint / "runbooks/tls-expiry.yaml")
        shop.edit("runbooks/tls-expiry.yaml", "title: Checkout error rate high", "title: TLS certificate expires soon", shop.blueprint)
        shop.edit("runbooks/tls-expiry.yaml", "alerts: [checkout-error-rate]", "alerts: [tls-certificate-expiry]", shop.blueprint)
        (shop.blueprint / "runbooks/checkout-errors.yaml").unlink()
        shop.release("1.1", ("engagement.yaml", "        runbook: checkout-errors\n", ""))
        result = shop.run("update", "acme")
        assert result.exit_code == 0, result.output
        assert (shop.root / "content/engagements/acme/runbooks/tls-expiry.yaml").is_file()
        assert (shop.root / runbook).exists() is changed_here  # kept only where the consultant changed it


def test_a_question_the_new_version_adds_takes_its_default_or_the_answer(shop: Shop) -> None:
    shop.release("1.1", ("blueprint.yaml", "  - {name: start,", "  - {name: cadence, prompt: \"How often we review\", "
                                                                 "default: every two weeks}\n  - {name: start,"),
                 ("engagement.yaml", "review_cadence: monthly", "review_cadence: \"{{ cadence }}\""))
    result = shop.run("update", "acme", "--no-input")
    assert result.exit_code == 0, result.output
    assert 'review_cadence: "every two weeks"' in shop.text() or "review_cadence: every two weeks" in shop.text()
    assert "cadence: every two weeks" in shop.text("content/engagements/acme/.blueprint/record.yaml")


# Properties of the merge, over random documents


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from generator.blueprints.merge import merge  # noqa: E402

_scalars = st.one_of(st.integers(-5, 5), st.text("abc", max_size=3), st.booleans())
_docs = st.recursive(_scalars, lambda inner: st.one_of(
    st.dictionaries(st.text("kmn", min_size=1, max_size=2), inner, max_size=4),
    st.lists(st.fixed_dictionaries({"id": st.text("xyz", min_size=1, max_size=2), "v": inner}), max_size=3,
             unique_by=lambda i: i["id"])), max_leaves=12)


def _edited(doc: dict, edits: dict) -> dict:
    """The document with some top-level keys set (None: removed)."""
    out = dict(doc)
    for key, value in edits.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


_edits = st.dictionaries(st.text("kmn", min_size=1, max_size=2), st.one_of(st.none(), _docs), max_size=3)


@settings(max_examples=200, deadline=None)
@given(base=st.dictionaries(st.text("kmn", min_size=1, max_size=2), _docs, max_size=5), ours=_edits, v2=_edits, v3=_edits)
def test_merge_properties(base: dict, ours: dict, v2: dict, v3: dict) -> None:
    # The consultant edits (sets, changes, removes) keys starting with k, the blueprint those starting with m or n.
    ours = {k: v for k, v in ours.items() if k.startswith("k")}
    v2 = {k: v for k, v in v2.items() if not k.startswith("k")}
    v3 = {k: v for k, v in v3.items() if not k.startswith("k")}
    ours_doc, second = _edited(base, ours), _edited(base, v2)
    third = _edited(second, v3)
    conflicts: list = []
    assert merge(base, ours_doc, base, conflicts) == ours_doc  # updating to the recorded version changes nothing
    direct = merge(base, ours_doc, third, conflicts)
    stepwise = merge(second, merge(base, ours_doc, second, conflicts), third, conflicts)
    assert conflicts == []
    assert direct == stepwise  # v1 → v3 is v1 → v2 → v3
    for key, value in ours.items():  # nothing only the consultant set is lost
        assert direct.get(key) == value if value is not None else key not in direct
