"""`crosscheck bench`: its records and their arithmetic (no timing is asserted: timings are measured, not tested)."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from crosscheck.bench import measure, memory
from crosscheck.cli import main
from tests.processes import started_at

TINY = {"examples": (1, 3), "dtypes": ("float64",), "repeats": 1, "min_time": 0.0, "threads": 1}


def test_flops_count_every_matrix_product_of_forward_and_backward():
    # Z = W A, dW = dZ A^T and dA_prev = W^T dZ: 2 n[l] n[l-1] m flops each, per layer.
    per_example = 2 * (784 * 256 + 256 * 128 + 128 * 10)
    assert measure.flops(5) == 3 * per_example * 5


def test_records_carry_both_sides_and_their_ratio():
    rows = measure.measure(**TINY)
    assert [(r["dtype"], r["m"]) for r in rows] == [("float64", 1), ("float64", 3)]
    for r in rows:
        assert r["reference_ms"] > 0 and r["torch_ms"] > 0 and r["input_grad"] is True
        assert r["ratio"] == pytest.approx(r["reference_ms"] / r["torch_ms"])
        assert r["torch_gflops"] == pytest.approx(measure.flops(r["m"]) / (r["torch_ms"] * 1e6))
        assert r["peak_gflops"] == max(r["matmul_gflops"].values())
        assert set(r["calls_per_repeat"]) == {"reference", "torch", "numpy_matmul", "torch_matmul"}


def test_json_flag_prints_the_records(monkeypatch, capsys):
    monkeypatch.setitem(measure.QUICK, "examples", (1,))
    monkeypatch.setitem(measure.QUICK, "dtypes", ("float32",))
    assert main(["bench", "--quick", "--repeats", "1", "--json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert {"dtype", "m", "reference_ms", "torch_ms"} <= set(record)
    assert (record["dtype"], record["m"], record["threads"]) == ("float32", 1, 1)


def test_the_memory_runs_record_counts_the_epochs_steps(capsys):
    # In this process (a fresh one costs seconds of imports), so its peaks are this worker's and say
    # nothing. digits: 1,797 images, 20 % held out -> 1,437 to train on, in mini-batches of 32: 45
    # steps an epoch.
    memory._child("digits", 2)
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (record["dataset"], record["epochs"], record["steps"]) == ("digits", 2, 90)


@pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_the_memory_run_ends_when_its_parent_ends(tmp_path):
    # A go-between starts a run of 10**8 epochs, waits until its watch has started (a second
    # thread), and exits, as a bench killed with a plain SIGTERM does: the run, handed to another
    # parent, must end by itself, by its watch (it says nothing on stderr) and within seconds.
    starter = textwrap.dedent(
        """
        import pathlib, subprocess, sys, time
        from crosscheck.bench import memory
        p = subprocess.Popen(memory.child_command("digits", 10**8), cwd=memory.ROOT, env=memory.child_env(),
                             stdout=subprocess.DEVNULL, stderr=open(sys.argv[1], "w"))
        tasks, end = pathlib.Path(f"/proc/{p.pid}/task"), time.monotonic() + 30
        while p.poll() is None and len(list(tasks.iterdir())) < 2 and time.monotonic() < end:
            time.sleep(0.02)
        print(p.pid, p.poll())
        """
    )
    stderr = tmp_path / "run.stderr"
    started = subprocess.run(
        [sys.executable, "-c", starter, str(stderr)], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    pid, ended = started.stdout.split()
    assert ended == "None", f"the run ended before its parent did: {stderr.read_text()}"
    pid, birth = int(pid), started_at(int(pid))
    deadline = time.monotonic() + 20
    while started_at(pid) == birth and time.monotonic() < deadline:
        time.sleep(0.1)
    if started_at(pid) == birth:  # the same process (a pid, once free, can be another's)
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the memory run outlived its parent by 20 s")
    assert stderr.read_text() == ""
