"""Judging a student's FILE.py:FUNCTION without running it here: static checks, then a contained run.

The file is parsed (ast), never imported, in this process: a missing file, a syntax error, a
missing function or a signature that cannot take the target's arguments is bad usage (ValueError,
exit 2). The function then runs in a child process with limits (derivation.contained) and the
verdict is decided here from what it sent back.
"""

import ast
import math
import pathlib
import resource

from ..core.echo import echoed, printable
from .contained import Outcome, run_contained
from .judge import expected_shapes, judge, validate
from .probes import probes_for
from .result import DerivationResult
from .signatures import OPTIONAL_TRAILING
from .targets import TARGETS

TIMEOUT = 10.0  # seconds of wall time per check
MEMORY = 2 * 2**30  # bytes of address space per check
# The limits' ranges. Below 128 MB the interpreter cannot start; 2**47 bytes is a user process's whole
# address space on x86-64 (4-level paging), far past any machine's memory (and past 2**63 setrlimit
# overflows, in the child, where it once read as the student's crash). A timeout waits in poll(),
# whose 2**31 - 1 ms end near 24.8 days; a day is far past any check.
MEMORY_RANGE = (2**27, 2**47)
TIMEOUT_MOST = 86400.0
FOUND_SHOWN = 10  # names of the functions a file holds, listed where the one asked for is missing


def split_spec(spec):
    """FILE.py:FUNCTION -> (path, function); ValueError naming what is missing."""
    path, sep, name = str(spec).rpartition(":")
    if not sep or not path or not name:
        raise ValueError(f"FILE.py:FUNCTION: expected a file and a function name joined by ':', got {echoed(spec)}")
    return path, name


def arity(target):
    """How many arguments the target passes: the names inside f(...) of its signature."""
    sig = TARGETS[target].signature
    return len(sig[sig.index("(") + 1 : sig.index(")")].split(","))


def parsed(path, argument="FILE.py:FUNCTION"):
    """The file's syntax tree, read as Python reads a file (bytes: a BOM or a coding line decide the
    encoding); ValueError naming `argument` where the file is missing or is not Python source."""
    file, shown = pathlib.Path(path), echoed(str(path))
    if not file.is_file():
        what = "is a folder" if file.is_dir() else "not found"
        raise ValueError(f"{argument}: expected a Python file, got {shown} ({what})")
    try:
        return ast.parse(file.read_bytes(), filename=str(file))
    except SyntaxError as exc:
        line = f" at line {exc.lineno}" if exc.lineno else ""
        raise ValueError(
            f"{argument}: expected Python source, got a syntax error in {shown}{line}: {exc.msg}"
        ) from None
    except ValueError as exc:  # null bytes, an unknown coding
        raise ValueError(f"{argument}: expected Python source, got {shown} ({type(exc).__name__}: {exc})") from None
    except OSError as exc:  # unreadable (its message would repeat the whole path)
        raise ValueError(f"{argument}: expected a readable Python file, got {shown} ({exc.strerror})") from None


def _top_level_names(tree):
    """name -> its def node, or None for a name bound otherwise (assignment, import, class)."""
    names = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names[node.name] = node
        elif isinstance(node, (ast.ClassDef)):
            names[node.name] = None
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update({(a.asname or a.name).split(".")[0]: None for a in node.names})
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
                names.update({n.id: None for n in ast.walk(t) if isinstance(n, ast.Name)})
    return names


def check_source(target, path, function):
    """ValueError (bad usage) where the file cannot hold a function `function` fit for `target`."""
    names = _top_level_names(parsed(path))
    if function not in names:
        found = sorted(n for n, node in names.items() if node is not None and not n.startswith("_"))
        more = f" and {len(found) - FOUND_SHOWN} more" if len(found) > FOUND_SHOWN else ""
        raise ValueError(
            f"FUNCTION: expected a function {echoed(function)} in {echoed(str(path))}, "
            f"got none (functions found: {', '.join(found[:FOUND_SHOWN]) or 'none'}{more})"
        )
    node = names[function]
    if node is None:
        return  # bound some other way: the child checks the signature before calling it
    if isinstance(node, ast.AsyncFunctionDef):
        raise ValueError(f"FUNCTION: expected a plain function, got 'async def {function}'")
    a = node.args
    positional = len(a.posonlyargs) + len(a.args)
    required = positional - len(a.defaults)
    most = math.inf if a.vararg else positional
    given = arity(target)
    kw_required = [k.arg for k, d in zip(a.kwonlyargs, a.kw_defaults) if d is None]
    if not kw_required and most == given - trailing(target, positional, given):
        return  # a signature that leaves out the target's optional trailing arguments (linear's b)
    if not required <= given <= most or kw_required:
        takes = f"{required}" if most == required else f"{required} to {most}"
        raise ValueError(
            f"FUNCTION: expected {function}() to take {given} argument{'s' * (given > 1)} "
            f"as {TARGETS[target].signature}, got one that takes {takes}"
            + (f" and keyword-only {', '.join(kw_required)}" if kw_required else "")
        )


def trailing(target, positional, given):
    """How many trailing arguments to leave out for a function of `positional` parameters (0 or linear's b)."""
    passed, drop = OPTIONAL_TRAILING.get(target, (given, 0))
    return drop if drop and positional == passed - drop else 0


def _positional(tree, function):
    node = _top_level_names(tree).get(function)
    if node is None or node.args.vararg:
        return None
    return len(node.args.posonlyargs) + len(node.args.args)


def _not_run(target, display, reduction, dtype, probes, outcome):
    spec = TARGETS[target]
    res = DerivationResult(
        target,
        display,
        reduction,
        dtype,
        False,
        dict(zip(spec.outputs, spec.equation_ids(reduction))),
        probes=[{"label": p.label, "status": "not judged", "problem": str(outcome)} for p in probes],
        outcome=outcome.name,
    )
    res.diagnosis.append(str(outcome))
    if outcome.log.strip():
        res.notes.append(f"your function printed: {outcome.log.strip()}")
    return res


def judge_file(target, path, function, reduction="mean", dtype="float64", timeout=TIMEOUT, memory=MEMORY):
    """Judge FUNCTION of the file at `path` as the derivative `target`, run contained; a DerivationResult.

    ValueError for bad usage (unknown target, missing file or function, syntax error, a signature
    that does not fit, bad limits). A timeout, crash, exit or memory blow-up in the student's code
    is a result that disagrees (exit 1), with its outcome named.
    """
    validate(target, reduction, dtype)
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout) and 0 < timeout <= TIMEOUT_MOST):
        raise ValueError(
            f"--timeout: expected a number of seconds above 0 and at most {TIMEOUT_MOST:g}, got {timeout!r}"
        )
    least, most = MEMORY_RANGE
    if not (isinstance(memory, int) and least <= memory <= most):
        raise ValueError(f"--memory: expected from 128 MB (2**27 bytes) to 128 TB (2**47 bytes), got {memory!r}")
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    if hard != resource.RLIM_INFINITY and memory > hard:  # the child could not raise its limit that far
        raise ValueError(
            f"--memory: expected at most this process's hard address-space limit, {hard} bytes, got {memory}"
        )
    path = pathlib.Path(path)
    check_source(target, path, function)
    drop = trailing(target, _positional(parsed(path), function), arity(target))
    display = printable(f"{path.name}:{function}")  # a file name may hold ESC too
    probes = list(probes_for(target, dtype, reduction))
    names = TARGETS[target].outputs
    shapes = [[list(s) for s in expected_shapes(p)] for p in probes]
    try:
        outputs, log = run_contained(path.resolve(), function, probes, names, shapes, timeout, memory, drop)
    except Outcome as outcome:
        return _not_run(target, display, reduction, dtype, probes, outcome)
    res = judge(target, probes, outputs, reduction, dtype, display)
    if log.strip():
        res.notes.append(f"your function printed: {log.strip()}")
    return res
