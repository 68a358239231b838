"""argparse types shared by every command: each rejects a bad value in one line saying what was
expected and what came (argparse prefixes the argument's name), so the command exits 2."""

import argparse
import math
import os
import pathlib
import re
import tempfile

from .echo import echoed


def _fail(expected, text):
    raise argparse.ArgumentTypeError(f"expected {expected}, got {echoed(text)}")


# ASCII digits only: int() also reads "١٢" (Arabic-Indic) as 12, "5_0" as 50 and "+5" as 5
WHOLE = re.compile(r"-?[0-9]+")


def bounded_int(least, most, expected):
    """An argparse type: a whole number, in ASCII digits, from `least` to `most` (None: no bound)."""

    def parse(text):
        if not WHOLE.fullmatch(str(text).strip()):
            _fail(expected, text)
        try:
            value = int(text)
        except ValueError:  # past int()'s 4,300 digits
            _fail(expected, text)
        if (least is not None and value < least) or (most is not None and value > most):
            _fail(expected, text)
        return value

    return parse


# epochs, batch size, a hidden size, repeats
positive_int = bounded_int(1, None, "a positive whole number")
# how many to list
non_negative_int = bounded_int(0, None, "a whole number >= 0")


# A random seed: what NumPy's legacy seeding and scikit-learn's random_state take.
seed = bounded_int(0, 2**32 - 1, "a whole number from 0 to 4294967295 (2**32 - 1)")


def thread_count(text):
    """A whole number from 0 (the libraries' own default) to the usable cores: threads for NumPy's BLAS
    and torch. More threads than cores measure their fight over the cores, not the code, and far more
    crash a BLAS (99,999 ended the process with SIGSEGV)."""
    cores = usable_cores()
    return bounded_int(0, cores, f"a whole number from 0 to {cores} (the cores usable here)")(text)


def _finite(text, expected):
    try:
        value = float(text)
    except (TypeError, ValueError):
        _fail(expected, text)
    if not math.isfinite(value):
        _fail(expected, text)
    return value


def positive_float(text):
    """A finite number > 0 (a learning rate)."""
    value = _finite(text, "a finite number > 0")
    if value <= 0:
        _fail("a finite number > 0", text)
    return value


def bounded_float(least, most, expected, above=False):
    """An argparse type: a finite number from `least` (excluded where `above`) to `most`."""

    def parse(text):
        value = _finite(text, expected)
        if not ((value > least if above else value >= least) and value <= most):
            _fail(expected, text)
        return value

    return parse


def non_negative_float(text):
    """A finite number >= 0 (l1, l2)."""
    value = _finite(text, "a finite number >= 0")
    if value < 0:
        _fail("a finite number >= 0", text)
    return value


def hidden_sizes(text):
    """Comma-separated positive whole numbers, e.g. 8,4 (may be empty only where no hidden layer)."""
    parts = [p.strip() for p in str(text).split(",")]
    # past 4,300 digits int() raises; no layer that wide fits in memory anyway
    if not all(WHOLE.fullmatch(p) and len(p) < 20 and int(p) > 0 for p in parts):
        _fail("comma-separated positive whole numbers such as 8,4", text)
    return [int(p) for p in parts]


def folder(text):
    """An output folder: existing and writable, or creatable (its first existing parent writable)."""
    try:
        return _folder(text)
    except OSError as exc:  # a name the file system refuses to look up (too long, a loop of links)
        _fail(f"a path this system can use ({exc.strerror})", text)


def _folder(text):
    path = pathlib.Path(text)
    if not str(text):
        _fail("a folder", text)
    if path.exists() and not path.is_dir():
        _fail("a folder, not an existing file", text)
    parent = path
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        _fail(f"a folder, but {str(parent)!r} is a file", text)
    try:  # os.access says yes to root everywhere: only a real attempt tells
        with tempfile.TemporaryFile(dir=parent):
            pass
    except OSError as exc:  # the OS's words are of the attempt: /proc says "No such file or directory"
        _fail(f"a writable folder (making a file in {str(parent)!r} failed: {exc.strerror})", text)
    return path


def output_file(text):
    """A file to write: not a folder, and in a folder that exists or can be made."""
    path = pathlib.Path(text)
    try:
        is_dir = path.is_dir()
    except OSError as exc:
        _fail(f"a path this system can use ({exc.strerror})", text)
    if not str(text) or is_dir or str(text).endswith(os.sep):
        _fail("a file name, not a folder", text)
    try:
        folder(str(path.parent))
    except argparse.ArgumentTypeError as exc:  # said of the file asked for, not of its folder
        expected = str(exc).removeprefix("expected ").rsplit(", got ", 1)[0]
        _fail(f"a file in {expected}", text)
    return path


def usable_cores():
    """The cores this process may run on (its affinity, which a container or taskset narrows)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
