"""The JSON Schema editors use and `opsdocs check` agree: on the example, and on single-file mutations of it.

check-jsonschema reads YAML as editors do (YAML 1.2: `2024` is a number, `<<` merges); `opsdocs check` reads
every value as text and lets the field decide. On every rule a schema can express the two give the same
verdict. References across files (an alert's runbook, an incident's SLO) are `check`'s alone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.schema import write_schemas
from tests.conftest import EXAMPLE, need

ENGAGEMENT = "engagements/kestrel-shop/engagement.yaml"
RUNBOOK = "engagements/kestrel-shop/runbooks/checkout-errors.yaml"
INCIDENT = "engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml"
KIND = {ENGAGEMENT: "engagement", RUNBOOK: "runbook", INCIDENT: "incident", "site.yaml": "site"}

# (what, file, text to replace, replacement, does check accept it)
MUTATIONS = [
    ("objective above 100", ENGAGEMENT, "objective: 99.9", "objective: 100.5", False),
    ("objective of 0", ENGAGEMENT, "objective: 99.9", "objective: 0", False),
    ("objective as text above 100", ENGAGEMENT, 'objective: "99.5%"', 'objective: "100.5%"', False),
    ("an email that is none", ENGAGEMENT, "email: dev@kestrel-outdoor.example", "email: not-an-email", False),
    ("a time zone that does not exist", ENGAGEMENT, "timezone: Europe/Berlin}", "timezone: Mars/Olympus}", False),
    ("a misspelt time zone", INCIDENT, "timezone: Europe/Berlin", "timezone: Europe/Berlinn", False),
    ("30 February", INCIDENT, "date: 2026-03-14", "date: 2026-02-30", False),
    ("month 13", RUNBOOK, "last_tested: 2026-09-08", "last_tested: 2026-13-45", False),
    ("a datetime where a date belongs", INCIDENT, "date: 2026-03-14", "date: 2026-03-14T00:00:00Z", False),
    ("a time of day that does not exist", INCIDENT, "at: 09:15,", "at: 25:99,", False),
    ("a datetime without its offset", INCIDENT, "started_at: 2026-03-14T09:12:00+01:00", "started_at: 2026-03-14T09:12:00", False),
    ("a URL with a space", ENGAGEMENT, "url: https://shop.kestrel-outdoor.example}", 'url: "https://shop.kestrel-outdoor.example/a b"}', False),
    ("an unknown key", RUNBOOK, "owner:", "ownr:", False),
    ("an empty title", RUNBOOK, "title: Checkout error rate high", 'title: ""', False),
    ("a negative amount", ENGAGEMENT, "monthly_fee: 2800", "monthly_fee: -1", False),
    ("a duration that is none", ENGAGEMENT, "notice_period: 30d", "notice_period: soon", False),
    ("a year as a title", RUNBOOK, "title: Checkout error rate high", "title: 2024", True),
    ("a number as a cadence", ENGAGEMENT, "review_cadence: monthly, first Tuesday", "review_cadence: 30", True),
    ("yes as text", RUNBOOK, "title: Checkout error rate high", "title: yes", True),
    ("a language opsdocs does not write", "site.yaml", "language: en", "language: it", False),
    ("a language with a region", "site.yaml", "language: en", "language: de-CH", True),
    ("an engagement in French", ENGAGEMENT, "title: Kestrel Shop operations", "title: Kestrel Shop operations\nlanguage: fr", True),
    ("a merge key", RUNBOOK, "escalate: {after: 30m, to: Engagement lead (Sam Lee)}",
     "escalate: {<<: {after: 30m, to: Somebody}, to: Engagement lead (Sam Lee)}", True),
    ("a merge key bringing an unknown key", RUNBOOK, "escalate: {after: 30m, to: Engagement lead (Sam Lee)}",
     "escalate: {<<: {after: 30m, when: always}, to: Engagement lead (Sam Lee)}", False),
    ("a time of day with seconds", INCIDENT, "at: 09:15,", "at: '09:15:30',", True),
    ("an objective as a percentage text", ENGAGEMENT, "objective: 99.9", 'objective: "99.9 %"', True),
    ("a numeric id", ENGAGEMENT, "id: cache-product-pages", "id: 404", True),
]
def check_jsonschema() -> str:
    found = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    need(Path(found).exists(), "check-jsonschema is not installed (pip install -e '.[test]')")
    return found


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> Path:
    return write_schemas(tmp_path_factory.mktemp("schemas"))[0].parent


def schema_accepts(tool: str, schemas: Path, kind: str, path: Path) -> tuple[bool, str]:
    done = subprocess.run([tool, "--schemafile", str(schemas / f"{kind}.schema.json"), str(path)],
                          capture_output=True, text=True, timeout=120)
    return done.returncode == 0, done.stdout + done.stderr


def test_the_example_passes_both(schemas: Path) -> None:
    tool = check_jsonschema()
    files = {"site.yaml": "site", "handbook/pricing.yaml": "pricing", "handbook/phases/operate.yaml": "phase"}
    files.update({str(p.relative_to(EXAMPLE)): "runbook" for p in (EXAMPLE / "engagements/kestrel-shop/runbooks").glob("*.yaml")})
    files.update({str(p.relative_to(EXAMPLE)): "incident" for p in (EXAMPLE / "engagements/kestrel-shop/incidents").glob("*.yaml")})
    files[ENGAGEMENT] = "engagement"
    for rel, kind in files.items():
        ok, output = schema_accepts(tool, schemas, kind, EXAMPLE / rel)
        assert ok, f"{rel}: {output}"


@pytest.mark.parametrize("what,rel,old,new,accepted", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_check_and_the_schema_give_the_same_verdict(project: Path, schemas: Path, what, rel, old, new, accepted) -> None:
    tool = check_jsonschema()
    path = project / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{what}: {old!r} is not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check"])
    assert (result.exit_code == 0) is accepted, f"{what}: check said\n{result.output}"
    ok, output = schema_accepts(tool, schemas, KIND[rel], path)
    assert ok is accepted, f"{what}: check-jsonschema said\n{output}"
