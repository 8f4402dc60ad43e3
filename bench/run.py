"""The performance tables: opsdocs against the floor at 50, 160 (about 4,000 pages), 500 and 1,000 engagements,
with peak memory and an incremental rebuild; MkDocs HTML as one site and as one site per engagement (`--split`)
at 20, 100 and 200 engagements, each full and after one post-mortem edit, with the size of each built site on
disk (a file with several hard links counted once, as `du` counts it); and `opsdocs --help` against
`mkdocs --help`. Every figure in one run.

    python bench/run.py                                    # about 20 minutes on 2 cores
    python bench/run.py --sizes 50 160 --html-sizes 20     # a quicker look
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
from common import ROOT, median, run_as_installed, table, time_command, tool  # noqa: E402
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


def disk_mb(folder: Path) -> float:
    """The space a folder takes on disk, each file counted once however many hard links it has (as `du` does)."""
    seen, total = set(), 0
    for path in folder.rglob("*"):
        st = path.lstat()
        if path.is_file() and st.st_ino not in seen:
            seen.add(st.st_ino)
            total += st.st_blocks * 512
    return total / 1e6


def stages_seconds(output: str) -> float:
    """From `build --timings`: the seconds of the build's own stages (the total less loading Python and opsdocs)."""
    line = re.search(r"^timings: loading opsdocs ([\d.]+) s.* total ([\d.]+) s$", output, re.M)
    return float(line.group(2)) - float(line.group(1))


def pages_in(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.md"))


def edit_one_postmortem(project: Path) -> None:
    """One post-mortem of one client edited: its summary gains a sentence."""
    incident = project / "content/engagements/client-0007/incidents/incident-3.yaml"
    incident.write_text(re.sub(r"^summary: ", "summary: Reviewed again. ", incident.read_text(), count=1, flags=re.M))


def html_table(opsdocs: str, sizes: list[int]) -> str:
    """`opsdocs build` with MkDocs HTML: one site against one site per engagement, full and after one edit."""
    rows = []
    for size in sizes:
        project = WORK / f"html-{size}"
        write_portfolio(size, project)
        times = {}
        for mode, flags in (("one site", []), ("split", ["--split"])):
            for name in (".opsdocs-cache", "docs", "site"):
                shutil.rmtree(project / name, ignore_errors=True)
            full, full_mb, _ = run([opsdocs, "build", *flags], project)
            edit_one_postmortem(project)
            again, again_mb, _ = run([opsdocs, "build", *flags], project)
            times[mode] = (full, again, max(full_mb, again_mb), disk_mb(project / "site"))
        pages = pages_in(project / "docs")
        one, split = times["one site"], times["split"]
        rows.append([str(size), f"{pages:,}", f"{one[0]:.1f}", f"{split[0]:.1f}", f"{split[0] / one[0]:.2f}",
                     f"{one[1]:.1f}", f"{split[1]:.1f}", f"{split[1] / one[1]:.2f}", f"{one[2]} / {split[2]}",
                     f"{one[3]:.0f} / {split[3]:.0f}"])
    return table(["engagements", "pages", "one site, full s", "split, full s", "ratio", "one site, after an edit s",
                  "split, after an edit s", "ratio", "peak RSS MB (one / split)", "on disk MB (one / split)"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 160, 500, 1000],
                        help="engagement counts (default 50 160 500 1000; 160 is about 4,000 pages)")
    parser.add_argument("--html-sizes", type=int, nargs="*", default=[20, 100, 200],
                        help="engagement counts built to HTML with MkDocs, one site and split (default 20 100 200)")
    args = parser.parse_args()
    run_as_installed()
    opsdocs, python = tool("opsdocs"), sys.executable
    rows, gen_seconds, gen_mb = [], {}, {}
    for size in args.sizes:
        project = WORK / f"portfolio-{size}"
        write_portfolio(size, project)
        floor_s, floor_mb, _ = run([python, str(ROOT / "bench/floor.py"), str(project), "--out", str(project / "floor-docs")], project)
        floor_pages = pages_in(project / "floor-docs")
        shutil.rmtree(project / ".opsdocs-cache", ignore_errors=True)
        seconds, mb, output = run([opsdocs, "build", "--no-html", "--timings"], project)
        stages = stages_seconds(output)
        pages = pages_in(project / "docs")
        gen_seconds[size], gen_mb[size] = seconds, mb
        rows.append([f"floor, {size} engagements", floor_pages, f"{floor_s:.2f}", "", f"{floor_pages / floor_s:,.0f}", floor_mb,
                     "1.00", ""])
        rows.append([f"opsdocs build --no-html, {size}", pages, f"{seconds:.2f}", f"{stages:.2f}", f"{pages / seconds:,.0f}", mb,
                     f"{seconds / floor_s:.2f}", ""])
        edit_one_postmortem(project)
        inc_s, inc_mb, output = run([opsdocs, "build", "--no-html", "--timings"], project)
        inc_stages = stages_seconds(output)
        written = int(re.search(r"wrote (\d+) files", output).group(1))
        rows.append(["  incremental, one post-mortem edited", pages, f"{inc_s:.2f}", f"{inc_stages:.2f}", "", inc_mb,
                     f"{inc_s / seconds:.0%} of full; stages {inc_stages / stages:.0%}", written])
    print(table(["case", "pages", "seconds", "stages s", "pages/s", "peak RSS MB", "ratio", "files rewritten"], rows))
    print("\n(stages s: the build itself, from `--timings`, without starting Python and loading opsdocs)")
    if args.html_sizes:
        print("\n" + html_table(opsdocs, args.html_sizes))
    if len(args.sizes) > 1:
        small, large = min(gen_seconds), max(gen_seconds)
        print(f"\nlinearity: {large} engagements took {gen_seconds[large] / gen_seconds[small]:.1f}x the time of {small}"
              f" and {gen_mb[large] / gen_mb[small]:.1f}x the peak memory ({large / small:.0f}x the engagements)")
    helps = {name: median(time_command([tool(name), "--help"], 9, cwd=ROOT)) for name in ("opsdocs", "mkdocs")}
    print(f"\n--help, median of 9 runs: opsdocs {helps['opsdocs'] * 1000:.0f} ms, mkdocs {helps['mkdocs'] * 1000:.0f} ms"
          f" (ratio {helps['opsdocs'] / helps['mkdocs']:.2f})")


if __name__ == "__main__":
    main()
