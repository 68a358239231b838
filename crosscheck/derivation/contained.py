"""Running a student's function in a child process with limits, and reading back what it returned.

One child per check (derivation.child, run by file path with `python -I`): a fresh temporary
working folder, no stdin, an environment of PATH and the thread counts only, a wall-time limit and
an address-space limit (RLIMIT_AS). Its stdout and stderr go to files and come back truncated.

What this promises: the verdict is decided here, in the parent, from the files the child wrote;
an exit, os._exit, a signal, a hang, a memory blow-up or anything printed is a named outcome, never
a pass. What it does not promise: this is not a security sandbox. The child runs as the caller's
user and can read what the caller can read; for hostile code run crosscheck inside a container
(README, "Check my derivation").
"""

import contextlib
import json
import os
import pathlib
import pickle
import resource
import signal
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

CHILD = pathlib.Path(__file__).with_name("child.py")
LOG_CHARS = 2000  # of the student's printed output kept in the notes


class Outcome(Exception):
    """The child gave no usable result: name is the outcome, str() says it to the student."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name
        self.log = ""  # what the student's code printed before it


def _limits(memory):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file behind

    return apply


def _environment():
    # Scrubbed: nothing of the caller's environment (tokens, paths, proxies) reaches student code.
    # One BLAS thread: each thread reserves address space that would count against RLIMIT_AS.
    env = {"PATH": os.defpath, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return env


def _read_log(workdir):
    text = (workdir / "log.txt").read_bytes()[: LOG_CHARS + 1].decode("utf-8", "replace")
    return text if len(text) <= LOG_CHARS else text[:LOG_CHARS] + " [truncated]"


def _gib(memory):
    return f"{memory / 2**30:g} GB"


def _run_child(workdir, timeout, memory):
    with open(workdir / "log.txt", "wb") as log:
        child = subprocess.Popen(
            [sys.executable, "-I", "-B", str(CHILD), str(workdir)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=workdir,
            env=_environment(),
            preexec_fn=_limits(memory),
            start_new_session=True,  # its own process group, so a timeout also ends what it forked
        )
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            raise Outcome("timeout", f"your function did not return within {timeout:g} s") from None
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)  # anything it left running in the background
    return child.returncode


def _outputs(report, workdir, n_probes):
    """The (problem, outs) per probe from the child's files; Outcome where they are incomplete."""
    rows = report.get("probes")
    if not isinstance(rows, list) or len(rows) != n_probes:
        raise Outcome("no result", "the child's result is incomplete")
    outputs = []
    with np.load(workdir / "outputs.npz", allow_pickle=False) as arrays:
        for row in rows:
            outs = []
            for out in row["outputs"]:
                if "array" in out:
                    outs.append(np.asarray(arrays[out["array"]], dtype=np.float64))
                elif "shape" in out:
                    outs.append(tuple(int(n) for n in out["shape"]))
                else:
                    outs.append(str(out["problem"]))
            outputs.append((str(row["problem"]), outs))
    return outputs


def _gave_nothing(status, log, memory, unreadable=""):
    """The Outcome of a child that wrote no usable result, from its exit status and what it printed."""
    outcome = Outcome("no result", unreadable) if unreadable else _outcome(status, log, memory)
    outcome.log = log
    raise outcome


def _outcome(status, log, memory):
    if status < 0:
        sig = signal.Signals(-status).name
        return Outcome("crashed", f"your function crashed (killed by {sig}; the memory limit is {_gib(memory)})")
    if "MemoryError" in log:
        return Outcome("out of memory", f"your function ran out of memory (limit {_gib(memory)})")
    return Outcome("exited", f"your function exited before returning (exit status {status})")


def run_contained(path, function, probes, names, shapes, timeout, memory, drop=0):
    """(outputs, log): the student's outputs per probe, run in a child with limits.

    Raises Outcome where the child gave no complete result, ValueError where the file or the
    function's signature does not fit (bad usage)."""
    with tempfile.TemporaryDirectory(prefix="crosscheck-student-") as tmp:
        workdir = pathlib.Path(tmp)
        job = {"path": str(path), "function": function, "outputs": list(names), "shapes": shapes}
        job["n_args"] = [len(p.args) for p in probes]
        job["drop"] = drop  # trailing arguments the student's signature leaves out (linear's b)
        (workdir / "job.json").write_text(json.dumps(job))
        # Pickle goes parent -> child only (the child trusts its parent); whole-network probes pass dicts
        # and lists of caches. What comes back is read with allow_pickle=False.
        with open(workdir / "args.pkl", "wb") as fh:
            pickle.dump([tuple(pr.args) for pr in probes], fh)
        try:
            status = _run_child(workdir, timeout, memory)
        except Outcome as outcome:
            outcome.log = _read_log(workdir)
            raise
        log = _read_log(workdir)
        result = workdir / "result.json"
        if not result.is_file():
            _gave_nothing(status, log, memory)
        try:
            report = json.loads(result.read_text())
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            report = None
        if not isinstance(report, dict):  # the student's code may have written it: trust no shape
            _gave_nothing(status, log, memory, "the child's result could not be read")
        if "load_error" in report:
            raise ValueError(
                f"FILE.py:FUNCTION: expected a file that imports and a callable, got: {report['load_error']}"
            )
        if "signature_error" in report:
            raise ValueError(
                f"FUNCTION: expected {function!r} to take the target's arguments, got one that cannot be called "
                f"with them ({report['signature_error']})"
            )
        try:
            outputs = _outputs(report, workdir, len(probes))
        except (OSError, KeyError, TypeError, ValueError, AttributeError, zipfile.BadZipFile) as exc:
            raise Outcome("no result", f"the child's result could not be read ({type(exc).__name__})") from None
        if any(problem.startswith("raised MemoryError") for problem, _ in outputs):
            raise Outcome("out of memory", f"your function ran out of memory (limit {_gib(memory)})")
        return outputs, log
