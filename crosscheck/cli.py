"""The `crosscheck` command: argparse subcommands over functions that the tests call too.

Exit status: 0 success, 1 a disagreement or erratum found, 2 bad usage or input (one line naming
the argument), 70 an internal error of crosscheck itself (neither a verdict nor the user's fault:
report it; --debug shows the traceback; 70 is sysexits' EX_SOFTWARE, so that `train`'s own 3, "the
training diverged in both alike", stays distinct), 130 interrupted (Ctrl-C). Output into a closed pipe
(`crosscheck equations | head -1`) ends quietly with 0.
"""

import argparse
import gc
import os
import re
import sys
import traceback

from .bench import command as bench
from .catalogue import command as equations
from .core import ops_cmd as ops
from .derivation import command as derivation
from .derivation import grade_command as grade
from .examples import command as example
from .report import command as report
from .report import compare
from .training import command as train

# Each subcommand module exposes add_parser(subparsers) and sets `func` on its parser;
# func(args) returns the exit status.
COMMANDS = [report, compare, bench, equations, example, derivation, grade, train, ops]
INTERNAL_ERROR = 70  # sysexits.h EX_SOFTWARE
INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _expected_got(message):
    """argparse's own messages, said as every other error is: what was expected, what came."""
    choice = re.fullmatch(r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", message)
    if choice:
        return f"argument {choice[1]}: expected one of {choice[3]}, got {choice[2]}"
    required = re.fullmatch(r"the following arguments are required: (.*)", message)
    if required:
        return f"expected the argument(s) {required[1]}, got none"
    unknown = re.fullmatch(r"unrecognized arguments: (.*)", message)
    if unknown:
        return f"expected only the arguments listed by --help, got unrecognized {unknown[1]}"
    one = re.fullmatch(r"argument (\S+): expected one argument", message)
    if one:
        return f"argument {one[1]}: expected one value, got none (write a value starting with '-' as {one[1]}=VALUE)"
    return message


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {_expected_got(message)}\n")


def build_parser():
    parser = _Parser(prog="crosscheck", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in COMMANDS:
        module.add_parser(sub)
    for p in sub.choices.values():  # --debug also after the command; SUPPRESS keeps the top's value
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    return parser


def _quiet_stdout():
    # The reader closed the pipe: send what is still buffered nowhere, so the flush at exit
    # does not raise a second BrokenPipeError.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at interpreter exit
        return status
    except ValueError as exc:  # bad input reaches the user as a message, not a traceback
        if args.debug:
            traceback.print_exc()
        print(f"crosscheck {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        print(f"crosscheck {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as exc:  # a crosscheck bug: one line, the traceback only on request
        if args.debug:
            traceback.print_exc()
        print(
            f"crosscheck {args.command}: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for the traceback)",
            file=sys.stderr,
        )
        return INTERNAL_ERROR


def entry():
    """The installed `crosscheck` command and `python -m crosscheck`: main()'s exit status.

    The interpreter's last act before exiting is a full garbage collection over every object still
    alive; with torch, its dynamo, sympy and scikit-learn loaded that walk took about a second of
    every command, and freed nothing that the exit would not free anyway. gc.freeze() moves those
    objects out of the collector's sight; atexit handlers and the flushing of open streams still run.
    """
    try:
        return main()
    finally:
        gc.freeze()
