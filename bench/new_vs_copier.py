"""How long `opsdocs new runbook` takes next to `copier copy` of an equivalent one-file template.

Both write one commented YAML file from answers given on the command line.
opsdocs also reads and validates the whole content tree first (to check the
alert ids it is given); copier only renders. Run: python bench/new_vs_copier.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, median, table, time_command, tool  # noqa: E402

COPIER_YML = """\
_templates_suffix: .jinja
title: {type: str, help: What the runbook is for}
owner: {type: str, help: Who keeps it up to date, default: TODO}
alerts: {type: str, help: Alert ids it answers, default: ""}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10, help="timed runs of each command (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "content", work / "content")
        template = work / "copier-template"
        template.mkdir()
        (template / "copier.yml").write_text(COPIER_YML)
        skeleton = (ROOT / "templates/scaffold/runbook.yaml.j2").read_text()
        # The same skeleton, reduced to what copier's context has.
        skeleton = skeleton.replace("{{ schema_dir }}", "../../../../schemas").replace("{% if known_alerts %}", "{% if false %}")
        skeleton = skeleton.replace("{% if service %}", "{% if false %}").replace("| raw", "")
        (template / "runbook.yaml.jinja").write_text(skeleton)
        out = work / "copier-out"

        opsdocs = [tool("opsdocs"), "new", "runbook", "kestrel-shop", "bench-runbook", "--title", "Cache cluster down",
                   "--alerts", "checkout-error-rate", "--owner", "Priya Raman", "--no-input", "--force"]
        copier = [tool("copier"), "copy", "--defaults", "--overwrite", "--quiet", "--trust", "-d", "title=Cache cluster down",
                  "-d", "owner=Priya Raman", "-d", "alerts=checkout-error-rate", "--vcs-ref", "HEAD", str(template), str(out)]
        if not shutil.which(copier[0]):
            sys.exit("copier is not installed: pip install copier (or pip install -e '.[bench]')")
        import subprocess

        subprocess.run(["git", "init", "-q", str(template)], check=True)
        subprocess.run(["git", "-C", str(template), "add", "-A"], check=True)
        subprocess.run(["git", "-C", str(template), "-c", "user.email=b@b", "-c", "user.name=b", "commit", "-qm", "t"], check=True)

        ops = time_command(opsdocs, args.runs, cwd=work)
        cop = time_command(copier, args.runs, cwd=work)
    rows = [
        ["opsdocs new runbook", f"{median(ops):.3f}", "1.00"],
        ["copier copy", f"{median(cop):.3f}", f"{median(cop) / median(ops):.2f}"],
    ]
    print(table(["command (one file)", "median s", "ratio to opsdocs"], rows))


if __name__ == "__main__":
    main()
