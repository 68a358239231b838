"""`crosscheck bench`: forward+backward timings of the reference and torch side by side."""

import json

from tabulate import tabulate

from ..core import progress
from .measure import FULL, QUICK, measure, table


def run(args):
    settings = dict(QUICK if args.quick else FULL)
    if args.repeats:
        settings["repeats"] = args.repeats
    settings["threads"] = args.threads or None
    enabled = not args.no_progress
    rows = measure(
        **settings, progress=lambda items, desc: progress.bar(items, desc=desc, unit="sizes", enabled=enabled)
    )
    if args.json:
        print(json.dumps(records(rows), indent=1))
        return 0
    headers, body = table(rows)
    print(tabulate(body, headers, disable_numparse=True, colalign=("left", "right", "right", "right", "right")))
    return 0


def records(rows):
    """The timings as `crosscheck bench --json` prints them: milliseconds, one record per dtype and m."""
    return [
        {
            "dtype": r["dtype"],
            "m": r["m"],
            "reference_ms": r["reference_s"] * 1e3,
            "torch_ms": r["torch_s"] * 1e3,
            "ratio": r["ratio"],
            "threads": r["threads"],
            "repeats": r["repeats"],
        }
        for r in rows
    ]


def add_parser(sub):
    p = sub.add_parser("bench", help="time forward+backward of the reference and torch side by side")
    p.add_argument("--quick", action="store_true", help="fewer repeats, no m = 2048")
    p.add_argument("--repeats", type=int, default=0, help="repeats per size (default 7, 3 with --quick)")
    p.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads for NumPy's BLAS and torch (default 1; 0 leaves both at their own defaults)",
    )
    p.add_argument("--json", action="store_true", help="print the timings as JSON records instead of a table")
    p.add_argument("--no-progress", action="store_true", help="no progress on stderr")
    p.set_defaults(func=run)
