"""`crosscheck bench`: forward+backward timings of the reference and torch side by side."""

import sys

from tabulate import tabulate
from tqdm import tqdm

from ..core.arguments import non_negative_int, positive_int
from .measure import FULL, QUICK, measure, table


def run(args):
    settings = dict(QUICK if args.quick else FULL)
    if args.repeats:
        settings["repeats"] = args.repeats
    settings["threads"] = args.threads or None
    rows = measure(**settings, progress=lambda items, desc: tqdm(items, desc=desc, file=sys.stderr, leave=False))
    headers, body = table(rows)
    print(tabulate(body, headers, disable_numparse=True, colalign=("left", "right", "right", "right", "right")))
    return 0


def add_parser(sub):
    p = sub.add_parser("bench", help="time forward+backward of the reference and torch side by side")
    p.add_argument("--quick", action="store_true", help="fewer repeats, no m = 2048")
    p.add_argument("--repeats", type=positive_int, default=0, help="repeats per size (default 7, 3 with --quick)")
    p.add_argument(
        "--threads",
        type=non_negative_int,
        default=1,
        help="threads for NumPy's BLAS and torch (default 1; 0 leaves both at their own defaults)",
    )
    p.set_defaults(func=run)
