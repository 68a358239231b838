"""The child process that runs a student's function on the probes, alone with NumPy.

Run as a script (`python -I child.py WORKDIR`), never imported by the child itself from the
package, so it loads no torch and nothing of crosscheck: the standard library and NumPy only.
WORKDIR holds job.json (the student's file, function, number of outputs and expected shapes) and
args.pkl (each probe's arguments: arrays, and dicts of arrays for whole networks). It writes outputs.npz and then, last, result.json by an atomic
rename: a result.json exists only if every probe was run. The parent decides the verdict from
these files alone; nothing printed, returned or exited here can make a pass by itself.

The parent imports `outputs_of` from here too, so in-process and contained checks turn a
function's return value into outputs by the same rules.
"""

import copy
import importlib.util
import inspect
import json
import os
import pathlib
import pickle
import sys
import warnings

import numpy as np

PROBLEM_CHARS = 160


def _short(text):
    text = str(text)
    return text if len(text) <= PROBLEM_CHARS else text[: PROBLEM_CHARS - 3] + "..."


def raised(exc):
    """An exception from the student's code, said in one short phrase."""
    return f"raised {type(exc).__name__}: {_short(exc)}"


def call(fn, args):
    """The student's outputs on deep copies of args (arrays, and the dicts and lists of arrays of whole
    networks), so no call sees what an earlier one changed; overflow and invalid-value warnings silenced."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*copy.deepcopy(args))


class _NumpyOnly(pickle.Unpickler):
    """Unpickles plain containers and NumPy arrays only: any other class would import its module
    (crosscheck, and torch with it) into the child before the student's code runs."""

    def find_class(self, module, name):
        if module == "numpy" or module.startswith("numpy."):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"the probes may hold NumPy arrays only, got {module}.{name}")


class ComplexAnswer(ValueError):
    """A complex array with an imaginary part that is not 0, where a real one was expected."""


def as_real(got):
    """`got` as a float64 array; TypeError or ValueError where it is not numbers, ComplexAnswer where
    it is complex with an imaginary part that is not 0: float64 conversion drops that part with a
    warning, and relu' + 1j passed as relu'."""
    array = np.asarray(got)
    if np.iscomplexobj(array):
        if np.any(array.imag != 0):
            raise ComplexAnswer("returned a complex array, expected a real one (its imaginary part is not 0)")
        array = array.real
    return np.asarray(array, dtype=np.float64)


def outputs_of(result, names, shapes):
    """(problem, outputs) from one return value: outputs[o] is a float64 array of shapes[o], a
    tuple (the wrong shape it had) or a str (why it is unusable); problem is "" or why none is."""
    n_out = len(names)
    if n_out > 1 and (not isinstance(result, (tuple, list)) or len(result) != n_out):
        count = f" of {len(result)}" if isinstance(result, (tuple, list)) else ""
        return f"returned a {type(result).__name__}{count}, expected a tuple ({', '.join(names)})", []
    outs = []
    for got, want in zip([result] if n_out == 1 else result, shapes):
        try:
            got = as_real(got)
        except ComplexAnswer as exc:
            outs.append(str(exc))
            continue
        except (TypeError, ValueError, OverflowError) as exc:
            outs.append(f"returned something that is not a numeric array ({type(got).__name__}: {_short(exc)})")
            continue
        outs.append(got if got.shape == tuple(want) else tuple(got.shape))
    return "", outs


def _load(path, name):
    """The student's function; a load failure is reported as load_error (bad usage, exit 2)."""
    sys.path.insert(0, str(pathlib.Path(path).parent))  # so the student's own helper modules import
    spec = importlib.util.spec_from_file_location("_student", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def _write(workdir, report, arrays):
    np.savez(workdir / "outputs.npz", **arrays)
    tmp = workdir / "result.tmp"
    tmp.write_text(json.dumps(report))
    os.replace(tmp, workdir / "result.json")


def run(workdir):
    workdir = pathlib.Path(workdir)
    job = json.loads((workdir / "job.json").read_text())
    with open(workdir / "args.pkl", "rb") as fh:
        probes = _NumpyOnly(fh).load()  # written by the parent, before the student's code ran
    if job.get("drop"):
        probes = [args[: len(args) - job["drop"]] for args in probes]
    try:
        fn = _load(job["path"], job["function"])
    except BaseException as exc:  # noqa: BLE001  (SystemExit at import is the student's file failing to load)
        return _write(workdir, {"load_error": f"importing the file {raised(exc)}"}, {})
    if not callable(fn):
        return _write(workdir, {"load_error": f"{job['function']!r} is a {type(fn).__name__}, not callable"}, {})
    try:
        inspect.signature(fn).bind(*probes[0])
    except TypeError as exc:
        return _write(workdir, {"signature_error": _short(exc)}, {})
    except ValueError:
        pass  # builtins without a signature: let the call decide
    report, arrays = {"probes": []}, {}
    for p, args in enumerate(probes):
        try:
            problem, outs = outputs_of(call(fn, args), job["outputs"], job["shapes"][p])
        except Exception as exc:  # the student's code failing on an input is a disagreement, said in words
            problem, outs = raised(exc), []
        row = {"problem": problem, "outputs": []}
        for o, got in enumerate(outs):
            if isinstance(got, np.ndarray):
                arrays[f"p{p}_o{o}"] = got
                row["outputs"].append({"array": f"p{p}_o{o}"})
            elif isinstance(got, tuple):
                row["outputs"].append({"shape": list(got)})
            else:
                row["outputs"].append({"problem": got})
        report["probes"].append(row)
    _write(workdir, report, arrays)


if __name__ == "__main__":
    run(sys.argv[1])
