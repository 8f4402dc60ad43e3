"""The performance table: opsdocs against the floor at 50, 200 and 500 engagements, an incremental
rebuild, a MkDocs HTML build, and `opsdocs --help` against `mkdocs --help`. Every figure in one run.

    python bench/run.py                 # about 5 minutes on 2 cores
    python bench/run.py --sizes 50 200  # a quicker look
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, median, table, time_command, tool  # noqa: E402
from portfolio import write_portfolio  # noqa: E402

WORK = Path(os.environ.get("OPSDOCS_BENCH_DIR", "/tmp/opsdocs-bench"))


def run(argv: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, peak resident memory in MB (the process and the children it waited for), and output."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{output}")
    return seconds, usage.ru_maxrss // 1024, output


def pages_in(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.md"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500], help="engagement counts (default 50 200 500)")
    parser.add_argument("--html-size", type=int, default=200, help="the size built to HTML with MkDocs (default 200)")
    args = parser.parse_args()
    opsdocs, python = tool("opsdocs"), sys.executable
    rows, gen_seconds = [], {}
    for size in args.sizes:
        project = WORK / f"portfolio-{size}"
        write_portfolio(size, project)
        floor_s, floor_mb, _ = run([python, str(ROOT / "bench/floor.py"), str(project), "--out", str(project / "floor-docs")], project)
        floor_pages = pages_in(project / "floor-docs")
        shutil.rmtree(project / ".opsdocs-cache", ignore_errors=True)
        seconds, mb, _ = run([opsdocs, "build", "--no-html"], project)
        pages = pages_in(project / "docs")
        gen_seconds[size] = seconds
        rows.append([f"floor, {size} engagements", floor_pages, f"{floor_s:.2f}", f"{floor_pages / floor_s:,.0f}", floor_mb, "1.00", "", ""])
        rows.append([f"opsdocs build --no-html, {size}", pages, f"{seconds:.2f}", f"{pages / seconds:,.0f}", mb,
                     f"{seconds / floor_s:.2f}", "", ""])
        # Touch one post-mortem: its summary gains a sentence.
        incident = project / "content/engagements/client-0007/incidents/incident-3.yaml"
        incident.write_text(re.sub(r"^summary: ", "summary: Reviewed again. ", incident.read_text(), count=1, flags=re.M))
        inc_s, inc_mb, output = run([opsdocs, "build", "--no-html"], project)
        written = int(re.search(r"wrote (\d+) files", output).group(1))
        rows.append(["  incremental, one post-mortem edited", pages, f"{inc_s:.2f}", "", inc_mb,
                     f"{inc_s / seconds:.0%} of full", written, ""])
    if args.html_size in gen_seconds:
        project = WORK / f"portfolio-{args.html_size}"
        shutil.rmtree(project / ".opsdocs-cache", ignore_errors=True)
        html_s, html_mb, _ = run([opsdocs, "build"], project)
        share = gen_seconds[args.html_size] / html_s
        rows.append([f"opsdocs build + MkDocs HTML, {args.html_size}", pages_in(project / "docs"), f"{html_s:.2f}",
                     f"{pages_in(project / 'docs') / html_s:,.0f}", html_mb, "", "", f"{share:.0%}"])
    print(table(["case", "pages", "seconds", "pages/s", "peak RSS MB", "ratio", "files rewritten", "opsdocs share"], rows))
    if len(args.sizes) > 1:
        small, large = min(gen_seconds), max(gen_seconds)
        print(f"\nlinearity: {large} engagements took {gen_seconds[large] / gen_seconds[small]:.1f}x the time of {small}"
              f" ({large / small:.0f}x the engagements)")
    helps = {name: median(time_command([tool(name), "--help"], 9, cwd=ROOT)) for name in ("opsdocs", "mkdocs")}
    print(f"\n--help, median of 9 runs: opsdocs {helps['opsdocs'] * 1000:.0f} ms, mkdocs {helps['mkdocs'] * 1000:.0f} ms"
          f" (ratio {helps['opsdocs'] / helps['mkdocs']:.2f})")


if __name__ == "__main__":
    main()
