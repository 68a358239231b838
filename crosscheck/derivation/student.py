"""Loading a student's function from FILE.py:FUNCTION and calling it on copies of the probe's arguments."""

import importlib.util
import pathlib
import warnings

import numpy as np


def load_function(spec):
    """FILE.py:FUNCTION -> (callable, display name); ValueError naming what is missing."""
    path, sep, name = str(spec).rpartition(":")
    if not sep or not path or not name:
        raise ValueError(f"FILE.py:FUNCTION: expected a file and a function name joined by ':', got {spec!r}")
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


def call(fn, args):
    """The student's outputs on copies of args; overflow and invalid-value warnings silenced."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*(a.copy() for a in args))
