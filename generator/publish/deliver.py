"""Publish: delivery. `dir:PATH` puts each client's site in `PATH/sites/<id>/` (a TechDocs source in
`PATH/techdocs/<id>/`), swapped in whole (a reader never
sees half a site); `git:REPO[#BRANCH]` commits the published clients' folders (`<id>/` at the branch's top, as
GitHub and GitLab Pages serve them) in one commit and pushes it. Other clients' folders and the branch's history
are left as they were, and a push that is refused leaves the repository as it was: the work is done in a
temporary clone that is thrown away.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import OpsdocsError
from ..write import Staging, link_file


def copy_site(site: Path, into: Path) -> None:
    for path in sorted(site.rglob("*")):
        out = into / path.relative_to(site)
        if path.is_dir():
            out.mkdir(parents=True, exist_ok=True)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            link_file(path, out)


def deliver_dir(target: Path, site: Path) -> None:
    """The site in `target` (a client's folder), swapped in whole."""
    with Staging(target) as staged:
        copy_site(site, staged.path)
        staged.commit()


def parse_git(to: str) -> tuple[str, str]:
    """`git:REPO[#BRANCH]` as the repository and the branch (default gh-pages)."""
    repo, _, branch = to[len("git:"):].partition("#")
    if not repo:
        raise OpsdocsError(f"'{to}' names no repository", "write git:PATH-OR-URL[#BRANCH]")
    return repo, branch or "gh-pages"


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def deliver_git(repo: str, branch: str, sites: dict[str, Path], message: str) -> str | None:
    """Commit the clients' folders on `branch` of `repo` and push; the new commit's id, or None if nothing changed."""
    if shutil.which("git") is None:
        raise OpsdocsError("publishing to git needs git, and it is not installed")
    with tempfile.TemporaryDirectory(prefix="opsdocs-publish-git-") as scratch:
        work = Path(scratch) / "work"
        cloned = subprocess.run(["git", "clone", "--quiet", "--no-checkout", repo, str(work)], capture_output=True, text=True,
                                timeout=600)
        if cloned.returncode != 0:
            raise OpsdocsError(f"cannot clone {repo}: {cloned.stderr.strip()}", "check the repository's address and your access")
        if _git(work, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{branch}").returncode == 0:
            _git(work, "checkout", "--quiet", "-B", branch, f"origin/{branch}")
        else:
            _git(work, "checkout", "--quiet", "--orphan", branch)
            _git(work, "rm", "-r", "--quiet", "--cached", "--ignore-unmatch", ".")
            (work / ".nojekyll").write_bytes(b"")  # GitHub Pages: serve the folders as they are
            _git(work, "add", ".nojekyll")
        for eid, site in sorted(sites.items()):
            shutil.rmtree(work / eid, ignore_errors=True)
            copy_site(site, work / eid)
            (work / eid / ".opsdocs-output").unlink(missing_ok=True)
            _git(work, "add", "--all", "--", eid)
        if _git(work, "diff", "--cached", "--quiet").returncode == 0:
            return None
        who = [] if _git(work, "config", "user.email").stdout.strip() else ["-c", "user.name=opsdocs", "-c", "user.email=opsdocs@localhost"]
        done = _git(work, *who, "commit", "--quiet", "-m", message)
        if done.returncode != 0:
            raise OpsdocsError(f"git commit failed: {done.stderr.strip() or done.stdout.strip()}")
        pushed = _git(work, "push", "--quiet", "origin", f"{branch}:{branch}")
        if pushed.returncode != 0:
            raise OpsdocsError(f"git push to {repo} ({branch}) was refused: {pushed.stderr.strip()}",
                               "nothing was changed there; pull in what is new or fix the access, then publish again")
        return _git(work, "rev-parse", "HEAD").stdout.strip()
