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

import pytest

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


@pytest.hookimpl(trylast=True)  # after pytest-randomly has settled its seed (a worker takes the controller's)
def pytest_configure(config):
    """Hypothesis draws from the run's seed: pytest-randomly's, printed in the header, or 0 under
    -p no:randomly. Left alone it seeds every test from the OS, so a drawn failure could not be
    reproduced on another run or worker. --hypothesis-seed=N still wins (its plugin has read it),
    and so does Hypothesis's "ci" profile where the CI variable is set: derandomized, each test
    draws the same on every run."""
    if not config.pluginmanager.has_plugin("hypothesispytest") or config.getoption("hypothesis_seed") is not None:
        return  # the mutants' lean runs load no hypothesis at all
    import hypothesis.core

    # What --hypothesis-seed sets (its plugin's own pytest_configure), here from the run's seed.
    hypothesis.core.global_force_seed = config.getoption("randomly_seed", 0)


# Garbage collection: the libraries a worker loads (torch, torch.optim's dynamo with sympy,
# scikit-learn, matplotlib) leave millions of objects that live as long as the worker, and every full
# collection walked them all. So:
# - after test collection, and after any test that loaded a library (a few times a worker), the
#   garbage is collected and everything still alive is frozen: moved out of the collector's sight
#   (gc.freeze). The xdist controller, which collects no test, freezes at its first test report;
# - the youngest generation is collected every 10,000 new tracked objects rather than 700, so the
#   middle and full collections that follow every 10 of the one before come rarely.
# Measured with gc.callbacks over the suite on 2 workers (both workers' collections): 5.2 s before,
# 1.9-2.3 s now (1.7 s when the freezes did not collect first); the suite 35.8-36.5 s -> 34.5-34.7 s
# (alternating runs); peak RSS per worker 542-555 MiB before, 525-580 MiB after.
gc.set_threshold(10_000, 10, 10)
_FROZEN_AT = [0]  # len(sys.modules) at the last freeze
_NEW_MODULES = 20  # imports since then that make a test "one that loaded a library"


def _freeze():
    gc.collect()  # a test's cycles (a traceback's frames, a torch graph) are garbage, not heap to keep
    gc.freeze()
    _FROZEN_AT[0] = len(sys.modules)


def pytest_collection_finish(session):
    _freeze()


def pytest_runtest_logfinish(nodeid, location):
    if len(sys.modules) > _FROZEN_AT[0] + _NEW_MODULES:
        _freeze()


def pytest_unconfigure(config):
    """Last hook of every pytest process here: skip the interpreter's final garbage collection, about
    a second of each worker's exit with torch loaded (crosscheck.cli.entry says why)."""
    gc.freeze()
