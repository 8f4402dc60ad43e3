"""Serve: a live preview. Build, serve on 127.0.0.1, rebuild on every change, reload the browser.

MkDocs' own live-reload server does the serving, the watching and the reloading;
opsdocs is its builder. A rebuild that fails leaves the last good site served
and its errors in the terminal; the next good edit brings the site back.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from dataclasses import replace

from .build import build_site
from .errors import OpsdocsError
from .project import BuildOptions, Project
from .targets.mkdocs.settings import config_files


def serve(project: Project, options: BuildOptions, host: str, port: int, progress: Callable[[str], None]) -> None:
    """Build once, then serve and rebuild on changes until stopped (Ctrl-C, or SIGTERM)."""
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.livereload import LiveReloadServer

    work = project.root / ".opsdocs-cache" / "serve"
    options = replace(options, targets=("mkdocs",), html=True, out=work / "docs", site_dir=work / "site")

    def rebuild() -> None:
        try:
            build_site(project, options, progress)
        except OpsdocsError as exc:
            # Reported, and not raised: MkDocs' server would hold every request until a build succeeds.
            # The site folder was not touched, so the last good site goes on being served.
            progress(exc.format())
            progress("serve: the last good site is still served; save a fix to rebuild")

    progress("serve: first build")
    build_site(project, options, progress)  # nothing to serve if this one fails: the command stops
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(work / "site"))
    for path in (project.content_dir, project.root / "templates", *config_files(project.mkdocs_config)):
        if path.exists():
            server.watch(str(path))
    logging.getLogger("mkdocs.livereload").setLevel(logging.INFO)
    # Ctrl-C, and the SIGTERM a process manager, a container or CI sends, both stop it the same clean way. Set
    # here, not inherited: a shell that starts a job in the background may have told it to ignore SIGINT.
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.serve()
    except KeyboardInterrupt:
        progress("serve: stopped")
    finally:
        server.shutdown()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
