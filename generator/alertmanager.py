"""Collect: the client's Alertmanager routing, wherever it is kept.

A plain alertmanager.yml; a Kubernetes Secret that holds it (`stringData`, or
base64 under `data`, key `alertmanager.yaml` or the one named after `#`); the
`alertmanager.config` of a kube-prometheus-stack Helm values file (or the
dotted path named after `#`); and prometheus-operator's `AlertmanagerConfig`
resources, merged into the tree as the operator merges them: each resource's
route first under the root, with `continue: true` and a matcher for its
namespace, its receivers named `<namespace>/<name>/<receiver>`.

Only what may be shown is kept: receiver names, the kind of each integration
and its email `to` or Slack `channel`. A Secret's other keys, passwords, tokens
and `SecretKeySelector` references are never read into anything.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import ContentErrors, did_you_mean
from .parse import Document, parse_yaml
from .routing import INTEGRATIONS, Matcher, Receiver, Route

ROUTE_KEYS = ("receiver", "group_by", "continue", "matchers", "match", "match_re", "routes", "group_wait",
              "group_interval", "repeat_interval", "mute_time_intervals", "active_time_intervals")
SECRET_KEY = "alertmanager.yaml"  # where prometheus-operator looks in the Secret, unless told otherwise
HELM_PATH = "alertmanager.config"  # where kube-prometheus-stack's values.yaml keeps it
AMC_VERSIONS = ("monitoring.coreos.com/v1alpha1", "monitoring.coreos.com/v1beta1")
AMC_SPEC_KEYS = ("route", "receivers", "inhibitRules", "muteTimeIntervals")
AMC_ROUTE_KEYS = ("receiver", "groupBy", "groupWait", "groupInterval", "repeatInterval", "matchers", "continue", "routes",
                  "muteTimeIntervals", "activeTimeIntervals")
AMC_MATCHER_KEYS = {"monitoring.coreos.com/v1alpha1": ("name", "value", "matchType", "regex"),
                    "monitoring.coreos.com/v1beta1": ("name", "value", "matchType")}
AMC_INHIBIT_KEYS = ("sourceMatch", "targetMatch", "equal")
_MATCHER = re.compile(r'^\s*("(?:[^"\\]|\\.)*"|[^=!~\s]+)\s*(=~|!~|!=|=)\s*(.*?)\s*$')


@dataclass(frozen=True)
class Inhibition:
    """An inhibition rule: while an alert matching `source` fires, alerts matching `target` (with the same values of
    the `equal` labels) are not sent."""

    source: tuple[Matcher, ...]
    target: tuple[Matcher, ...]
    equal: tuple[str, ...]
    file: str
    line: int


@dataclass(frozen=True)
class Routing:
    route: Route | None = None
    receivers: dict[str, Receiver] | None = None
    inhibitions: tuple[Inhibition, ...] = ()
    file: str | None = None  # the configuration's file, relative to the engagement folder


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return re.sub(r"\\(.)", r"\1", text[1:-1])
    return text


def read_routing(reading, source: str, config_paths: Sequence[Path], doc: Document, loc: tuple) -> Routing:
    """The routing of `operate.monitor.sources`: the configuration `source` names, with the AlertmanagerConfig
    resources of `config_paths` merged in."""
    pattern, _, inner = source.partition("#")
    paths = reading.files([pattern], doc, loc + ("alertmanager",))
    return routing_of(reading, paths[0], inner, config_paths) if paths else Routing()


def routing_of(reading, path: Path, inner: str = "", config_paths: Sequence[Path] = ()) -> Routing:
    """The routing of one configuration file (`inner`: its Secret key or values path), with the resources merged."""
    config = _config_document(reading, path, inner)
    rel = reading.inside(path)
    if config is None:
        return Routing(file=rel)
    receivers = _receivers(config, rel)
    inhibitions = _inhibitions(reading, config, rel)
    if "route" not in config.data:
        reading.problems.append(config.error((), "an Alertmanager configuration without a 'route'", "the route tree starts with 'route:'"))
        return Routing(None, receivers, inhibitions, rel)
    resources = [r for path in config_paths for r in _resources(reading, path)]
    for resource in resources:
        receivers.update(resource.receivers)
    names = set(receivers)
    route = _route(reading, config, ("route",), config.data["route"], "", names)
    # In the order of their keys, `namespace/name`, as the operator takes them.
    merged = [_resource_route(reading, r, names, route.receiver) for r in sorted(resources, key=lambda r: f"{r.namespace}/{r.name}")]
    route = replace(route, routes=tuple(m for m in merged if m) + route.routes)
    return Routing(route, receivers, inhibitions + tuple(i for r in resources for i in r.inhibitions), rel)


# --- Where the configuration is: a plain file, a Secret or a Helm values file ---------------------------------------


def _config_document(reading, path: Path, inner: str) -> Document | None:
    docs = reading.documents(path)
    if not docs:
        return None
    doc = docs[0]
    if doc.data.get("kind") == "Secret":
        return _from_secret(reading, doc, inner or SECRET_KEY)
    helm = inner or (HELM_PATH if isinstance(doc.data.get("alertmanager"), dict) and "route" not in doc.data else "")
    return _below(reading, doc, tuple(helm.split("."))) if helm else doc


def _below(reading, doc: Document, keys: tuple[str, ...]) -> Document | None:
    """The mapping at a dotted path of a values file, as a document of its own whose positions are the file's."""
    data = doc.data
    for depth, key in enumerate(keys):
        if not isinstance(data, dict) or key not in data:
            reading.problems.append(doc.error(keys[:depth], f"no '{'.'.join(keys)}' here: the Alertmanager configuration is not found",
                                              "name where it is after '#' in operate.monitor.sources.alertmanager, "
                                              "e.g. values.yaml#alertmanager.config"))
            return None
        data = data[key]
    if not isinstance(data, dict):
        reading.problems.append(doc.error(keys, f"'{'.'.join(keys)}' must be the Alertmanager configuration (a mapping)"))
        return None
    n = len(keys)
    return Document(doc.path, doc.rel, data, {k[n:]: v for k, v in doc.values.items() if k[:n] == keys},
                    {k[n:]: v for k, v in doc.keys.items() if k[:n] == keys and len(k) > n})


def _from_secret(reading, doc: Document, key: str) -> Document | None:
    """The configuration a Secret holds, positioned in the manifest: text under `stringData` line by line, base64
    under `data` at its key's line."""
    for field in ("stringData", "data"):
        given = doc.data.get(field)
        if isinstance(given, dict) and key in given:
            break
    else:
        keys = sorted({k for f in ("stringData", "data") if isinstance(doc.data.get(f), dict) for k in doc.data[f]})
        reading.problems.append(doc.error(("data",) if "data" in doc.data else ("stringData",) if "stringData" in doc.data else (),
                                          f"the Secret has no key '{key}' under stringData or data",
                                          f"its keys: {', '.join(keys) or 'none'}; name another after '#', e.g. "
                                          f"alertmanager-secret.yaml#{keys[0] if keys else 'alertmanager.yaml'}"))
        return None
    value, where = given[key], (field, key)
    line, column = doc.where(where)
    if field == "data":
        try:
            text = base64.b64decode(_text(value), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            reading.problems.append(doc.error(where, f"data.{key} is not valid base64 text",
                                              "the value under data is the base64 of the file; or put the file itself under stringData"))
            return None
        return _embedded(reading, doc, text, lambda _line, _col: (line, column))
    raw = doc.path.read_text(encoding="utf-8", errors="replace").split("\n")
    block = line < len(raw) and re.search(r"[|>][-+0-9]*\s*(#.*)?$", raw[line - 1]) is not None
    if not block:
        return _embedded(reading, doc, _text(value), lambda _line, _col: (line, column))
    indent = next((len(t) - len(t.lstrip(" ")) for t in raw[line:] if t.strip()), 0)
    return _embedded(reading, doc, _text(value), lambda el, ec: (line + el, indent + ec))


def _embedded(reading, doc: Document, text: str, place) -> Document | None:
    """YAML inside a manifest's value, parsed, its positions moved to where they are in the manifest."""
    try:
        inner = parse_yaml(text, doc.path, doc.rel)
    except ContentErrors as exc:
        reading.problems.extend(replace(p, line=place(p.line, p.column)[0], column=place(p.line, p.column)[1]) for p in exc.problems)
        return None
    return Document(doc.path, doc.rel, inner.data, {k: place(*v) for k, v in inner.values.items()},
                    {k: place(*v) for k, v in inner.keys.items()})


# --- The plain configuration ----------------------------------------------------------------------------------------


def _matchers(reading, doc: Document, loc: tuple, route: dict, keys: tuple[str, str, str] = ("matchers", "match", "match_re")) -> tuple[Matcher, ...]:
    found: list[tuple[tuple, Matcher]] = []  # each with where it is written
    listed, exact, regex = keys
    matchers = route.get(listed) or []
    for i, text in enumerate(matchers if isinstance(matchers, list) else [matchers]):
        match = _MATCHER.match(_text(text))
        if not match:
            reading.problems.append(doc.error(loc + (listed, i), f"'{text}' is not a matcher",
                                              "write label=\"value\", label!=\"value\", label=~\"regex\" or label!~\"regex\""))
            continue
        found.append((loc + (listed, i), Matcher(_unquote(match[1]), match[2], _unquote(match[3]))))
    for key, op in ((exact, "="), (regex, "=~")):
        given = route.get(key) or {}
        if not isinstance(given, dict):
            reading.problems.append(doc.error(loc + (key,), f"'{key}' must be a mapping of label names to values"))
            continue
        found += [(loc + (key, k), Matcher(str(k), op, _text(v))) for k, v in given.items()]
    return _compiled(reading, doc, found)


def _compiled(reading, doc: Document, found: list[tuple[tuple, Matcher]]) -> tuple[Matcher, ...]:
    for where, m in found:
        if m.op in ("=~", "!~"):
            try:
                re.compile(m.value)
            except re.error as exc:
                reading.problems.append(doc.error(where, f"'{m.value}' is not a regular expression: {exc}"))
                return ()
    return tuple(m for _, m in found)


def _route(reading, doc: Document, loc: tuple, data: Any, inherited: str, names: set[str]) -> Route:
    if not isinstance(data, dict):
        reading.problems.append(doc.error(loc, "a route must be a mapping"))
        return Route(inherited)
    reading.unknown_keys(doc, loc, data, ROUTE_KEYS)
    receiver = _text(data.get("receiver")) or inherited
    if receiver and receiver not in names:
        reading.problems.append(doc.error(loc + ("receiver",), f"no receiver named '{receiver}'", did_you_mean(receiver, names)))
    routes = data.get("routes") or []
    children = tuple(_route(reading, doc, loc + ("routes", i), child, receiver, names)
                     for i, child in enumerate(routes if isinstance(routes, list) else [routes]))
    cont = str(data.get("continue", "false")).lower() == "true"
    return Route(receiver, _matchers(reading, doc, loc, data), cont, children)


def _receiver(entry: dict, name: str, line: int, file: str, camel: bool = False) -> Receiver:
    integrations = []
    for key in sorted(entry):
        suffix = "Configs" if camel else "_configs"
        if not key.endswith(suffix):
            continue
        plain = key[: -len(suffix)].lower() + "_configs"
        kind, shown = INTEGRATIONS.get(plain, (plain.removesuffix("_configs"), None))
        for config in entry[key] if isinstance(entry[key], list) else [entry[key]]:
            destination = _text(config.get(shown)) if shown and isinstance(config, dict) else ""
            integrations.append((kind, destination or None))
    return Receiver(name, tuple(integrations), line, file)


def _receivers(doc: Document, rel: str) -> dict[str, Receiver]:
    given = doc.data.get("receivers") or []
    entries = [(e, doc.where(("receivers", i))[0]) for i, e in enumerate(given if isinstance(given, list) else []) if isinstance(e, dict)]
    return {r.name: r for r in (_receiver(e, _text(e.get("name")), line, rel) for e, line in entries)}


def _inhibitions(reading, doc: Document, rel: str) -> tuple[Inhibition, ...]:
    found = []
    rules = doc.data.get("inhibit_rules") or []
    for i, rule in enumerate(rules if isinstance(rules, list) else []):
        if not isinstance(rule, dict):
            continue
        loc = ("inhibit_rules", i)
        source = _matchers(reading, doc, loc, rule, ("source_matchers", "source_match", "source_match_re"))
        target = _matchers(reading, doc, loc, rule, ("target_matchers", "target_match", "target_match_re"))
        equal = rule.get("equal") or []
        found.append(Inhibition(source, target, tuple(map(str, equal if isinstance(equal, list) else [equal])), rel, doc.where(loc)[0]))
    return tuple(found)


# --- prometheus-operator's AlertmanagerConfig resources -------------------------------------------------------------


@dataclass(frozen=True)
class _Resource:
    doc: Document
    loc: tuple
    namespace: str
    name: str
    version: str
    receivers: dict[str, Receiver]
    inhibitions: tuple[Inhibition, ...]

    def prefixed(self, receiver: str) -> str:
        return f"{self.namespace}/{self.name}/{receiver}" if receiver else ""


def _resources(reading, path: Path) -> list[_Resource]:
    found = []
    for doc in reading.documents(path):
        if doc.data.get("kind") != "AlertmanagerConfig":
            reading.problems.append(doc.error(("kind",), "not an AlertmanagerConfig resource",
                                              "alertmanager_configs lists files of kind: AlertmanagerConfig"))
            continue
        version = _text(doc.data.get("apiVersion"))
        if version not in AMC_VERSIONS:
            reading.problems.append(doc.error(("apiVersion",), f"apiVersion '{version}' is not one opsdocs reads",
                                              f"use {' or '.join(AMC_VERSIONS)}"))
            continue
        meta = doc.data.get("metadata") if isinstance(doc.data.get("metadata"), dict) else {}
        namespace, name = _text(meta.get("namespace")), _text(meta.get("name"))
        if not namespace or not name:
            reading.problems.append(doc.error(("metadata",), "an AlertmanagerConfig needs metadata.name and metadata.namespace",
                                              "the operator routes only its namespace's alerts to it: write the namespace it is applied in"))
            continue
        spec = doc.data.get("spec") if isinstance(doc.data.get("spec"), dict) else {}
        reading.unknown_keys(doc, ("spec",), spec, AMC_SPEC_KEYS)
        resource = _Resource(doc, ("spec",), namespace, name, version, {}, ())
        receivers = {}
        for i, entry in enumerate(spec.get("receivers") or []):
            if isinstance(entry, dict):
                full = resource.prefixed(_text(entry.get("name")))
                receivers[full] = _receiver(entry, full, doc.where(("spec", "receivers", i))[0], reading.inside(path), camel=True)
        found.append(replace(resource, receivers=receivers, inhibitions=_amc_inhibitions(reading, resource)))
    return found


def _amc_matchers(reading, resource: _Resource, loc: tuple, given: Any) -> tuple[Matcher, ...]:
    found = []
    for i, m in enumerate(given if isinstance(given, list) else []):
        if not isinstance(m, dict):
            reading.problems.append(resource.doc.error(loc + (i,), "a matcher is a mapping: name, value and matchType"))
            continue
        reading.unknown_keys(resource.doc, loc + (i,), m, AMC_MATCHER_KEYS[resource.version])
        op = _text(m.get("matchType")) or ("=~" if str(m.get("regex")).lower() == "true" else "=")
        if op not in ("=", "!=", "=~", "!~"):
            reading.problems.append(resource.doc.error(loc + (i, "matchType"), f"matchType '{op}' is not =, !=, =~ or !~"))
            continue
        found.append((loc + (i,), Matcher(_text(m.get("name")), op, _text(m.get("value")))))
    return _compiled(reading, resource.doc, found)


def _amc_route(reading, resource: _Resource, loc: tuple, data: Any, inherited: str, names: set[str]) -> Route:
    doc = resource.doc
    if not isinstance(data, dict):
        reading.problems.append(doc.error(loc, "a route must be a mapping"))
        return Route(inherited)
    reading.unknown_keys(doc, loc, data, AMC_ROUTE_KEYS)
    receiver = resource.prefixed(_text(data.get("receiver"))) or inherited
    if receiver and receiver not in names:
        short = _text(data.get("receiver"))
        reading.problems.append(doc.error(loc + ("receiver",), f"no receiver named '{short}' in this AlertmanagerConfig",
                                          did_you_mean(short, [n.rsplit("/", 1)[-1] for n in resource.receivers])))
    children = tuple(_amc_route(reading, resource, loc + ("routes", i), child, receiver, names)
                     for i, child in enumerate(data.get("routes") or []))
    cont = str(data.get("continue", "false")).lower() == "true"
    return Route(receiver, _amc_matchers(reading, resource, loc + ("matchers",), data.get("matchers")), cont, children)


def _resource_route(reading, resource: _Resource, names: set[str], root: str) -> Route | None:
    """A resource's route as the operator puts it under the root: only its namespace's alerts, and on to the next
    (without a receiver of its own, the root's, as Alertmanager has a child route inherit its parent's)."""
    spec = resource.doc.data.get("spec") if isinstance(resource.doc.data.get("spec"), dict) else {}
    if not spec.get("route"):
        return None
    route = _amc_route(reading, resource, ("spec", "route"), spec["route"], root, names)
    return replace(route, matchers=route.matchers + (Matcher("namespace", "=", resource.namespace),), continue_=True)


def _amc_inhibitions(reading, resource: _Resource) -> tuple[Inhibition, ...]:
    spec = resource.doc.data.get("spec") if isinstance(resource.doc.data.get("spec"), dict) else {}
    found = []
    own = Matcher("namespace", "=", resource.namespace)
    for i, rule in enumerate(spec.get("inhibitRules") or []):
        loc = ("spec", "inhibitRules", i)
        if not isinstance(rule, dict):
            continue
        reading.unknown_keys(resource.doc, loc, rule, AMC_INHIBIT_KEYS)
        source = tuple(m for m in _amc_matchers(reading, resource, loc + ("sourceMatch",), rule.get("sourceMatch")) if m.label != "namespace")
        target = tuple(m for m in _amc_matchers(reading, resource, loc + ("targetMatch",), rule.get("targetMatch")) if m.label != "namespace")
        equal = tuple(map(str, rule.get("equal") or []))
        found.append(Inhibition(source + (own,), target + (own,), equal, reading.inside(resource.doc.path), resource.doc.where(loc)[0]))
    return tuple(found)
