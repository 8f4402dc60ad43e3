"""This checkout's `opsdocs build --no-html` against an earlier commit's, on the same synthetic portfolio, in one run.

    python bench/against.py HEAD~1                 # 500 engagements, 3 full builds each, alternating
    python bench/against.py v0.1 --size 200 --runs 5

The earlier commit is checked out into a temporary git worktree and run with
this virtualenv's packages (its own `generator/` first on the path). Each run
is a full build (no cache), the two alternating so that a busy machine slows
both alike. Prints the median of each and their ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, median, run_as_installed, table  # noqa: E402
from portfolio import write_portfolio  # noqa: E402

WORK = Path(os.environ.get("OPSDOCS_BENCH_DIR", "/tmp/opsdocs-bench"))
LAUNCH = "import sys; from generator.cli import main; sys.argv[0] = 'opsdocs'; main()"


def timed_build(code_dir: Path, project: Path, out: str) -> float:
    shutil.rmtree(project / ".opsdocs-cache", ignore_errors=True)
    shutil.rmtree(project / out, ignore_errors=True)
    env = {**os.environ, "PYTHONPATH": str(code_dir)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", LAUNCH, "build", "--no-html", "--out", out], cwd=project, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("baseline", help="the git revision to compare with, e.g. HEAD~1")
    parser.add_argument("--size", type=int, default=500, help="engagements in the portfolio (default 500)")
    parser.add_argument("--runs", type=int, default=3, help="full builds of each (default 3)")
    args = parser.parse_args()
    run_as_installed()
    project = WORK / f"portfolio-{args.size}"
    write_portfolio(args.size, project)
    with tempfile.TemporaryDirectory(prefix="opsdocs-baseline-") as tmp:
        worktree = Path(tmp) / "baseline"
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.baseline], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            label = subprocess.run(["git", "rev-parse", "--short", args.baseline], cwd=ROOT, check=True, capture_output=True,
                                   text=True).stdout.strip()
            timed_build(worktree, project, "docs-baseline")  # warm the file cache once (and compile the baseline's modules)
            base, this = [], []
            for _ in range(args.runs):
                base.append(timed_build(worktree, project, "docs-baseline"))
                this.append(timed_build(ROOT, project, "docs-this"))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=True)
    rows = [
        [f"baseline {label}, {args.size} engagements", f"{median(base):.2f}", " ".join(f"{s:.2f}" for s in base), "1.00"],
        [f"this checkout, {args.size} engagements", f"{median(this):.2f}", " ".join(f"{s:.2f}" for s in this),
         f"{median(this) / median(base):.2f}"],
    ]
    print(table(["opsdocs build --no-html", "median s", "runs", "ratio"], rows))


if __name__ == "__main__":
    main()
