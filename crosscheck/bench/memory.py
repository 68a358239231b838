"""Peak memory of a side-by-side training run, measured in a fresh process.

The run trains the reference and the torch twin in lockstep (training.runs.train_side_by_side)
for `epochs` epochs. The child process reports its peak resident set (ru_maxrss) once everything
is imported and warmed up by a one-epoch run, and again after the run; their difference is what the run itself added. With the
batches drawn lazily it stays about constant in the number of epochs (each step's comparison
and the per-epoch history still grow, by a few floats per step).

A fresh process keeps the figure free of whatever the calling process already holds; it runs with
one BLAS and one torch thread, as the training does. It ends when its parent does, however the
parent ended: a bench stopped with a plain SIGTERM once left a long run going on its own.
"""

import json
import os
import pathlib
import resource
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _peak_rss_mib():
    """This process's peak resident set so far, in MiB (ru_maxrss is in KiB on Linux, bytes on macOS)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)


def child_command(dataset, epochs):
    """The fresh process's command line: this module run as a script, told which process is its parent."""
    return [sys.executable, "-m", "crosscheck.bench.memory", dataset, str(epochs), str(os.getpid())]


def child_env():
    """The fresh process's environment: one BLAS thread, and this checkout importable."""
    return {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }


def training_memory(dataset="digits", epochs=100):
    """{"dataset", "epochs", "steps", "seconds", "rss_after_warmup_mib", "peak_rss_mib", "run_added_mib"}."""
    child = subprocess.run(
        child_command(dataset, epochs), cwd=ROOT, env=child_env(), capture_output=True, text=True, check=False
    )
    if child.returncode != 0:
        raise RuntimeError(f"the measuring process failed (exit {child.returncode}): {child.stderr.strip()[-2000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


def _end_with(parent):
    """In the fresh process: exit as soon as `parent` is no longer its parent (it ended and the run
    was handed to another). The parent's pid comes from the parent itself: read here, it could
    already be the new one."""

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="end-with-parent").start()


def _child(dataset, epochs):
    """Run in the fresh process: train, then print one JSON line."""
    from ..training.runs import train_side_by_side  # after the watch has started: imports take seconds

    # A one-epoch run first: it pays for the lazy imports (torch.optim pulls in torch._dynamo) and the
    # data set, so that the difference below is what the epochs add.
    train_side_by_side(dataset, epochs=1)
    before = _peak_rss_mib()
    start = time.perf_counter()
    result = train_side_by_side(dataset, epochs=epochs)
    peak = _peak_rss_mib()
    record = {
        "dataset": dataset,
        "epochs": epochs,
        "steps": result.config["steps"],
        "seconds": time.perf_counter() - start,
        "rss_after_warmup_mib": before,
        "peak_rss_mib": peak,
        "run_added_mib": peak - before,
    }
    print(json.dumps(record))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(
            "usage: python -m crosscheck.bench.memory DATASET EPOCHS PARENT_PID (crosscheck bench --training-memory runs it)"
        )
    _end_with(int(sys.argv[3]))
    _child(sys.argv[1], int(sys.argv[2]))
