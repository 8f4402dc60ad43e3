"""The floor: the least work that turns the content tree into the same pages, in one process.

PyYAML's C loader reads every file into plain dicts; plain Jinja renders the
same page templates from them; the pages are written. Nothing is validated,
computed or escaped: filters and figures the templates ask for are empty
stand-ins. opsdocs does all that on top, so this is a lower bound for it.

    python bench/floor.py /tmp/opsdocs-portfolio-200 --out /tmp/floor-docs
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import datetime
from pathlib import Path

import jinja2
import yaml

ROOT = Path(__file__).resolve().parent.parent


class Loose:
    """Anything a template asks of it: attribute, item, call, iteration, text. Stands in for figures."""

    def __getattr__(self, name: str) -> "Loose":
        return self

    def __getitem__(self, key) -> "Loose":
        return self

    def __call__(self, *args, **kwargs) -> "Loose":
        return self

    def __iter__(self):
        return iter(())

    def __len__(self) -> int:
        return 0

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return ""

    def __sub__(self, other) -> "Loose":
        return self

    def __gt__(self, other) -> bool:
        return False

    __lt__ = __ge__ = __le__ = __gt__


LOOSE = Loose()


class Obj:
    """A YAML mapping whose keys read as attributes (even `items`); a missing key is Loose."""

    __slots__ = ("_data",)

    def __init__(self, data: dict):
        self._data = data

    def __getattr__(self, name: str):
        return wrap(self._data.get(name, LOOSE))

    __getitem__ = __getattr__

    def get(self, name: str, default=None):
        return wrap(self._data.get(name, default))


class Docs(dict):
    """A collection of documents by id (runbooks, incidents, engagements): a real mapping."""


def wrap(value):
    if isinstance(value, Docs):
        return value
    if isinstance(value, dict):
        return Obj(value)
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


def load(path: Path) -> Obj:
    with path.open("rb") as handle:
        return Obj(yaml.load(handle, Loader=yaml.CSafeLoader))


_LATE = datetime(2026, 1, 1, 12, 0)


def floor_build(content: Path, out: Path) -> int:
    """Load, render and write every page; returns the number of pages."""
    templates = ROOT / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([templates / "mkdocs", templates / "common"]),
        undefined=jinja2.ChainableUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations()  # type: ignore[attr-defined]
    blank = lambda *args, **kwargs: ""
    for name in ("text", "md", "link", "code", "codeblock", "duration", "number", "money", "mermaid", "raw", "row",
                 "percent", "local", "abs_duration", "allowed", "response_verdict", "fill", "value", "date", "percentage",
                 "guide", "receivers", "time_of_day", "zone_name"):
        env.filters[name] = blank
    env.filters["in_zone"] = lambda moment, zone: _LATE  # the timeline's rows, as a datetime the template can ask the date of
    env.globals.update(engine="mkdocs", admonition=blank, draft_banner=blank, steps_flowchart=blank, escalation_flowchart=blank,
                       incident_gantt=blank, monthly_chart=blank, operate_loop=blank, insights=LOOSE, as_of="", operate_outline=[],
                       audience="client")
    site = load(content / "site.yaml")
    pages: dict[str, str] = {}
    phases = Docs({p.stem: load(p) for p in sorted((content / "handbook/phases").glob("*.yaml"))})
    pricing = load(content / "handbook/pricing.yaml")
    engagements = Docs()
    for folder in sorted((content / "engagements").iterdir()):
        runbooks = Docs({p.stem: load(p) for p in sorted((folder / "runbooks").glob("*.yaml"))})
        incidents = Docs({p.stem: load(p) for p in sorted((folder / "incidents").glob("*.yaml"))})
        e = load(folder / "engagement.yaml")
        engagements[folder.name] = Obj({"id": folder.name, "engagement": e._data, "title": e.get("title")})
        engagements[folder.name]._data.update(runbooks=runbooks, incidents=incidents)
    everything = Obj({"site": site, "phases": phases, "pricing": pricing, "engagements": engagements})
    render = lambda name, **ctx: env.get_template(name).render(site=site, **ctx)
    pages["index.md"] = render("home.md.j2", content=everything)
    for pid, phase in phases.items():
        pages[f"phases/{pid}.md"] = render("phase.md.j2", phase=phase, id=pid)
    pages["delivery/pricing.md"] = render("pricing.md.j2", pricing=pricing)
    pages["templates/operate-template.md"] = render("operate-template.md.j2")
    pages["engagements/index.md"] = render("portfolio.md.j2", content=everything)
    for eid, data in engagements.items():
        ctx = {"data": data, "e": data.engagement, "id": eid}
        base = f"engagements/{eid}"
        for name, template in (("index", "overview"), ("operate", "operate"), ("terms", "terms"),
                               ("runbooks/index", "runbooks"), ("postmortems/index", "postmortems")):
            pages[f"{base}/{name}.md"] = render(f"engagement/{template}.md.j2", **ctx)
        for rid, runbook in data.runbooks.items():
            pages[f"{base}/runbooks/{rid}.md"] = render("engagement/runbook.md.j2", runbook=runbook, rid=rid, **ctx)
        for iid, incident in data.incidents.items():
            pages[f"{base}/postmortems/{iid}.md"] = render("engagement/postmortem.md.j2", incident=incident, iid=iid, **ctx)
    if out.exists():
        shutil.rmtree(out)
    for rel, text in pages.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("project", type=Path, help="a folder made by bench/portfolio.py")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: PROJECT/floor-docs)")
    args = parser.parse_args()
    start = time.perf_counter()
    count = floor_build(args.project / "content", args.out or args.project / "floor-docs")
    print(f"{count} pages in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
