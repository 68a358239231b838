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

import gc
import importlib.util
import os
import pathlib
import sys

sys.path[0] = os.getcwd()  # the copy, not this script's folder (as `python -m pytest` there would have)

import pytest  # noqa: E402

# torch itself, not torch_impl: any module of the project loaded here would be the unmutated one.
import torch  # noqa: E402, F401
import torch._dynamo  # noqa: E402, F401  (what torch.optim loads at its first step: 1.3 s)

_spec = importlib.util.spec_from_file_location(
    "forking", pathlib.Path(__file__).resolve().parents[1] / "crosscheck" / "derivation" / "zygote.py"
)
forking = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(forking)


def _run_pytest(job):
    """In the forked child: pytest, its output into the job's log. Never returns."""
    forking.as_child(job["log"], lambda: int(pytest.main(job["args"])), forked=True)


if __name__ == "__main__":
    forking.serve(_run_pytest)
    gc.freeze()  # no final garbage collection at this exit (crosscheck.cli.entry says why)
