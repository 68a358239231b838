"""`crosscheck report`: run everything and write REPORT.md, report.html, report.json and figures."""

import sys

from tabulate import tabulate

from ..core.arguments import folder
from . import build


def run(args):
    report, paths = build(args.out, quick=args.quick, progress=not args.no_progress)
    verdict = report.section("verdict")
    print(verdict.blocks[0].text.replace("**", ""))
    rows = [
        [s.title, s.status, s.summary.get("checks", ""), s.summary.get("failures", ""), s.summary.get("errata", "")]
        for s in report.sections
        if s.key != "verdict"
    ]
    print(tabulate(rows, ["section", "status", "checks", "failures", "errata"]))
    for key in ("matrix", "kinks"):
        for case in report.section(key).data.get("cases", []):
            if not case["ok"]:
                print(case["first_divergence"], file=sys.stderr)
    print(f"written in {report.run_seconds:.1f} s: " + ", ".join(str(p) for p in paths.values()))
    return report.exit_status


def add_parser(sub):
    p = sub.add_parser("report", help="run the cross-checks and write REPORT.md, report.html, report.json, figures")
    p.add_argument("--out", type=folder, default="reports", help="output folder (default: reports/)")
    p.add_argument("--quick", action="store_true", help="a small matrix, a few kink cases and short timings, for CI")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=run)
