"""`crosscheck derivation`: tell a student whether a hand-derived gradient is right, and where not."""

import argparse
import json

from .run_options import add_run_options, limits
from .student import judge_file, split_spec
from .targets import TARGETS

EXAMPLE = """\
example: a student derives ReLU's derivative and writes it down as a NumPy function

    # my_relu.py
    import numpy as np

    def relu_prime(Z):
        return (Z > 0).astype(float)   # g'(z) = 1 for z > 0, 0 for z <= 0

    $ crosscheck derivation relu my_relu.py:relu_prime
    $ crosscheck derivation linear my_linear.py:backward --reduction sum --json

exit status: 0 the function agrees everywhere it was probed; 1 it disagrees somewhere (also a
wrong output shape, an exception on some input, a timeout, a crash, an exit or running out of
memory); 2 bad usage (unknown target, file or function not found, syntax error, a signature that
does not fit the target).

The file is never imported by crosscheck itself: the function runs in a child process with a
wall-time limit (--timeout), a memory limit (--memory), a fresh empty working folder, no stdin
and an environment of PATH only. That contains mistakes; it is not a security sandbox (README).
"""


def _epilog():
    width = max(len(t.name) for t in TARGETS.values())
    sig = max(len(t.signature) for t in TARGETS.values())
    lines = ["targets and the signature the function must have (column layout: features x examples):", ""]
    lines += [f"  {t.name:<{width}}  {t.signature:<{sig}}  {t.meaning}" for t in TARGETS.values()]
    lines += [
        "",
        "dA[L] and dZ[L] are per example (no 1/m). For linear, dW and db carry the 1/m under",
        "--reduction mean (docs 002, 004) and not under --reduction sum (doc 000).",
        "Each probe is judged against PyTorch autograd, the reference implementation and central",
        "finite differences (float64; skipped exactly at kinks).",
        "",
        EXAMPLE,
    ]
    return "\n".join(lines)


def run(args):
    path, function = split_spec(args.function)
    result = judge_file(args.target, path, function, **limits(args))
    args.status = result.exit_code  # kept if the reader closes the pipe (cli.main)
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.format())
    return result.exit_code


def add_arguments(p):
    p.description = __doc__.splitlines()[0]
    p.epilog = _epilog()
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("target", metavar="TARGET", choices=list(TARGETS), help="which derivative: " + ", ".join(TARGETS))
    p.add_argument("function", metavar="FILE.py:FUNCTION", help="the student's function")
    add_run_options(p)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(func=run)
