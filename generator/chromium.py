"""Chromium: the headless browser opsdocs drives to draw diagrams and print PDFs (subprocess only)."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import OpsdocsError

INSTALL_HINT = "install Chromium (Debian/Ubuntu: sudo apt-get install chromium) or pass --chromium PATH"
_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--mute-audio",
]


def find_chromium(given: str | None) -> Path:
    if given:
        path = Path(given)
        if not path.is_file():
            raise OpsdocsError(f"{given}: no Chromium at this path", INSTALL_HINT)
        return path
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise OpsdocsError("Chromium is needed to draw diagrams and print PDFs, and none was found", INSTALL_HINT)


def _run(chromium: Path, args: list[str], timeout: int = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="opsdocs-chromium-") as profile:
        try:
            return subprocess.run(
                [str(chromium), *_FLAGS, f"--user-data-dir={profile}", *args],
                capture_output=True, text=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            raise OpsdocsError(f"{chromium}: Chromium did not finish within {timeout} s") from None


_RENDER_PAGE = """<!doctype html><meta charset="utf-8"><body>
<script src="{mermaid}"></script>
<pre id="out"></pre>
<script>
(async () => {{
  const sources = {sources};
  mermaid.initialize({{startOnLoad: false, securityLevel: "strict", theme: "default",
                       flowchart: {{htmlLabels: false}}, deterministicIds: true}});
  const out = [];
  for (let i = 0; i < sources.length; i++) {{
    try {{ out.push((await mermaid.render("diagram-" + i, sources[i])).svg); }}
    catch (e) {{ out.push("ERROR: " + (e && e.message ? e.message : e)); }}
  }}
  document.getElementById("out").textContent = JSON.stringify(out);
}})();
</script></body>"""


def render_mermaid(chromium: Path, mermaid_js: Path, sources: list[str]) -> list[str]:
    """Each mermaid source drawn as an SVG, by mermaid itself in headless Chromium (offline)."""
    if not sources:
        return []
    with tempfile.TemporaryDirectory(prefix="opsdocs-diagrams-") as tmp:
        page = Path(tmp) / "render.html"
        page.write_text(_RENDER_PAGE.format(mermaid=mermaid_js.as_uri(), sources=json.dumps(sources)), encoding="utf-8")
        done = _run(chromium, ["--virtual-time-budget=30000", "--allow-file-access-from-files", "--dump-dom", page.as_uri()])
    start, end = done.stdout.find('<pre id="out">'), done.stdout.find("</pre>")
    text = html.unescape(done.stdout[start + len('<pre id="out">'):end]) if start >= 0 and end > start else ""
    try:
        svgs = json.loads(text)
    except json.JSONDecodeError:
        raise OpsdocsError(f"{chromium}: Chromium did not draw the diagrams", (done.stderr or "").strip()[-300:] or None) from None
    failed = [(i, s) for i, s in enumerate(svgs) if s.startswith("ERROR: ")]
    if failed:
        i, message = failed[0]
        raise OpsdocsError(f"mermaid could not draw diagram {i + 1}: {message[7:]}")
    return svgs


def print_pdf(chromium: Path, html_text: str) -> bytes:
    """An HTML document printed to PDF by Chromium; paper size and margins come from its @page CSS."""
    with tempfile.TemporaryDirectory(prefix="opsdocs-pdf-") as tmp:
        source, target = Path(tmp) / "handover.html", Path(tmp) / "handover.pdf"
        source.write_text(html_text, encoding="utf-8")
        done = _run(chromium, ["--no-pdf-header-footer", "--virtual-time-budget=5000", f"--print-to-pdf={target}", source.as_uri()])
        if not target.is_file():
            raise OpsdocsError(f"{chromium}: Chromium did not print the PDF", (done.stderr or "").strip()[-300:] or None)
        return target.read_bytes()
