"""`opsdocs import runbook` of 200 Markdown runbooks into the example engagement, against a baseline measured in the
same run: `opsdocs check` of the same project (what reading and validating the content alone costs).

    python bench/import_runbooks.py              # 200 runbooks, median of 3 runs each
    python bench/import_runbooks.py --count 500 --runs 5

The runbooks are the kube-prometheus community runbooks of tests/fixtures/import/, copied under 200 names.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, median, table, time_command, tool  # noqa: E402

SOURCES = sorted((ROOT / "tests/fixtures/import/kube-prometheus-runbooks").glob("*.md"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "content", work / "content")
        sources = work / "sources"
        sources.mkdir()
        for n in range(args.count):
            original = SOURCES[n % len(SOURCES)]
            # each copy its own source (a comment, which no page shows): the same content twice is one source
            (sources / f"{original.stem}{n:04d}.md").write_text(original.read_text() + f"\n<!-- copy {n} -->\n")
        files = [str(p) for p in sorted(sources.glob("*.md"))]
        runbooks = work / "content/engagements/kestrel-shop/runbooks"
        kept = {p.name for p in runbooks.iterdir()}

        def clean() -> None:
            for path in runbooks.iterdir():
                if path.name not in kept:
                    path.unlink()

        opsdocs = tool("opsdocs")
        check = time_command([opsdocs, "check"], args.runs, cwd=work)
        # --force: each run imports the same sources again, over what the run before wrote
        imported = time_command([opsdocs, "import", "runbook", *files, "--engagement", "kestrel-shop", "--force"], args.runs,
                                cwd=work, setup=clean)
    base, took = median(check), median(imported)
    print(table(["case", "runbooks", "median s", "ratio"],
                [["opsdocs check (baseline)", "", f"{base:.2f}", "1.00"],
                 [f"opsdocs import runbook, {args.count} files", str(args.count), f"{took:.2f}", f"{took / base:.2f}"]]))
    print(f"\n{args.count} runbooks imported in {took:.2f} s (goal: under 5 s)")


if __name__ == "__main__":
    main()
