"""The options every command that runs a user's file shares: the derivative's convention and the
limits of the contained child (derivation.student.judge_file)."""

import argparse
import math

from ..core.ops import REDUCTIONS
from ..core.tolerances import DTYPES
from .student import MEMORY, MEMORY_RANGE, TIMEOUT, TIMEOUT_MOST


def _bounded(text, least, most, expected, above=False):
    """A finite number from `least` (excluded where `above`) to `most`; argparse's error otherwise."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and (value > least if above else value >= least) and value <= most):
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}")
    return value


def seconds(text):
    """--timeout: seconds above 0, at most judge_file's most."""
    return _bounded(text, 0, TIMEOUT_MOST, f"a number of seconds above 0 and at most {TIMEOUT_MOST:g}", above=True)


def gigabytes(text):
    """--memory: GB within judge_file's range (given in bytes there)."""
    least, most = (b / 2**30 for b in MEMORY_RANGE)
    return _bounded(text, least, most, f"a number of GB from {least:g} to {most:g}")


def add_run_options(p):
    """--reduction, --dtype, --timeout and --memory, with the defaults judge_file uses."""
    p.add_argument(
        "--reduction",
        choices=REDUCTIONS,
        default="mean",
        help="J as mean (default) or sum of L(i); linear and the whole networks only",
    )
    p.add_argument(
        "--dtype", choices=DTYPES, default="float64", help="dtype the function is called with (default float64)"
    )
    p.add_argument(
        "--timeout",
        type=seconds,
        default=TIMEOUT,
        help=f"seconds each function may run over all probes (default {TIMEOUT:g})",
    )
    p.add_argument(
        "--memory",
        type=gigabytes,
        default=MEMORY / 2**30,
        help=f"GB of address space each function's process may use (default {MEMORY / 2**30:g})",
    )


def limits(args):
    """judge_file's keyword arguments from the parsed options."""
    return {
        "reduction": args.reduction,
        "dtype": args.dtype,
        "timeout": args.timeout,
        "memory": int(args.memory * 2**30),
    }
