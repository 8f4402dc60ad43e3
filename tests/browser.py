"""Headless Chromium for the tests: found on PATH (Debian's `chromium`), run with flags that work offline as root."""

from __future__ import annotations

import shutil
import subprocess
import tempfile


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_flags(user_data_dir: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={user_data_dir}",
    ]


def dump_dom(url: str, budget_ms: int = 5000) -> str:
    """The page's DOM after its scripts ran (Chromium's virtual time lets mermaid finish)."""
    binary = chromium_path()
    assert binary, "chromium is not installed"
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [binary, *chromium_flags(profile), f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
            capture_output=True, text=True, timeout=120, check=True,
        )
    return result.stdout
