"""`crosscheck grade`: judge every d_TARGET function in a user's file, as a table, JSON or JUnit XML."""

import argparse
import json

from ..core.arguments import output_file
from ..core.echo import echoed
from .grade import PREFIX, grade_file
from .grade_output import table, to_json_document, write_junit
from .run_options import add_run_options, limits
from .targets import TARGETS

EXAMPLE = """\
example: a student's file with two derivatives

    # my_derivatives.py
    import numpy as np

    def d_sigmoid(Z):
        s = 1 / (1 + np.exp(-Z))
        return s * (1 - s)

    def d_linear(dZ, A_prev, W):          # (dZ, A_prev, W, b) is accepted too: the backward pass leaves b unused
        m = dZ.shape[1]
        return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m

    $ crosscheck grade my_derivatives.py
    $ crosscheck grade my_derivatives.py --json
    $ crosscheck grade my_derivatives.py --junit grades.xml

The "first wrong element" is the first row of `crosscheck derivation`'s table of wrong elements:
the one furthest outside the tolerance, with your function's value and torch's.

exit status: 0 every function agrees; 1 some function disagrees (also a wrong shape or an
exception on some input); 2 bad usage: file missing or not Python, no d_ function found, the file
fails on import.
"""


def _epilog():
    width = max(len(PREFIX + t.name) for t in TARGETS.values())
    lines = ["functions graded, by name, and the signature each must have (column layout):", ""]
    lines += [f"  {PREFIX + t.name:<{width}}  {t.signature}" for t in TARGETS.values()]
    return "\n".join([*lines, "", EXAMPLE])


def run(args):
    grade = grade_file(args.file, **limits(args))
    args.status = grade.exit_code  # kept if the reader closes the pipe (cli.main)
    if args.junit:
        try:
            write_junit(grade, args.junit)
        except OSError as exc:  # what parsing cannot see: a read-only file there, a name too long
            raise ValueError(
                f"--junit: expected a file that can be written, got {echoed(str(args.junit))} ({exc.strerror})"
            ) from exc
    print(json.dumps(to_json_document(grade), indent=2) if args.json else table(grade))
    return grade.exit_code


def add_arguments(p):
    p.description = __doc__.splitlines()[0]
    p.epilog = _epilog()
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.add_argument("file", metavar="FILE.py", help="the file holding the d_ functions")
    p.add_argument("--json", action="store_true", help='print {"results": [...]} as JSON instead of the table')
    p.add_argument(
        "--junit",
        type=output_file,
        metavar="FILE.xml",
        help="also write a JUnit XML file: one testcase per target (its folder is made if missing)",
    )
    add_run_options(p)
    p.set_defaults(func=run)
