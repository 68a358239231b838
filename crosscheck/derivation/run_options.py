"""The options every command that runs a user's file shares: the derivative's convention and the
limits of the contained child (derivation.student.judge_file)."""

from ..core.arguments import bounded_float
from ..core.ops import REDUCTIONS
from ..core.tolerances import DTYPES
from .student import MEMORY, MEMORY_RANGE, TIMEOUT, TIMEOUT_MOST

# --timeout in seconds and --memory in GB, within judge_file's ranges (in bytes there)
seconds = bounded_float(0, TIMEOUT_MOST, f"a number of seconds above 0 and at most {TIMEOUT_MOST:g}", above=True)
_GB = [b / 2**30 for b in MEMORY_RANGE]
gigabytes = bounded_float(*_GB, f"a number of GB from {_GB[0]:g} to {_GB[1]:g}")


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
