"""Loading a student's function from FILE.py:FUNCTION, and judging a function in a user's file.

judge_file is the single entry point for running a user's file: `crosscheck grade` and every other
caller that judges code from a path go through it, so containing that code (issue 13: a child
process with a time and memory limit) is one change here.
"""

import importlib.util
import pathlib

from .judge import check_derivation
from .signatures import fit_signature


def split_spec(spec):
    """FILE.py:FUNCTION -> (path, function name); ValueError when either is missing."""
    path, sep, name = str(spec).rpartition(":")
    if not sep or not path or not name:
        raise ValueError(f"FILE.py:FUNCTION: expected a file and a function name joined by ':', got {spec!r}")
    return path, name


def load_function(spec):
    """FILE.py:FUNCTION -> (callable, display name); ValueError naming what is missing."""
    path, name = split_spec(spec)
    file = pathlib.Path(path)
    if not file.is_file():
        raise ValueError(f"FILE.py:FUNCTION: file {path!r} not found")
    module_spec = importlib.util.spec_from_file_location(f"_student_{file.stem}", file)
    if module_spec is None or module_spec.loader is None:
        raise ValueError(f"FILE.py:FUNCTION: cannot load {path!r} as a Python file")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # the student's file itself is broken: bad input, not a disagreement
        raise ValueError(f"FILE.py:FUNCTION: importing {path!r} raised {type(exc).__name__}: {exc}") from None
    if not hasattr(module, name):
        found = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
        raise ValueError(f"FUNCTION: {path!r} has no function {name!r} (callables found: {', '.join(found) or 'none'})")
    fn = getattr(module, name)
    if not callable(fn):
        raise ValueError(f"FUNCTION: {name!r} in {path!r} is a {type(fn).__name__}, not callable")
    return fn, f"{file.name}:{name}"


def judge_file(target, path, function, reduction="mean", dtype="float64", timeout=10.0, memory=2 * 2**30):
    """Judge `function` in the user's file `path` as the derivative `target`; a DerivationResult.

    The single entry point for running a user's file. For now the file runs in this process and
    `timeout` and `memory` are accepted but not enforced; issue 13 replaces this body with a
    contained child process under those limits, with the same signature and result.
    ValueError when the file or function cannot be loaded (bad input, exit 2 on the command line).
    """
    fn, name = load_function(f"{path}:{function}")
    return check_derivation(target, fit_signature(target, fn), reduction=reduction, dtype=dtype, name=name)
