"""Write a synthetic but realistic content tree of N engagements (10 runbooks, 10 post-mortems each).

Every field of the format is used; sizes vary (steps, symptoms, timelines, action
items, text length). The same N and seed always give the same bytes.

    python bench/portfolio.py 200 --out /tmp/portfolio-200
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("checkout payment order export queue worker cache database replica index search cart catalogue "
         "latency timeout certificate rotation deploy rollback node pool disk memory connection webhook "
         "warehouse invoice customer retry backlog alert dashboard error rate spike saturation").split()
CLIENTS = ("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Ginkgo", "Hazel", "Ivy", "Juniper", "Larch", "Maple")
KINDS = ("Retail", "Logistics", "Health", "Media", "Travel", "Energy", "Finance", "Foods")
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "UTC", "Asia/Singapore")


def sentence(rng: random.Random, low: int = 5, high: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def engagement(rng: random.Random, n: int) -> tuple[dict, list[str], list[str]]:
    client = f"{rng.choice(CLIENTS)} {rng.choice(KINDS)} {n}"
    slos = [{"id": f"slo-{i}", "name": f"{w.capitalize()} availability", "sli": sentence(rng),
             "objective": rng.choice(["99.9", "99.5", "99.95", "99.0"]), "window": rng.choice(["30d", "7d", "28d"])}
            for i, w in enumerate(rng.sample(WORDS, rng.randint(2, 4)))]
    runbooks = [f"runbook-{i}" for i in range(10)]
    alerts = [{"id": f"alert-{i}", "name": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} high",
               "condition": f"{rng.choice(WORDS)} > {rng.randint(1, 90)}% for {rng.randint(1, 15)}m",
               "severity": rng.choice(["sev1", "sev2", "sev3"]), "slo": rng.choice(slos)["id"],
               "runbook": runbooks[i % 10], "notify": ["pagerduty:primary", "slack:#ops"]}
              for i in range(rng.randint(6, 14))]
    alerts[-1].pop("runbook")
    data = {
        "schema_version": 1,
        "title": f"{client} operations",
        "client": {"name": f"{client} GmbH", "contacts": [
            {"name": f"Contact {i}", "role": "CTO" if i == 0 else "Engineer", "email": f"c{i}@client{n}.example"} for i in range(rng.randint(1, 4))]},
        "provider": {"contacts": [{"name": "Sam Lee", "role": "Engagement lead", "email": "sam@northwind.example"},
                                  {"name": "Internal backup", "role": "On-call", "visibility": "internal"}]},
        "system": {"name": f"{client} Platform", "summary": paragraph(rng, rng.randint(2, 6)),
                   "environments": [{"name": "production", "url": f"https://app.client{n}.example"},
                                    {"name": "staging", "url": f"https://staging.client{n}.example", "notes": sentence(rng)}],
                   "components": [{"name": f"service-{i}", "tech": "Python / Django", "repo": f"https://git.client{n}.example/s{i}"} for i in range(rng.randint(2, 6))]},
        "period": {"start": "2025-01-01", "end": "2026-12-31"},
        "internal_notes": sentence(rng),
        "operate": {
            "monitor": {
                "logs": {"tool": "Loki", "retention": "30d", "url": f"https://grafana.client{n}.example/explore"},
                "metrics": {"tool": "Prometheus", "retention": "90d"},
                "tracing": {"tool": "Tempo", "retention": "7d"},
                "dashboards": [{"name": f"{w.capitalize()} overview", "url": f"https://grafana.client{n}.example/d/{w}"} for w in rng.sample(WORDS, 3)],
                "uptime_checks": [{"name": "Front door", "target": f"https://app.client{n}.example/health", "interval": "1m"}],
                "slos": slos,
                "alerts": alerts,
                "quality_signals": [{"name": "Answer relevance", "measure": "weekly review", "target": ">= 0.8"}],
            },
            "fix": {
                "severity_levels": [
                    {"id": "sev1", "name": "Critical", "description": sentence(rng), "postmortem": "required"},
                    {"id": "sev2", "name": "Major", "description": sentence(rng), "postmortem": "required"},
                    {"id": "sev3", "name": "Minor", "description": sentence(rng), "postmortem": "optional"}],
                "escalation": [{"after": "0m", "to": "On-call engineer"}, {"after": "30m", "to": "Engagement lead"}, {"after": "1h", "to": "Client CTO"}],
            },
            "improve": {"review_cadence": "monthly", "backlog": [
                {"id": f"improve-{i}", "title": sentence(rng, 3, 6), "evidence": sentence(rng), "expected_impact": sentence(rng),
                 "status": rng.choice(["planned", "in-progress", "done"]), "incident": f"incident-{i}"} for i in range(rng.randint(1, 5))]},
            "optimize": {
                "costs": [{"item": f"{w.capitalize()} nodes", "monthly": rng.randint(300, 5000), "target": rng.randint(200, 4000)} for w in rng.sample(WORDS, 3)],
                "ai_usage": [{"provider": "OpenAI", "model": "gpt-4.1-mini", "monthly_requests": rng.randint(1000, 200000), "monthly_cost": rng.randint(50, 600), "budget": 500}],
                "actions": [{"title": sentence(rng, 3, 6), "expected_saving": rng.randint(50, 900), "status": "planned"}],
            },
        },
        "terms": {
            "model": "retainer" if n % 3 else "hourly", "currency": "EUR", "hourly_rate": 150,
            **({"retainer": {"monthly_fee": 2800, "included_hours": 20, "rollover": "none"}} if n % 3 else {}),
            "coverage": {"hours": "Mon–Fri 08:00–18:00", "timezone": rng.choice(ZONES)},
            "response_windows": [{"severity": "sev1", "response": "1h", "coverage": "24x7"}, {"severity": "sev2", "response": "4h"}, {"severity": "sev3", "response": "2d"}],
            "reporting": "monthly", "notice_period": "30d", "review": sentence(rng),
        },
    }
    return data, runbooks, [a["id"] for a in alerts]


def runbook(rng: random.Random, alert_ids: list[str], i: int) -> dict:
    steps = lambda: [{"do": sentence(rng, 4, 10), "run": f"kubectl -n app logs deploy/{rng.choice(WORDS)} --since={rng.randint(5, 60)}m | grep ERROR",
                      "expect": sentence(rng, 3, 8)} for _ in range(rng.randint(1, 5))]
    return {"title": f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} failing ({i})", "summary": paragraph(rng, rng.randint(1, 4)),
            "alerts": [alert_ids[i]] if i < len(alert_ids) - 1 else [], "owner": "Sam Lee",
            "last_tested": f"2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}",
            "symptoms": [sentence(rng) for _ in range(rng.randint(1, 5))],
            "steps": {"diagnose": steps(), "mitigate": steps(), "verify": steps(), "rollback": steps()},
            "escalate": {"after": "30m", "to": "Engagement lead"}}


def incident(rng: random.Random, i: int, slo: str, runbooks: list[str], alert_ids: list[str]) -> dict:
    start = datetime(2026, rng.randint(1, 9), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59), tzinfo=timezone.utc)
    stamps = [start]
    for _ in range(4):
        stamps.append(stamps[-1] + timedelta(minutes=rng.randint(1, 120)))
    iso = [s.isoformat().replace("+00:00", "Z") for s in stamps]
    return {
        "title": f"{sentence(rng, 3, 7)[:-1]} ({i})", "severity": rng.choice(["sev1", "sev2", "sev3"]),
        "status": rng.choice(["complete", "complete", "in-review"]), "authors": ["Sam Lee"], "date": start.date().isoformat(),
        "timezone": "UTC", "started_at": iso[0], "detected_at": iso[1], "acknowledged_at": iso[2], "mitigated_at": iso[3],
        "resolved_at": iso[4], "slo": slo, "summary": paragraph(rng, rng.randint(1, 4)), "impact": paragraph(rng, rng.randint(1, 3)),
        "root_causes": [sentence(rng) for _ in range(rng.randint(1, 3))], "trigger": sentence(rng), "resolution": sentence(rng),
        "detection": sentence(rng),
        "timeline": [{"at": s, "event": sentence(rng, 3, 9)} for s in iso[: rng.randint(2, 5)]],
        "action_items": [{"do": sentence(rng, 4, 9), "type": rng.choice(["prevent", "mitigate", "detect", "process"]), "owner": "Sam Lee",
                          "due": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "status": rng.choice(["open", "done", "in-progress"]),
                          "ticket": f"OPS-{rng.randint(100, 999)}"} for _ in range(rng.randint(1, 5))],
        "lessons": {"went_well": [sentence(rng)], "went_wrong": [sentence(rng)], "got_lucky": [sentence(rng)]},
        "related": {"runbooks": [rng.choice(runbooks)], "alerts": [rng.choice(alert_ids)]},
    }


def write_portfolio(n: int, out: Path, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    shutil.copytree(ROOT / "content" / "handbook", content / "handbook")
    # The example's site.yaml without the keys newer than the benchmarks' baselines (bench/against.py builds this
    # portfolio with earlier commits too): the default review cycle is the same.
    site = yaml.safe_load((ROOT / "content" / "site.yaml").read_text(encoding="utf-8"))
    site.pop("runbooks", None)
    (content / "site.yaml").write_text(yaml.safe_dump(site, sort_keys=False, allow_unicode=True), encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    dump = lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    for e in range(n):
        folder = content / "engagements" / f"client-{e:04d}"
        (folder / "runbooks").mkdir(parents=True)
        (folder / "incidents").mkdir()
        data, runbooks, alert_ids = engagement(rng, e)
        (folder / "engagement.yaml").write_text(dump(data), encoding="utf-8")
        for i, rid in enumerate(runbooks):
            (folder / "runbooks" / f"{rid}.yaml").write_text(dump(runbook(rng, alert_ids, i)), encoding="utf-8")
        slos = [s["id"] for s in data["operate"]["monitor"]["slos"]]
        for i in range(10):
            (folder / "incidents" / f"incident-{i}.yaml").write_text(dump(incident(rng, i, rng.choice(slos), runbooks, alert_ids)), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engagements", type=int, help="how many engagements")
    parser.add_argument("--out", type=Path, default=None, help="the folder to write (default: /tmp/opsdocs-portfolio-N)")
    parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
    args = parser.parse_args()
    out = write_portfolio(args.engagements, args.out or Path(f"/tmp/opsdocs-portfolio-{args.engagements}"), args.seed)
    print(f"wrote {args.engagements} engagements to {out}")


if __name__ == "__main__":
    main()
