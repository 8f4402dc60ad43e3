"""Load: the client's own monitoring files. Prometheus alerting rules (plain rule files or PrometheusRule
manifests), Alertmanager's routing tree and receivers (read by `alertmanager`), and SLO specs (sloth
`prometheus/v1`, OpenSLO v1).

Everything is read with positions, so a mistake in the client's files is reported at its file, line and
column like one in the content. Of Alertmanager's receivers only the name, the kind of each integration
and a destination that is no secret (an email address, a Slack channel) are kept: passwords, keys, tokens
and URLs never enter opsdocs' data, so no page can show them.
"""

from __future__ import annotations

import glob
import re
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from .alertmanager import Inhibition, Routing, read_routing
from .errors import ContentErrors, Problem, did_you_mean
from .links import is_safe_url, unsafe_message
from .parse import Document, parse_yaml_documents, read_text
from .routing import Receiver, Route

RULE_KEYS = ("alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations")
GROUP_KEYS = ("name", "interval", "rules", "limit", "query_offset", "labels", "partial_response_strategy")
SLOTH_WINDOW = timedelta(days=30)  # sloth's default SLO period


@dataclass(frozen=True)
class RuleAlert:
    """One alerting rule from the client's rule files, as written."""

    name: str
    expr: str
    for_: str | None
    labels: dict[str, str]
    annotations: dict[str, str]
    severity_label: str | None  # the value of its `severity` label
    severity: str | None  # that value mapped to a severity of the engagement
    file: str  # the file, relative to the engagement folder
    line: int
    group: str = ""  # the name of its rule group in that file

    @property
    def runbook_url(self) -> str | None:
        return self.annotations.get("runbook_url")


@dataclass(frozen=True)
class SourceSlo:
    id: str
    name: str
    objective: float  # percent
    window: timedelta
    service: str | None
    description: str | None
    spec: str  # "sloth" or "OpenSLO"
    file: str  # relative to the engagement folder
    line: int


@dataclass(frozen=True)
class Monitoring:
    """What one engagement's monitoring files say."""

    alerts: tuple[RuleAlert, ...] = ()
    route: Route | None = None
    receivers: dict[str, Receiver] = field(default_factory=dict)
    slos: tuple[SourceSlo, ...] = ()
    alertmanager: str | None = None  # the file, relative to the engagement folder
    # False when a rule file or an SLO file could not be read: references to its alerts or SLOs are then not checked
    rules_complete: bool = True
    slos_complete: bool = True
    inhibitions: tuple[Inhibition, ...] = ()  # which firing alerts keep which others from being sent


class _Reading:
    """Collects problems while the files are read; everything keeps its place."""

    def __init__(self, folder: Path, display: Any):
        self.folder = folder
        self.display = display
        self.problems: list[Problem] = []
        self.unreadable: set[Path] = set()

    def inside(self, path: Path) -> str:
        """A file's path relative to the engagement folder, as pages show it."""
        return path.relative_to(self.folder).as_posix()

    def files(self, patterns: list[str], doc: Document, loc: tuple) -> list[Path]:
        found: list[Path] = []
        for i, pattern in enumerate(patterns):
            if Path(pattern).is_absolute() or ".." in Path(pattern).parts:
                self.problems.append(doc.error(loc + (i,), f"'{pattern}' is outside the engagement folder",
                                               "write paths and globs relative to the engagement folder"))
                continue
            matched = sorted(Path(p) for p in glob.glob(str(self.folder / pattern), recursive=True) if Path(p).is_file())
            if not matched:
                self.problems.append(doc.error(loc + (i,), f"'{pattern}' matches no file",
                                               f"paths are relative to {self.display(self.folder)}/"))
            found.extend(m for m in matched if m not in found)
        return found

    def documents(self, path: Path) -> list[Document]:
        rel = self.display(path)
        try:
            return parse_yaml_documents(read_text(path, rel), path, rel)
        except ContentErrors as exc:
            self.problems.extend(exc.problems)
            self.unreadable.add(path)
            return []

    def unknown_keys(self, doc: Document, loc: tuple, data: dict, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.problems.append(doc.error(loc + (key,), f"unknown key '{key}'", did_you_mean(key, allowed), key=True))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def read_rules(reading: _Reading, path: Path, severity_labels: dict[str, str], severities: list[str]) -> list[RuleAlert]:
    """The alerting rules of one file: plain `groups:`, or PrometheusRule manifests (several per file allowed)."""
    alerts: list[RuleAlert] = []
    for doc in reading.documents(path):
        data, base = doc.data, ()
        if data.get("kind") == "PrometheusRule":
            data, base = data.get("spec") or {}, ("spec",)
        groups = data.get("groups") if isinstance(data, dict) else None
        if not isinstance(groups, list):
            reading.problems.append(doc.error(base, "not a Prometheus rule file: it has no list of 'groups'",
                                              "a rule file holds 'groups:'; a PrometheusRule manifest holds them under 'spec'"))
            continue
        for g, group in enumerate(groups):
            loc = base + ("groups", g)
            if not isinstance(group, dict):
                reading.problems.append(doc.error(loc, "a rule group must be a mapping with 'name' and 'rules'"))
                continue
            reading.unknown_keys(doc, loc, group, GROUP_KEYS)
            rules = group.get("rules") or []
            if not isinstance(rules, list):
                reading.problems.append(doc.error(loc + ("rules",), "'rules' must be a list of rules", "write each rule as a '- alert: ...' item"))
                continue
            for r, rule in enumerate(rules):
                alert = _rule(reading, doc, loc + ("rules", r), rule, severity_labels, severities)
                if alert is not None:
                    alerts.append(replace(alert, group=_text(group.get("name"))))
    return alerts


def _dropped(reading: _Reading, doc: Document) -> None:
    """A rule left out for its error: references to the file's alerts are then in doubt, and not checked."""
    reading.unreadable.add(doc.path)
    return None


def _rule(reading: _Reading, doc: Document, loc: tuple, rule: Any, severity_labels: dict[str, str],
          severities: list[str]) -> RuleAlert | None:
    if not isinstance(rule, dict):
        reading.problems.append(doc.error(loc, "a rule must be a mapping with 'alert' (or 'record') and 'expr'"))
        return _dropped(reading, doc)
    reading.unknown_keys(doc, loc, rule, RULE_KEYS)
    for key in ("labels", "annotations"):
        if rule.get(key) is not None and not isinstance(rule[key], dict):
            reading.problems.append(doc.error(loc + (key,), f"'{key}' must be a mapping of names to values", f"write '{key}:' and one 'name: value' per line"))
            return _dropped(reading, doc)
    if not _text(rule.get("expr")):
        reading.problems.append(doc.error(loc, "a rule without 'expr'", "every rule has the PromQL expression it evaluates"))
        return _dropped(reading, doc)
    if "alert" not in rule and "record" not in rule:
        if all(key in RULE_KEYS for key in rule):  # else the misspelt key was just reported: one mistake, one error
            reading.problems.append(doc.error(loc, "a rule with neither 'alert' nor 'record'", "name the alert: 'alert: Name'"))
        return _dropped(reading, doc)
    if "alert" not in rule:
        return None  # recording rules are not alerts
    labels = {str(k): _text(v) for k, v in (rule.get("labels") or {}).items()}
    label = labels.get("severity")
    severity = None
    if label is not None:
        mapped = severity_labels.get(label) if severity_labels else (label if label in severities else None)
        if mapped is None:
            known = ", ".join(f"{k}: {v}" for k, v in sorted(severity_labels.items())) or "none yet"
            reading.problems.append(doc.error(loc + ("labels", "severity"), f"severity '{label}' is not mapped to a severity of the engagement",
                                              f"add '{label}: sev…' under operate.monitor.sources.severity_labels (now: {known})"))
        severity = mapped
    annotations = {str(k): _text(v) for k, v in (rule.get("annotations") or {}).items()}
    url = annotations.get("runbook_url")
    if url and not is_safe_url(url):  # the client's file, not ours to refuse: shown as text, and said
        reading.problems.append(doc.error(loc + ("annotations", "runbook_url"), unsafe_message(url),
                                          "the pages show it as text; point it at an http(s) page", severity="warning"))
    line = doc.where(loc + ("alert",), key=True)[0]
    return RuleAlert(_text(rule["alert"]), _text(rule["expr"]).strip(), _text(rule.get("for")) or None, labels, annotations,
                     label, severity, reading.inside(doc.path), line)


_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def read_slos(reading: _Reading, path: Path) -> list[SourceSlo]:
    found: list[SourceSlo] = []
    for doc in reading.documents(path):
        data = doc.data
        if str(data.get("version")) == "prometheus/v1":
            found += _sloth(reading, doc)
        elif str(data.get("apiVersion", "")).startswith("openslo/") and data.get("kind") == "SLO":
            found += _openslo(reading, doc)
        elif not str(data.get("apiVersion", "")).startswith("openslo/"):
            reading.problems.append(doc.error((), "not an SLO spec: expected sloth's 'version: prometheus/v1' or OpenSLO's "
                                                  "'apiVersion: openslo/v1' with 'kind: SLO'"))
    return found


def _percent(reading: _Reading, doc: Document, loc: tuple, value: Any, ratio: bool = False) -> float | None:
    try:
        number = float(_text(value).rstrip("%")) * (100 if ratio else 1)
    except ValueError:
        number = -1.0
    if not 0 < number <= 100:
        reading.problems.append(doc.error(loc, f"'{value}' is not an objective: " + ("a ratio above 0, at most 1" if ratio else "a percentage above 0, at most 100")))
        return None
    return number


def _sloth(reading: _Reading, doc: Document) -> list[SourceSlo]:
    found = []
    slos = doc.data.get("slos") or []
    for i, slo in enumerate(slos if isinstance(slos, list) else [slos]):
        loc = ("slos", i)
        if not isinstance(slo, dict) or not _text(slo.get("name")):
            reading.problems.append(doc.error(loc, "an SLO without a 'name'"))
            continue
        objective = _percent(reading, doc, loc + ("objective",), slo.get("objective"))
        if objective is not None:
            found.append(SourceSlo(slo["name"], slo["name"], objective, SLOTH_WINDOW, _text(doc.data.get("service")) or None,
                                   _text(slo.get("description")) or None, "sloth", reading.inside(doc.path), doc.where(loc)[0]))
    return found


def _openslo(reading: _Reading, doc: Document) -> list[SourceSlo]:
    meta, spec = doc.data.get("metadata"), doc.data.get("spec")
    meta, spec = (meta if isinstance(meta, dict) else {}), (spec if isinstance(spec, dict) else {})
    name = _text(meta.get("name"))
    objectives = spec.get("objectives")
    if not name or not isinstance(objectives, list) or not objectives or not isinstance(objectives[0], dict):
        reading.problems.append(doc.error((), "an OpenSLO SLO needs 'metadata.name' and 'spec.objectives'"))
        return []
    first = objectives[0]
    loc = ("spec", "objectives", 0)
    objective = (_percent(reading, doc, loc + ("targetPercent",), first["targetPercent"]) if "targetPercent" in first
                 else _percent(reading, doc, loc + ("target",), first.get("target"), ratio=True))
    windows = spec.get("timeWindow")
    first = windows[0] if isinstance(windows, list) and windows else {}
    duration = _DURATION.match(_text(first.get("duration") if isinstance(first, dict) else ""))
    if not duration:
        reading.problems.append(doc.error(("spec", "timeWindow"), "an OpenSLO SLO needs a rolling 'timeWindow' with a 'duration' such as 28d"))
        return []
    if objective is None:
        return []
    window = timedelta(**{_UNIT[duration[2]]: int(duration[1])})
    return [SourceSlo(name, _text(meta.get("displayName")) or name, objective, window, _text(spec.get("service")) or None,
                      _text(spec.get("description")) or None, "OpenSLO", reading.inside(doc.path), doc.where(("metadata", "name"))[0])]


def read_monitoring(folder: Path, sources: Any, doc: Document, severities: list[str], display) -> tuple[Monitoring, list[Problem]]:
    """Read the files `operate.monitor.sources` names (paths relative to the engagement folder)."""
    reading = _Reading(folder, display)
    loc = ("operate", "monitor", "sources")
    mapping = dict(sources.severity_labels)
    for label, severity in sorted(mapping.items()):
        if severity not in severities:
            reading.problems.append(doc.error(loc + ("severity_labels", label), f"unknown severity '{severity}'", did_you_mean(severity, severities)))
    rule_files = reading.files(list(sources.prometheus_rules), doc, loc + ("prometheus_rules",))
    alerts = [a for path in rule_files for a in read_rules(reading, path, mapping, severities)]
    routing = Routing()
    if sources.alertmanager_configs and not sources.alertmanager:
        reading.problems.append(doc.error(loc + ("alertmanager_configs",), "alertmanager_configs without alertmanager: "
                                          "the resources are merged into the configuration alertmanager names",
                                          "name the Alertmanager configuration (a file, a Secret or a values file) in 'alertmanager'"))
    if sources.alertmanager:
        configs = reading.files(list(sources.alertmanager_configs), doc, loc + ("alertmanager_configs",))
        routing = read_routing(reading, sources.alertmanager, configs, doc, loc)
    slo_files = reading.files(list(sources.slos), doc, loc + ("slos",))
    slos = [s for path in slo_files for s in read_slos(reading, path)]
    complete = (not reading.unreadable & set(rule_files), not reading.unreadable & set(slo_files))
    return Monitoring(tuple(alerts), routing.route, routing.receivers or {}, tuple(slos), routing.file, *complete,
                      routing.inhibitions), reading.problems
