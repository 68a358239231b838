"""`crosscheck bench`: forward+backward timings of the reference and torch side by side."""

import json

from tabulate import tabulate

from ..core import progress
from ..core.arguments import bounded_int, positive_int, thread_count
from . import memory
from .measure import FULL, PEAK_N, QUICK, measure, table

CAPTION = (
    "forward + cost + backward, 784-256-128-10 relu-relu-softmax + cce; both sides compute the input "
    f"gradient dA0. GFLOP/s: matrix products only, (share of the peak); peak: best {PEAK_N}^3 matmul (interleaved), "
    "NumPy or torch, same threads."
)


DEFAULT_THREADS = 1
# Each repeat of each side lasts at least min_time (50 ms): 1,000 repeats over the 8 sizes are over
# an hour, and the first size alone says nothing for minutes.
MOST_REPEATS = 1000


def run(args):
    if args.training_memory is not None:
        return _training_memory(args)
    settings = dict(QUICK if args.quick else FULL)
    if args.repeats:
        settings["repeats"] = args.repeats
    threads = DEFAULT_THREADS if args.threads is None else args.threads  # None: not given (see _training_memory)
    settings["threads"] = threads or None  # 0: each library's own default
    enabled = not args.no_progress
    rows = measure(
        **settings, progress=lambda items, desc: progress.bar(items, desc=desc, unit="sizes", enabled=enabled)
    )
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    headers, body = table(rows)
    print(CAPTION)
    print(tabulate(body, headers, disable_numparse=True, colalign=("left",) + ("right",) * (len(headers) - 1)))
    return 0


def _training_memory(args):
    given = {"--quick": args.quick, "--repeats": args.repeats, "--threads": args.threads is not None}
    for flag, was_given in given.items():
        if was_given:
            raise ValueError(
                f"{flag}: expected no setting of the timings with --training-memory (its run takes one "
                f"thread and no repeats, as training does), got {flag}"
            )
    record = memory.training_memory("digits", args.training_memory)
    if args.json:
        print(json.dumps(record, indent=2))
        return 0
    print(
        f"Peak memory of `crosscheck train digits --epochs {record['epochs']}` ({record['steps']} steps, both "
        f"sides in lockstep, one thread, a fresh process): {record['peak_rss_mib']:.0f} MiB peak RSS, "
        f"{record['rss_after_warmup_mib']:.0f} MiB after imports and a one-epoch warm-up, {record['run_added_mib']:.1f} MiB added by "
        f"the run ({record['seconds']:.1f} s)."
    )
    return 0


def add_arguments(p):
    p.add_argument("--quick", action="store_true", help="fewer repeats, no m = 2048")
    p.add_argument(
        "--repeats",
        type=bounded_int(1, MOST_REPEATS, f"a whole number from 1 to {MOST_REPEATS}"),
        default=0,
        help=f"repeats per size, at most {MOST_REPEATS} (default 7, 3 with --quick)",
    )
    p.add_argument(
        "--threads",
        type=thread_count,
        default=None,
        help=f"threads for NumPy's BLAS and torch, at most the usable cores (default {DEFAULT_THREADS}; 0 leaves both at their own defaults)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the records (dtype, m, reference_ms, torch_ms, ratio, GFLOP/s, peak) as JSON instead of the table",
    )
    p.add_argument(
        "--training-memory",
        type=positive_int,
        nargs="?",
        const=100,
        default=None,
        metavar="EPOCHS",
        help="instead of timings: peak memory of a digits training run of EPOCHS epochs (default 100) in a fresh process",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress on stderr")
    p.set_defaults(func=run)
