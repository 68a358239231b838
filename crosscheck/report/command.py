"""`crosscheck report`: run everything and write REPORT.md, report.html, report.json and figures."""

import json
import sys

from tabulate import tabulate

from torch_impl import DEVICES

from ..core.arguments import folder, positive_int, usable_cores
from ..core.echo import printable
from . import build

# Where `crosscheck report` writes by default: under build/, which git ignores, so running the
# report never changes the committed sample in reports/ (make sample-report refreshes that one).
DEFAULT_OUT = "build/report"


def summary(report, paths):
    """What `crosscheck report --json` prints: the verdict, each section's counts, the files written."""
    verdict = report.section("verdict")
    return {
        "verdict": verdict.data["verdict"],
        "headline": verdict.blocks[0].text.replace("**", ""),
        "exit_status": report.exit_status,
        "run_seconds": round(report.run_seconds, 3),
        "sections": [
            {"key": s.key, "title": s.title, "status": s.status, **s.summary}
            for s in report.sections
            if s.key != "verdict"
        ],
        "files": {k: printable(p) for k, p in paths.items()},
    }


def run(args):
    from torch_impl import runtime  # here: torch, which `crosscheck report --help` never needs

    device = runtime.check_device(args.device)  # a ValueError: cli.main's exit 2 with the reason
    # TF32 is set for the whole run, off unless asked for (torch's cuDNN default is on)
    with runtime.tf32(args.tf32):
        report, paths = build(
            args.out, quick=args.quick, progress=not args.no_progress, jobs=args.jobs, device=device, tf32=args.tf32
        )
    if args.json:
        print(json.dumps(summary(report, paths), indent=1))
    else:
        print_summary(report, paths)
    for section in (s for s in report.sections if s.key in ("matrix", "kinks", "realistic")):
        for case in section.data.get("cases", section.records):
            if not case["ok"]:
                print(case["first_divergence"], file=sys.stderr)
    return report.exit_status


def print_summary(report, paths):
    verdict = report.section("verdict")
    print(verdict.blocks[0].text.replace("**", ""))
    rows = [
        [s.title, s.status, s.summary.get("checks", ""), s.summary.get("failures", ""), s.summary.get("errata", "")]
        for s in report.sections
        if s.key != "verdict"
    ]
    print(tabulate(rows, ["section", "status", "checks", "failures", "errata"]))
    print(f"written in {report.run_seconds:.1f} s: " + ", ".join(printable(p) for p in paths.values()))


def add_arguments(p):
    p.add_argument(
        "--out", type=folder, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT}/, not tracked by git)"
    )
    p.add_argument("--quick", action="store_true", help="a small matrix, a few kink cases and short timings, for CI")
    p.add_argument("--no-progress", action="store_true", help="no progress on stderr")
    p.add_argument(
        "--jobs",
        type=positive_int,
        default=usable_cores(),
        help=f"processes that share the sections, one thread each (default: the usable cores here, {usable_cores()})",
    )
    p.add_argument("--json", action="store_true", help="print the verdict and per-section counts as JSON")
    p.add_argument(
        "--device", default="cpu", choices=DEVICES, help="where the torch twin runs: cpu (default), cuda or mps"
    )
    p.add_argument(
        "--tf32", action="store_true", help="float32 matmuls in TF32 on CUDA (off by default); reported as a finding"
    )
    p.set_defaults(func=run)
