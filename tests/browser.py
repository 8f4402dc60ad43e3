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


# Material draws each mermaid diagram inside a closed shadow root; opening it
# lets a test see the SVG. Installed before any page script runs.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: 'open'}); };
"""

# Every rendered mermaid diagram on the page, in MkDocs Material or Docusaurus:
# [number of SVGs, number of them that are mermaid's error picture].
COUNT_DIAGRAMS = """() => {
  const svgs = [];
  for (const host of document.querySelectorAll('div.mermaid')) {
    if (host.shadowRoot) svgs.push(...host.shadowRoot.querySelectorAll('svg'));
  }
  svgs.push(...document.querySelectorAll('.docusaurus-mermaid-container svg'));
  const errors = svgs.filter(s => s.getAttribute('aria-roledescription') === 'error'
                              || (s.textContent || '').includes('Syntax error'));
  return [svgs.length, errors.length];
}"""


def launch(playwright):
    """Debian's Chromium driven by Playwright: no browser download."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"])


def count_diagrams(page, expected: int, timeout_ms: int = 15000) -> tuple[int, int]:
    """Wait until `expected` diagrams are drawn (or the time is up); return (drawn, errors)."""
    try:
        page.wait_for_function(f"() => ({COUNT_DIAGRAMS})()[0] >= {expected}", timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - the count below says what was drawn
        pass
    drawn, errors = page.evaluate(COUNT_DIAGRAMS)
    return drawn, errors
