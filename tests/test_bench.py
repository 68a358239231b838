"""`crosscheck bench`: its records and their arithmetic (no timing is asserted: timings are measured, not tested)."""

import json

import pytest

from crosscheck.bench import measure
from crosscheck.cli import main

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
