"""Running a student's function in a child process with limits, and reading back what it returned.

One child per check, running derivation.child: a fresh temporary working folder, no stdin, an
environment of PATH and the thread counts only, a wall-time limit and an address-space limit
(RLIMIT_AS). Its stdout and stderr go to a file and come back truncated. The children are forked
by one zygote per process (derivation/zygote.py, started with `python -I` in that environment, NumPy
loaded): a fresh interpreter per check spent 0.15 s of each on starting and importing NumPy.

What this promises: the verdict is decided here, in the parent, from the files the child wrote;
an exit, os._exit, a signal, a hang, a memory blow-up or anything printed is a named outcome, never
a pass. What it does not promise: this is not a security sandbox. The child runs as the caller's
user and can read what the caller can read; for hostile code run crosscheck inside a container
(README, "Check my derivation").
"""

import atexit
import json
import os
import pathlib
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
import zipfile

import numpy as np

from ..core.echo import printable, printable_all
from ..core.forkserver import ForkServer, ServerGone, Tampered, kill_group

ZYGOTE = pathlib.Path(__file__).with_name("zygote.py")
# Fork a zygote that has loaded NumPy on Linux only: macOS's system libraries (Accelerate, the
# Objective-C runtime) do not promise to survive a fork without exec; there each check starts a
# fresh interpreter, 0.15 s slower (the report's workers make the same choice, report/runner.py).
FORK = sys.platform == "linux"
LOG_CHARS = 2000  # of the student's printed output kept in the notes


class Outcome(Exception):
    """The child gave no usable result: name is the outcome, str() says it to the student."""

    def __init__(self, name, message):
        super().__init__(message)
        self.name = name
        self.log = ""  # what the student's code printed before it


def _environment():
    # Scrubbed: nothing of the caller's environment (tokens, paths, proxies) reaches student code.
    # One BLAS thread: each thread reserves address space that would count against RLIMIT_AS.
    env = {"PATH": os.defpath, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    return env


def _read_log(workdir):
    # Escaped, then cut: an escape is up to 10 characters (\U000f0000) for one
    text = printable((workdir / "log.txt").read_bytes()[: LOG_CHARS + 1].decode("utf-8", "replace"))
    return text if len(text) <= LOG_CHARS else text[:LOG_CHARS] + " [truncated]"


def _gib(memory):
    return f"{memory / 2**30:g} GB"


def _new_zygote():
    argv = [sys.executable, "-I", "-B", str(ZYGOTE)]
    return ForkServer(argv, env=_environment(), cwd=tempfile.gettempdir())


_zygote = None
_one_job_at_a_time = threading.Lock()  # the zygote answers one job at a time; callers may be threads


def _zygote_for_this_process():
    global _zygote
    if _zygote is None or not _zygote.usable():
        _zygote = _new_zygote()
    return _zygote


def _forget_in_a_forked_copy():
    # A fork of this process (a report worker, a user's multiprocessing) starts its own zygote and
    # lock: the copied ones belong to the parent, and the lock may have been held by another thread.
    global _zygote, _one_job_at_a_time
    _zygote, _one_job_at_a_time = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_in_a_forked_copy)


@atexit.register
def _close_zygote():
    if _zygote is not None and _zygote.owner == os.getpid():
        _zygote.close()


def _run_child(workdir, timeout, memory):
    """The child's exit status (minus the signal that ended it); Outcome "timeout" past `timeout` s."""
    if not FORK:
        return _run_fresh(workdir, timeout, memory)
    job = {"workdir": str(workdir), "memory": int(memory)}
    with _one_job_at_a_time:
        try:
            try:
                status = _zygote_for_this_process().run(job, timeout)
            except ServerGone:  # killed between jobs, before forking this one: once more, anew
                status = _zygote_for_this_process().run(job, timeout)
        except Tampered as exc:
            raise Outcome("no result", f"the child's messages to crosscheck were tampered with ({exc})") from None
        except EOFError:
            raise Outcome("crashed", "your function ended the process that started it, and itself with it") from None
    if status is None:
        raise Outcome("timeout", f"your function did not return within {timeout:g} s")
    return status


def _run_fresh(workdir, timeout, memory):
    """The check in a fresh interpreter running zygote.py as the child itself."""
    child = subprocess.Popen(
        [sys.executable, "-I", "-B", str(ZYGOTE), str(workdir), str(int(memory))],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=workdir,
        env=_environment(),
        start_new_session=True,  # its own process group, so a timeout also ends what it forked
    )
    try:
        return child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(child.pid)
        child.wait()
        raise Outcome("timeout", f"your function did not return within {timeout:g} s") from None
    finally:
        kill_group(child.pid)  # anything it left running in the background


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
        (workdir / "log.txt").write_bytes(b"")  # there even if the child ends before it opens it
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
            report = printable_all(json.loads(result.read_text()))  # the student's code may have written it
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
