"""The `crosscheck` command: argparse subcommands over functions that the tests call too.

Exit status: 0 success, 1 a disagreement or erratum found, 2 bad usage or input.
"""

import argparse
import sys

from . import derivation_cmd, equations_cmd, examples_cli, train_cmd
from .report import bench, command as report, compare

# Each subcommand module exposes add_parser(subparsers) and sets `func` on its parser;
# func(args) returns the exit status.
COMMANDS = [report, compare, bench, equations_cmd, examples_cli, derivation_cmd, train_cmd]


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
