"""A static file server on 127.0.0.1 for the browser tests, resolving `/a/b` to `a/b.html` like a host would."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _Handler(SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        local = Path(super().translate_path(path))
        as_page = local.parent / (local.name + ".html")
        has_index = local.is_dir() and (local / "index.html").is_file()
        if as_page.is_file() and not local.is_file() and not has_index:
            return str(as_page)
        return str(local)

    def log_message(self, format: str, *args) -> None:  # quiet
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free port; yields the base URL."""
    handler = functools.partial(_Handler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
