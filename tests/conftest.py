"""One BLAS thread and one torch thread per test process (each pytest-xdist worker imports this too),
and the suite's shared plugins (the --device option, the shared report build, which tests share a
worker).

Every xdist worker is a whole process; left alone, its OpenBLAS and torch pools each start one
thread per core, so -n 16 on 16 cores ran 256 threads that fought, and the suite got slower with
more workers. The variables must be set before NumPy or torch load their libraries; conftest.py
is imported before any test module, and threadpoolctl/set_threads cover a library a plugin loaded
first. torch is not imported here: the controller process, which runs no test, would pay 1.5 s.
"""

import gc
import os
import sys

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

# Hypothesis keeps its example database and constants cache in ./.hypothesis unless told otherwise;
# a test run leaves the checkout as it found it (pytest's cache_dir in pyproject.toml does the same).
# It reads the variable when it first stores something, after this.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.expanduser("~/.cache/crosscheck/hypothesis"))

from threadpoolctl import threadpool_limits  # noqa: E402  (after the variables, on purpose)

threadpool_limits(limits=1)
if "torch" in sys.modules:  # loaded before the variables were set: its pool is already sized
    from torch_impl import runtime

    runtime.set_threads(1)

pytest_plugins = ["tests.device_option", "tests.shared_report", "tests.worker_groups"]


def pytest_unconfigure(config):
    """Last hook of every pytest process here: skip the interpreter's final garbage collection, about
    a second of each worker's exit with torch loaded (crosscheck.cli.entry says why)."""
    gc.freeze()
