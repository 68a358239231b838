"""Kink-aware comparison: a rounding flip at a kink is set aside, a wrong derivative never is.

The two sides are built from the reference's own equations (reference.network, which the matrix
checks against torch) on one Z that was rounded two ways: summing 1 + 2^-24 - 1 in float32 left to
right gives 0, right to left gives 2^-24, so one side is on the kink and the other one float above
it. Everything downstream of that element is then the independent oracle for what a correct
implementation that rounded the other way computes.
"""

from dataclasses import replace

import numpy as np
import pytest

from crosscheck.core.branches import resolve_branches
from crosscheck.core.cases import Case
from crosscheck.core.compare import chain_order, compare
from crosscheck.core.ops import resolved
from crosscheck.core.tolerances import tolerance_for
from crosscheck.core.traces import run_case
from reference import activations, network

DTYPE = "float32"
TERMS = np.array([1.0, 2.0**-24, -1.0], dtype=DTYPE)
LEFT = (TERMS[0] + TERMS[1]) + TERMS[2]  # 1 + 2^-24 rounds to 1, so 0
RIGHT = TERMS[0] + (TERMS[1] + TERMS[2])  # -1 + 2^-24 is exact, so 2^-24


def test_the_two_orders_round_to_the_two_sides_of_zero():
    assert LEFT == 0.0
    assert RIGHT == 2.0**-24


def network_data(seed=0):
    """3 inputs, 4 hidden units, 2 identity outputs, m = 3; Z1[0, 0] sums TERMS."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(3, 3)).astype(DTYPE)
    Y = rng.normal(size=(2, 3)).astype(DTYPE)
    params = {
        "W1": rng.normal(size=(4, 3)).astype(DTYPE),
        "b1": rng.normal(size=(4, 1)).astype(DTYPE),
        "W2": rng.normal(size=(2, 4)).astype(DTYPE),
        "b2": rng.normal(size=(2, 1)).astype(DTYPE),
    }
    X[:, 0] = TERMS
    params["W1"][0, :] = 1.0
    params["b1"][0, 0] = 0.0
    return X, Y, params


def trace(X, Y, params, acts, z00, dZ00=None):
    """A document-layout trace with Z1[0, 0] = z00 (forward and backward follow from it);
    dZ00 overrides dZ1[0, 0] and its consequences, to plant a wrong derivative."""
    _, caches = network.forward(X, params, acts)
    Z1 = caches[0]["Z"].copy()
    Z1[0, 0] = z00
    A1 = activations.forward(acts[0], Z1)
    Z2 = params["W2"] @ A1 + params["b2"]
    A2 = activations.forward(acts[1], Z2)
    caches[0].update(Z=Z1, A=A1)
    caches[1].update(A_prev=A1, Z=Z2, A=A2)
    grads = network.backward(A2, Y, caches, "mse", "mean")
    if dZ00 is not None:
        dZ1 = grads["dZ1"].copy()
        dZ1[0, 0] = dZ00(grads["dA1"][0, 0])
        grads["dZ1"] = dZ1
        grads["dA0"], grads["dW1"], grads["db1"] = network.linear_backward(dZ1, X, params["W1"], "mean")
    return {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2, **grads}


def judged(hidden, z_ref, z_torch, dZ00=None):
    X, Y, params = network_data()
    acts = resolved([hidden, "identity"])
    ref = trace(X, Y, params, acts, z_ref)
    other = trace(X, Y, params, acts, z_torch, dZ00)
    accepted, set_aside = resolve_branches(ref, other, X, params, acts, "mean", DTYPE)
    names = [n for n in chain_order(2) if n != "J"]
    return compare(accepted, other, tolerance_for(DTYPE), order=names, label=hidden), set_aside, ref, other


# (hidden activation, its parameters): every activation whose branches differ at its kink.
KINKED = [("relu", {}), ("leaky_relu", {"slope": 0.01}), ("elu", {"alpha": 0.5})]


@pytest.mark.parametrize("hidden", KINKED, ids=lambda h: h[0])
@pytest.mark.parametrize("z_ref, z_torch", [(LEFT, RIGHT), (RIGHT, LEFT)], ids=["ref-at-0", "torch-at-0"])
def test_a_rounding_flip_is_set_aside_and_everything_downstream_agrees(hidden, z_ref, z_torch):
    comparison, set_aside, ref, other = judged(hidden, z_ref, z_torch)
    # without the kink rule the two sides really disagree at dZ1
    plain = compare(ref, other, tolerance_for(DTYPE), order=["dZ1", "dW1", "db1", "dA0"])
    assert not plain.row("dZ1").ok
    assert comparison.ok, comparison.first_divergence()
    assert set_aside.ambiguous == {"dZ1": 1} and set_aside.flipped == {"dZ1": 1}
    assert str(set_aside) == "1 of 12 elements set aside as branch-ambiguous"


# factors that are no branch of any KINKED activation (0, 1, slope 0.01, alpha 0.5)
WRONG = [
    ("0.3 dA", lambda dA: 0.3 * dA),
    ("negated", lambda dA: -dA),
    ("twice dA", lambda dA: 2.0 * dA),
]


@pytest.mark.parametrize("hidden", KINKED, ids=lambda h: h[0])
@pytest.mark.parametrize("name, dZ00", WRONG, ids=[w[0] for w in WRONG])
def test_a_derivative_on_neither_branch_still_fails_at_dZ(hidden, name, dZ00):
    comparison, *_ = judged(hidden, LEFT, RIGHT, dZ00)
    first = next(r for r in comparison.rows if not r.ok)
    assert first.name == "dZ1", comparison.first_divergence()


def test_the_other_branch_far_from_the_kink_is_not_set_aside():
    """Z = 0.5 on both sides sits far outside the band: taking the other branch there is a wrong g'."""
    comparison, set_aside, *_ = judged(("relu", {}), 0.5, 0.5, dZ00=lambda dA: 0.0 * dA)
    assert not comparison.row("dZ1").ok and set_aside.count == 0


def test_exact_zero_on_both_sides_is_not_ambiguous():
    """The same Z bit for bit took the same input: g'(0) must agree, the convention is verified."""
    comparison, set_aside, *_ = judged(("relu", {}), LEFT, LEFT, dZ00=lambda dA: dA)  # relu'(0) = 1 planted
    assert not comparison.row("dZ1").ok and set_aside.count == 0


def test_elu_with_alpha_one_has_no_jump_to_set_aside():
    _, set_aside, *_ = judged(("elu", {"alpha": 1.0}), LEFT, RIGHT)
    assert set_aside.count == 0


def test_a_wrong_relu_prime_at_zero_is_still_caught_by_the_kink_cases(monkeypatch):
    case = Case("relu", "softmax_cce", "mean", "none", 3, 7, "float32", kink=True)
    assert run_case(case).ok
    relu = activations.ACTIVATIONS["relu"]
    monkeypatch.setitem(activations.ACTIVATIONS, "relu", replace(relu, g_prime=lambda Z: (Z >= 0).astype(Z.dtype)))
    report = run_case(case)
    assert not report.ok and report.set_aside.count == 0
    assert next(r for r in report.rows if not r.ok).name == "dZ2", report.first_divergence()


def test_a_transposed_dZ_is_left_to_the_comparison():
    """A shape mismatch is reported by the comparison, not swallowed by the kink rule."""
    X, Y, params = network_data()
    acts = resolved([("relu", {}), "identity"])
    ref = trace(X, Y, params, acts, LEFT)
    other = {**trace(X, Y, params, acts, RIGHT), "dZ1": ref["dZ1"].T}
    accepted, set_aside = resolve_branches(ref, other, X, params, acts, "mean", DTYPE)
    row = compare(accepted, other, tolerance_for(DTYPE), order=["dZ1"]).row("dZ1")
    assert not row.ok and "shape" in row.note and set_aside.count == 0


def test_a_failure_says_how_many_elements_were_set_aside():
    X, Y, params = network_data()
    acts = resolved([("relu", {}), "identity"])
    ref = trace(X, Y, params, acts, LEFT)
    other = trace(X, Y, params, acts, RIGHT)
    other["dW2"] = 2 * other["dW2"]  # a planted error elsewhere
    accepted, set_aside = resolve_branches(ref, other, X, params, acts, "mean", DTYPE)
    comparison = compare(accepted, other, tolerance_for(DTYPE), order=["dZ1", "dW2"], label="planted")
    comparison.set_aside = set_aside
    assert "first divergence at dW2" in comparison.first_divergence()
    assert comparison.first_divergence().endswith("1 of 12 elements set aside as branch-ambiguous")
