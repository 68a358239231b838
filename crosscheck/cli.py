"""The `crosscheck` command: argparse subcommands over functions that the tests call too.

Exit status: 0 success, 1 a disagreement or erratum found, 2 bad usage or input.
"""

import argparse
import sys

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


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser():
    parser = _Parser(prog="crosscheck", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as exc:  # bad input reaches the user as a message, not a traceback
        print(f"crosscheck {args.command}: error: {exc}", file=sys.stderr)
        return 2
