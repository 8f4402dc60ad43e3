"""Publish: each client's docs, where only that client can read them.

For every client asked for: build its bundle (`bundle.py`, cached), audit it for leaks (`audit.py`; a finding
stops the whole publish before anything is delivered), then deliver it (`deliver.py`: a folder, or a git branch)
with its access (`access.py` for logins; encryption happens in the bundle). What was published is recorded in
`publish-record.json` at the project's top: for each client, where, when, from which content revision, and a hash
per file, which `publish --status` and `export --since last-publish` read.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..cache import digest_tree
from ..errors import OpsdocsError, unknown_engagement
from ..history import PUBLISH_RECORD as RECORD
from ..lock import holding
from ..model.site import Publish
from ..pipeline import read_content
from ..project import Project
from ..write import MARKER, check_output_dir, write_atomic
from .access import write_access
from .audit import Banned, Leak, audit, bundle_files
from .bundle import Bundle, build_bundle
from .deliver import deliver_dir, deliver_git, parse_git
from .settings import Credentials, Target, credentials_for, read_credentials, targets


class Leaked(OpsdocsError):
    def __init__(self, leaks: list[Leak]):
        shown = "\n".join("  " + leak.format() for leak in leaks[:50])
        more = f"\n  ... and {len(leaks) - 50} more" if len(leaks) > 50 else ""
        super().__init__(f"the leak audit found {len(leaks)} string(s) that must not reach these clients; nothing was "
                         f"published:\n{shown}{more}", "remove the text from the content, or mark the item visibility: internal")
        self.leaks = leaks


@dataclass(frozen=True)
class Published:
    target: Target
    built: bool  # False: the cached bundle was current
    where: str  # the folder, or the repository and branch
    commit: str | None = None


def content_revision(project: Project) -> str:
    """The content's git commit (with '+changes' when files differ from it), else a digest of the content."""
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=project.content_dir, capture_output=True, text=True)
    if done.returncode != 0:
        return "content:" + digest_tree([project.content_dir])
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=project.content_dir, capture_output=True, text=True)
    return done.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def engagement_digest(project: Project, eid: str) -> str:
    """What a client's bundle is made of, besides opsdocs: its engagement folder, site.yaml and the handbook."""
    content = project.content_dir
    return digest_tree([content / "site.yaml", content / "handbook", content / "engagements" / eid])


def read_record(project: Project) -> dict:
    path = project.root / RECORD
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise OpsdocsError(f"{RECORD} is not JSON ({exc})", "restore it from git, or remove it to start a new record") from None


def publish(project: Project, ids: list[str] | None, given: Publish, dry_run: bool, progress: Callable[[str], None],
            techdocs: bool = False) -> list[Published]:
    content = read_content(project).content
    chosen = ids or sorted(content.engagements)
    unknown = [eid for eid in chosen if eid not in content.engagements]
    if unknown:
        raise unknown_engagement(unknown[0], sorted(content.engagements))
    plans = targets(content, chosen, given)
    if techdocs:
        if any(t.access != "none" for t in plans):
            raise OpsdocsError("a TechDocs source is read by Backstage, which has logins of its own: --techdocs takes no --access",
                               "leave out --access (and publish.access) for --techdocs")
        plans = [replace(t, techdocs=True) for t in plans]
    credentials = _credentials(project, plans, given.credentials or content.site.publish.credentials)
    bundles = [build_bundle(project, t, credentials.get(t.eid, Credentials()).password, progress, content) for t in plans]
    banned = Banned(content, {eid: project.content_dir / "engagements" / eid for eid in content.engagements})
    leaks = [Leak(f"{b.target.eid}/{leak.file}", leak.text, leak.origin) for b in bundles
             for leak in audit(bundle_files(b.docs, b.site), banned.of(b.target.eid))]
    if leaks:
        raise Leaked(leaks)
    progress(f"publish: the leak audit passed for {len(bundles)} client(s)")
    if dry_run:
        return [Published(b.target, b.built, b.target.to) for b in bundles]
    return _deliver(project, bundles, credentials, progress)


def _credentials(project: Project, plans: list[Target], file: str | None) -> dict[str, Credentials]:
    needed = [t for t in plans if t.access != "none"]
    path = (project.root / file) if file else None
    known = read_credentials(path, project.content_dir) if path and needed else {}
    return {t.eid: credentials_for(t, known, path) for t in needed}


def _deliver(project: Project, bundles: list[Bundle], credentials: dict[str, Credentials], progress) -> list[Published]:
    done: list[Published] = []
    record = read_record(project)
    by_dest: dict[str, list[Bundle]] = {}
    for b in bundles:
        by_dest.setdefault(b.target.to, []).append(b)
    for to, group in sorted(by_dest.items()):
        if to.startswith("git:"):
            done += _to_git(project, to, group, progress)
            continue
        dest = (project.root / to[len("dir:"):]).resolve()
        with holding(project.root, [dest], "publish", False, progress, str):
            places = {b.target.eid: dest / ("techdocs" if b.target.techdocs else "sites") / b.target.eid for b in group}
            guarded = [b.target for b in group if b.target.access == "basic"]
            for place in [*places.values(), *([dest / "access"] if guarded else [])]:
                check_output_dir(place, project.protected())  # never over a folder of the user's; all before any
            for b in group:
                into = places[b.target.eid]
                deliver_dir(into, b.site)
                progress(f"publish: {b.target.eid} → {project.rel(into)}/")
                done.append(Published(b.target, b.built, project.rel(into)))
            if guarded or (dest / "access" / MARKER).is_file():  # logins written before are kept up to date
                every = [Target(**r["target"]) for r in record.values() if r.get("to") == to] + [b.target for b in group]
                write_access(dest, guarded, credentials, every)
    _record(project, record, done, bundles)
    return done


def _to_git(project: Project, to: str, group: list[Bundle], progress) -> list[Published]:
    repo, branch = parse_git(to)
    if any(b.target.access == "basic" for b in group):
        raise OpsdocsError("git pages cannot ask for a login: --access basic needs a server of your own",
                           "use --access encrypt for git pages, or publish to dir:PATH behind nginx or Caddy")
    with holding(project.root, [git_lock(project, to)], "publish", False, progress, lambda _: to):
        names = ", ".join(f"{b.target.eid}" + (f" (handover {b.target.version})" if b.target.version else "") for b in group)
        commit = deliver_git(repo, branch, {b.target.eid: b.site for b in group}, f"Publish {names}")
    progress(f"publish: {names} → {repo} ({branch})" + (f", commit {commit[:10]}" if commit else ", unchanged"))
    return [Published(b.target, b.built, f"{repo}#{branch}", commit) for b in group]


def git_lock(project: Project, to: str) -> Path:
    """What a publish to a repository locks: two publishes to one repository from this project never overlap."""
    return project.root / ".opsdocs-cache" / f"git-{hashlib.sha256(to.encode()).hexdigest()[:12]}"


def _record(project: Project, record: dict, done: list[Published], bundles: list[Bundle]) -> None:
    revision = content_revision(project)
    when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    sites = {b.target.eid: b.site for b in bundles}
    for p in done:
        site = sites[p.target.eid]
        files = {path.relative_to(site).as_posix(): hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
                 for path in sorted(site.rglob("*")) if path.is_file()}
        record[p.target.eid] = {"to": p.target.to, "where": p.where, "published": when, "revision": revision,
                                "content": engagement_digest(project, p.target.eid), "commit": p.commit,
                                "target": p.target.__dict__, "files": files}
    write_atomic(project.root / RECORD, (json.dumps(dict(sorted(record.items())), indent=1, ensure_ascii=False) + "\n").encode())


def status(project: Project) -> list[tuple[str, str, str, bool]]:
    """Each published client: where, the content revision published, and whether its content changed since."""
    record = read_record(project)
    return [(eid, r["where"], r["revision"], engagement_digest(project, eid) != r["content"]) for eid, r in sorted(record.items())]
