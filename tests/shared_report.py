"""The suite's one report build (the `built` fixture), shared by every test that reads a report.

Registered from tests/conftest.py. The xdist workers' temporary folders share a parent; the first
worker to take the lock builds the report there and the others read its files and its pickled
Report (a build takes seconds: one per module and worker was the suite's longest setup). Without
xdist (no `workerinput` on the config; xdist's `worker_id` fixture is missing under -p no:xdist, and
its PYTEST_XDIST_WORKER variable reaches a plain pytest started from a worker) the run's own folder
is used.

The build holds every section: a slice of the quick matrix (every hidden activation and pairing,
both dtypes), two kink cases, the quick training runs and one bench size of one repeat (nothing
is asserted on the timings).
"""

import fcntl
import functools
import json
import pickle

import pytest

BENCH = {"examples": (1,), "dtypes": ("float64",), "repeats": 1, "min_time": 0.0, "threads": 1}


@functools.cache
def selection():
    """(cases, kinks) of the build. A function: crosscheck.core loads torch, and every pytest process
    loads this plugin, the xdist controller too, which runs no test."""
    from crosscheck.core.matrix import kink_matrix, quick_matrix

    kinks = [c for c in kink_matrix() if c.pairing == "softmax_cce" and c.m == 7 and c.hidden in ("relu", "elu")]
    return quick_matrix()[::6], kinks


def _reject_constant(name):
    raise AssertionError(f"report.json holds {name}, which is not JSON")


@pytest.fixture(scope="session")
def built(tmp_path_factory, request):
    """{"out": folder, "report": the Report, "md", "html": texts, "json": report.json parsed}."""
    # Imported here: every pytest process loads this plugin, and the report package (matplotlib,
    # scikit-learn) costs seconds to a process that builds no report, such as the mutants' runs.
    from crosscheck.report import build

    root = tmp_path_factory.getbasetemp()
    root = root.parent if hasattr(request.config, "workerinput") else root  # an xdist worker: share with the others
    out = root / "shared-report"
    with open(root / "shared-report.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (out / "report.pkl").exists():
            cases, kinks = selection()
            report, _ = build(out, quick=True, progress=False, cases=cases, kinks=kinks, bench=BENCH)
            (out / "report.pkl").write_bytes(pickle.dumps(report))  # last: its presence says the build is whole
    return {
        "out": out,
        "report": pickle.loads((out / "report.pkl").read_bytes()),
        "md": (out / "REPORT.md").read_text(),
        "html": (out / "report.html").read_text(),
        "json": json.loads((out / "report.json").read_text(), parse_constant=_reject_constant),
    }
