"""The `crosscheck` command: argparse subcommands over functions that the tests call too.

Exit status: 0 success, 1 a disagreement or erratum found, 2 bad usage or input (one line naming
the argument), 70 an internal error of crosscheck itself (neither a verdict nor the user's fault:
report it; --debug shows the traceback; 70 is sysexits' EX_SOFTWARE, so that `train`'s own 3, "the
training diverged in both alike", stays distinct), 130 interrupted (Ctrl-C). Output into a closed pipe
(`crosscheck equations | head -1`) ends quietly: with 0, or with the verdict the command reached before it
printed (`args.status`: compare, derivation, grade, example keep a 1 or a 2 under pipefail).
"""

import argparse
import errno
import gc
import importlib
import os
import re
import sys
import traceback

from .core.echo import cut, printable

# Each command: the module that fills in its parser (add_arguments(parser), which sets `func`;
# func(args) returns the exit status) and its line in `crosscheck --help`. A module is imported only
# when its command is parsed: most bring torch, matplotlib or scikit-learn (2-2.5 s), which --help,
# a usage error, `report --help`, `compare` and `example --list` never need.
COMMANDS = {
    "report": (
        "crosscheck.report.command",
        "run the cross-checks and write REPORT.md, report.html, report.json, figures",
    ),
    "compare": ("crosscheck.report.compare", "diff two report.json files; exit 1 if agreement got worse"),
    "bench": ("crosscheck.bench.command", "time forward+backward of the reference and torch side by side"),
    "equations": (
        "crosscheck.catalogue.command",
        "the equation catalogue as a table, each entry with its status and largest error seen",
    ),
    "example": ("crosscheck.examples.command", "reproduce a worked example of the documents step by step"),
    "derivation": (
        "crosscheck.derivation.command",
        "check a hand-derived derivative (a NumPy function) against autograd, the reference and finite differences",
    ),
    "grade": (
        "crosscheck.derivation.grade_command",
        "judge every d_TARGET function in a file (d_sigmoid, d_bce, d_linear, ...) against PyTorch autograd",
    ),
    "train": ("crosscheck.training.command", "train both implementations side by side on a scikit-learn data set"),
    "ops": ("crosscheck.core.ops_cmd", "list the registered activations and losses"),
}
INTERNAL_ERROR = 70  # sysexits.h EX_SOFTWARE
INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _expected_got(message):
    """argparse's own messages, said as every other error is: what was expected, what came."""
    choice = re.fullmatch(r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", message)
    if choice:
        return f"argument {choice[1]}: expected one of {choice[3]}, got {cut(choice[2])}"  # choice[2] is a repr
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
    def __init__(self, *args, **kwargs):
        # Whole flags only: tools call these commands, and an abbreviation they relied on (--js for
        # --json) would change its meaning, or turn into an error, the day a flag with that start is added.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(_expected_got(message))}\n")  # it may quote any argument


def chosen(argv):
    """The command argv names: its first word that is not an option (the top level's only option,
    --debug, takes no value), or None."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(commands=None):
    """The whole parser; with `commands`, only those commands' modules are imported and the other
    commands' parsers stay bare (their line in --help, no arguments)."""
    parser = _Parser(prog="crosscheck", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module, help_line) in COMMANDS.items():
        p = sub.add_parser(name, help=help_line)
        if commands is None or name in commands:
            importlib.import_module(module).add_arguments(p)
            # --debug also after the command; SUPPRESS keeps the top's value
            p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    parser.command_parsers = sub.choices
    return parser


def parse(argv):
    """The parsed arguments; bad usage exits 2. Arguments no parser knows are reported by the command's
    parser, with its usage (argparse's top level took them back from it and showed its own)."""
    parser = build_parser(commands={chosen(argv)})
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        parser.command_parsers[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def _quiet_stdout():
    # The reader closed the pipe: send what is still buffered nowhere, so the flush at exit
    # does not raise a second BrokenPipeError.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


# What a write of the output can meet that is the destination's doing, not crosscheck's
_NO_ROOM = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _unwritable(command, why, what="stdout"):
    message = f"{what}: expected somewhere to write the output, got {why}"
    print(f"crosscheck {command}: error: {printable(message)}", file=sys.stderr)
    return 2


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse(argv)
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        return _unwritable(args.command, "a closed stdout")
    if sys.stdout is sys.__stdout__ and hasattr(sys.stdout, "reconfigure"):  # the process's own, not a caller's
        try:  # a name the output's encoding lacks prints escaped, not as an error
            sys.stdout.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):  # closed or detached since the start
            return _unwritable(args.command, "a closed stdout")
    try:
        status = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows here, not at interpreter exit
        return status
    except ValueError as exc:  # bad input reaches the user as a message, not a traceback
        if args.debug:
            traceback.print_exc()
        # printable: a message may quote a file name, a report's contents, a student's file
        print(f"crosscheck {args.command}: error: {printable(exc)}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader has what it wanted (`| head -1`); a verdict the command reached before printing
        # (args.status) stands: under pipefail a regression found is still exit 1.
        _quiet_stdout()
        return getattr(args, "status", 0)
    except KeyboardInterrupt:
        print(f"crosscheck {args.command}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except OSError as exc:
        if exc.errno not in _NO_ROOM:
            return _internal_error(args, exc)
        _quiet_stdout()  # what is still buffered would fail again at exit
        return _unwritable(args.command, exc.strerror, exc.filename or "stdout, or a file it writes")
    except Exception as exc:  # a crosscheck bug: one line, the traceback only on request
        return _internal_error(args, exc)


def _internal_error(args, exc):
    if args.debug:
        traceback.print_exception(exc)
    print(
        f"crosscheck {args.command}: internal error: {type(exc).__name__}: {printable(exc)} "
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
