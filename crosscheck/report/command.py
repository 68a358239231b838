"""`crosscheck report`: run everything and write REPORT.md, report.html, report.json and figures."""

import sys

from tabulate import tabulate

from torch_impl import runtime

from ..core.arguments import folder
from . import build


def run(args):
    device = runtime.check_device(args.device)  # a ValueError: cli.main's exit 2 with the reason
    # TF32 is set for the whole run, off unless asked for (torch's cuDNN default is on)
    with runtime.tf32(args.tf32):
        report, paths = build(args.out, quick=args.quick, progress=not args.no_progress, device=device, tf32=args.tf32)
    verdict = report.section("verdict")
    print(verdict.blocks[0].text.replace("**", ""))
    rows = [
        [s.title, s.status, s.summary.get("checks", ""), s.summary.get("failures", ""), s.summary.get("errata", "")]
        for s in report.sections
        if s.key != "verdict"
    ]
    print(tabulate(rows, ["section", "status", "checks", "failures", "errata"]))
    for key in ("matrix", "kinks", "realistic"):
        section = report.section(key)
        for case in section.data.get("cases", section.records):
            if not case["ok"]:
                print(case["first_divergence"], file=sys.stderr)
    print(f"written in {report.run_seconds:.1f} s: " + ", ".join(str(p) for p in paths.values()))
    return report.exit_status


def add_parser(sub):
    p = sub.add_parser("report", help="run the cross-checks and write REPORT.md, report.html, report.json, figures")
    p.add_argument("--out", type=folder, default="reports", help="output folder (default: reports/)")
    p.add_argument("--quick", action="store_true", help="a small matrix, a few kink cases and short timings, for CI")
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    p.add_argument(
        "--device", default="cpu", choices=runtime.DEVICES, help="where the torch twin runs: cpu (default), cuda or mps"
    )
    p.add_argument(
        "--tf32", action="store_true", help="float32 matmuls in TF32 on CUDA (off by default); reported as a finding"
    )
    p.set_defaults(func=run)
