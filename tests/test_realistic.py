"""The realistic tier: MNIST-sized networks agree, with branch flips at kinks set aside and counted."""

import itertools
import pathlib

import numpy as np
import pytest

from crosscheck.cli import main
from crosscheck.core.branches import SetAside
from crosscheck.core.cases import Case
from crosscheck.core.compare import Comparison, Row
from crosscheck.core.ops import HIDDEN
from crosscheck.core.realistic import BATCHES, NETWORKS, RealisticCase, realistic_sample, realistic_tier
from crosscheck.core.tolerances import DTYPES, tolerance_for
from crosscheck.core.traces import run_case
from crosscheck.report import realistic as section_module
from crosscheck.report import tf32 as tf32_module
from crosscheck.report.context import Context
from crosscheck.report.providers import PROVIDERS
from crosscheck.report.sections import case_data, matrix_like_section
from torch_impl import runtime


@pytest.mark.parametrize("case", realistic_sample(), ids=str)
def test_realistic_sample_agrees(case, device):
    comparison = run_case(case, device)
    assert comparison.ok, comparison.first_divergence()
    # every hidden dZ element was looked at, and a flip is always one of the set-aside elements
    m = case.m
    assert comparison.set_aside.total == sum(n * m for n in case.sizes[1:-1])
    assert sum(comparison.set_aside.flipped.values()) <= comparison.set_aside.count


def test_the_tier_covers_every_axis_the_issue_names():
    tier = realistic_tier()
    assert (784, 256, 128, 10) in {c.sizes for c in tier}
    assert max(c.depth for c in tier) > 3  # a deeper network than the bench one
    assert {(c.network, c.hidden, c.m, c.dtype) for c in tier} == set(
        itertools.product(("-".join(map(str, s)) for s in NETWORKS.values()), HIDDEN, BATCHES, DTYPES)
    )
    assert set(BATCHES) == {256, 2048}


def test_a_case_draws_from_its_seed_alone():
    case = RealisticCase((30, 8, 6, 4), "relu", 16, "float32", seed=3)
    (X1, Y1, p1), (X2, Y2, p2) = case.draw(), case.draw()
    assert np.array_equal(X1, X2) and np.array_equal(Y1, Y2) and np.array_equal(p1["W2"], p2["W2"])
    assert X1.dtype == np.float32
    assert np.all(Y1.sum(axis=0) == 1)  # one-hot columns for the softmax + cross-entropy output


@pytest.mark.parametrize(
    "sizes, hidden, word",
    [((784, 10), "relu", "sizes"), ((784, 256, 10), "softmax", "hidden"), ((784, 256, 10), "nope", "hidden")],
)
def test_bad_realistic_cases_are_refused(sizes, hidden, word):
    with pytest.raises(ValueError, match=word):
        RealisticCase(sizes, hidden)


def small_context(tmp_path, **fields):
    """A report context with two small realistic cases: the section's logic, not its sizes."""
    cases = [RealisticCase((40, 12, 8, 5), "relu", 32, dtype) for dtype in DTYPES]
    return Context(out_dir=pathlib.Path(tmp_path), realistic=cases, progress=False, **fields)


def realistic_section(ctx):
    return {p.key: p for p in PROVIDERS}["realistic"].make(ctx)


def test_the_section_records_carry_what_the_issue_names(tmp_path):
    section = realistic_section(small_context(tmp_path))
    assert section.key == "realistic" and section.status == "ok" and section.summary["failures"] == 0
    for r in section.records:
        assert {"m", "dtype", "device", "error", "set_aside", "set_aside_of", "flipped", "ok"} <= set(r)
        assert r["device"] == "cpu" and r["m"] == 32 and r["set_aside_of"] == (12 + 8) * 32
        assert r["error"] <= tolerance_for(r["dtype"]).rtol
    assert "set aside as branch-ambiguous" in section.blocks[0].text


# (--tf32, device, dtype) -> whether TF32 changes the arithmetic there
TF32_APPLIES = [
    (True, "cuda", "float32", True),
    (True, "cuda", "float64", False),
    (True, "cpu", "float32", False),
    (False, "cuda", "float32", False),
]


@pytest.mark.parametrize("tf32, device, dtype, expected", TF32_APPLIES)
def test_tf32_applies_only_to_float32_on_cuda(tmp_path, tf32, device, dtype, expected):
    ctx = Context(out_dir=pathlib.Path(tmp_path), tf32=tf32, device=device)
    assert tf32_module.tf32_applies(ctx, dtype) is expected


def tf32_like(case, device):
    """What a float32 run under TF32 looks like: Z1 off by 5e-4 relative (the probe's first failure)."""
    rtol = tolerance_for(case.dtype).rtol
    rel = 5e-4 if case.dtype == "float32" else 1e-15
    rows = [Row("Z1", rel, rel, rtol, rel <= rtol), Row("dW1", rel / 2, rel / 2, rtol, rel / 2 <= rtol)]
    return Comparison(case.id, rows, SetAside({"dZ1": 2}, {"dZ1": 0}, {"dZ1": 384}))


@pytest.mark.parametrize("tf32, failures", [(True, 0), (False, 1)])
def test_float32_under_tf32_is_a_finding_not_a_failure(tmp_path, monkeypatch, tf32, failures):
    """The CUDA path's logic, on the CPU: the comparison is planted, the verdict is the section's."""
    monkeypatch.setattr(section_module, "run_case", tf32_like)
    section = realistic_section(small_context(tmp_path, device="cuda", tf32=tf32))
    assert section.summary["failures"] == failures
    assert (section.status == "ok") is (failures == 0)
    if tf32:
        finding = section.data["tf32_finding"]
        assert finding["beyond_tolerance"] == 1 and finding["cases"] == 1
        assert finding["worst_per_quantity"] == {"Z": 5e-4, "dW": 2.5e-4}
        assert finding["rtol"] == tolerance_for("float32").rtol
    else:
        assert "tf32_finding" not in section.data


def test_the_tf32_switch_is_restored():
    before = runtime.tf32_state()
    with runtime.tf32(True):
        assert runtime.tf32_state() == {"matmul": True, "cudnn": True}
    with runtime.tf32(False):
        assert runtime.tf32_state() == {"matmul": False, "cudnn": False}
    assert runtime.tf32_state() == before


@pytest.mark.parametrize("device", [d for d in runtime.DEVICES if not runtime.available(d)[0]])
def test_a_missing_device_is_bad_usage_with_the_reason(device, tmp_path, capsys):
    assert main(["report", "--device", device, "--quick", "--out", str(tmp_path)]) == 2
    assert f"{device} requested but torch." in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # refused before anything ran


def test_an_unknown_device_is_bad_usage(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--device", "tpu"])
    assert info.value.code == 2 and "--device" in capsys.readouterr().err


def test_the_environment_names_device_cuda_cudnn_and_tf32():
    env = runtime.describe("cpu")
    assert {"device", "device_name", "cuda_version", "cudnn_version", "tf32_matmul", "tf32_cudnn"} <= set(env)


@pytest.mark.parametrize("tf32, failures", [(True, 0), (False, 1)])
def test_the_matrix_under_tf32_counts_float32_as_a_finding(tmp_path, tf32, failures):
    cases = [Case("relu", "softmax_cce", dtype=d) for d in DTYPES]
    planted = [case_data(c, tf32_like(c, "cuda")) for c in cases]
    ctx = Context(out_dir=pathlib.Path(tmp_path), device="cuda", tf32=tf32)
    section = matrix_like_section("matrix", "Cross-check matrix", planted, ctx)
    assert section.summary["failures"] == failures
    assert ("tf32_finding" in section.data) is tf32
