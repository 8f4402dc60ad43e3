"""`opsdocs serve`: edits show in the served page, a bad edit keeps the last good site, SIGTERM or Ctrl-C ends it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, ROOT

INCIDENT = "content/engagements/kestrel-shop/incidents/2026-03-14-checkout-outage.yaml"
PAGE = "/engagements/kestrel-shop/postmortems/2026-03-14-checkout-outage/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(check, seconds: float) -> float | None:
    """Poll `check` until it is true; the seconds it took, or None when the time ran out."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.engine
@pytest.mark.parametrize("split", [False, True], ids=["one site", "split"])
def test_serve_follows_edits_and_survives_a_bad_one(tmp_path: Path, split: bool) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "content")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    port = free_port()
    url = f"http://127.0.0.1:{port}{PAGE}"
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port), *(["--split"] if split else [])],
                                   cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))  # as a background job gets it
    try:
        assert wait_for(lambda: fetch(url) is not None, 90) is not None, log.read_text()
        incident = tmp_path / INCIDENT

        edit(incident, "Checkout failed for **all users", "A brand new first sentence. Checkout failed for **all users")
        took = wait_for(lambda: "A brand new first sentence." in (fetch(url) or ""), 3.0)
        assert took is not None, "the edit did not show within 3 seconds:\n" + log.read_text()
        if split:  # the engagement's own site was rebuilt, the root was not
            assert "building 1 of 1 engagement sites, the root kept" in log.read_text()

        edit(incident, "status: complete", "status: finished")
        reported = wait_for(lambda: f"{INCIDENT}:4:9: 'finished' is not allowed" in log.read_text(), 10)
        assert reported is not None, log.read_text()
        assert "the last good site is still served" in log.read_text()
        assert "A brand new first sentence." in (fetch(url) or "")  # the last good page

        edit(incident, "status: finished", "status: complete")
        edit(incident, "A brand new first sentence.", "A fixed sentence.")
        assert wait_for(lambda: "A fixed sentence." in (fetch(url) or ""), 10) is not None, log.read_text()

        # serve builds into a folder of its own: a build beside it neither waits for it nor disturbs it.
        beside = subprocess.run([sys.executable, "-m", "generator", "build", "--no-wait"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=300)
        assert beside.returncode == 0, beside.stdout + beside.stderr
        assert "A fixed sentence." in (fetch(url) or "") and process.poll() is None

        # A process manager's SIGTERM (one site) and Ctrl-C's SIGINT (split) both stop it cleanly, whatever the
        # test runner's shell did to SIGINT: serve sets its own handlers.
        process.send_signal(signal.SIGINT if split else signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert "serve: stopped" in log.read_text()
        assert "Traceback" not in log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
