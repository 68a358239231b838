"""A warm start for the mutants' pytest runs: torch, NumPy and pytest loaded once, one fork per run.

Run by path (`python mutants/warm.py`) with the copied tree as its working folder, by mutants/run.py.
Each run used to be a fresh `python -m pytest`, and 2-3 s of each went on loading torch (and
torch.optim's dynamo); a fork of this process starts with them loaded. It imports no module of the
project: each forked run imports the copy's modules itself, after its mutant was written (a module
loaded here would be the unmutated one in every run). The fork loop is derivation/zygote.py's
`serve`, loaded by file path for the same reason.

A job is {"args": pytest's arguments, "log": the file for its output}; the status is pytest's exit
status.
"""

import importlib.util
import os
import pathlib
import sys
import traceback

sys.path[0] = os.getcwd()  # the copy, not this script's folder (as `python -m pytest` there would have)

import pytest  # noqa: E402
import torch  # noqa: E402, F401
import torch._dynamo  # noqa: E402, F401  (what torch.optim loads at its first step: 1.3 s)

_spec = importlib.util.spec_from_file_location(
    "forking", pathlib.Path(__file__).resolve().parents[1] / "crosscheck" / "derivation" / "zygote.py"
)
forking = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(forking)


def _run_pytest(job):
    """In the forked child: output into the job's log, then pytest. Never returns."""
    code = 1
    try:
        if os.getpgid(0) != os.getpid():
            os.setpgid(0, 0)  # a group of its own: a timeout ends the run and what it started
        null = os.open(os.devnull, os.O_RDONLY)
        log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, 2**16)
        forking._streams()
        code = int(pytest.main(job["args"]))
    except SystemExit as exc:
        code = forking._exit_code(exc)
    except BaseException:  # noqa: BLE001  (what an uncaught exception does to an interpreter)
        traceback.print_exc()
    finally:
        forking._flush()
        os._exit(code)


if __name__ == "__main__":
    forking.serve(_run_pytest)
