"""A deliberately broken reference must make the suite fail, naming the quantity that breaks first."""

from dataclasses import replace

import numpy as np
import pytest

from crosscheck.core.cases import Case
from crosscheck.core.pieces import PieceCase, run_piece
from crosscheck.core.traces import run_case
from reference import activations, losses, network

# network.backward applies the linear equations through the trusted _linear_backward (its arguments
# were checked once by forward), so that is where a planted bug goes.
_linear_backward = network._linear_backward


def drop_one_over_m(monkeypatch):
    def broken(dZ, A_prev, W, reduction="mean"):
        dA_prev, dW, db = _linear_backward(dZ, A_prev, W, reduction)
        return dA_prev, dW * dZ.shape[1], db

    monkeypatch.setattr(network, "_linear_backward", broken)


def flip_sign_of_dAL(monkeypatch):
    bce = losses.LOSSES["bce"]
    monkeypatch.setitem(losses.LOSSES, "bce", replace(bce, dL=lambda AL, Y: -bce.dL(AL, Y)))


def relu_prime_one_at_zero(monkeypatch):
    relu = activations.ACTIVATIONS["relu"]
    monkeypatch.setitem(activations.ACTIVATIONS, "relu", replace(relu, g_prime=lambda Z: (Z >= 0).astype(Z.dtype)))


def transpose_square_dW(monkeypatch):
    def broken(dZ, A_prev, W, reduction="mean"):
        dA_prev, dW, db = _linear_backward(dZ, A_prev, W, reduction)
        return dA_prev, (dW.T if dW.shape[0] == dW.shape[1] else dW), db

    monkeypatch.setattr(network, "_linear_backward", broken)


def zero_softmax_backward(monkeypatch):
    softmax = activations.ACTIVATIONS["softmax"]
    monkeypatch.setitem(activations.ACTIVATIONS, "softmax", replace(softmax, backward=lambda dA, A: np.zeros_like(A)))


# mutation, a case that must catch it, the quantity where the divergence must first show.
MUTATIONS = [
    (drop_one_over_m, Case("relu", "sigmoid_bce", "mean", "none", 3, 7), "dW3"),
    (flip_sign_of_dAL, Case("tanh", "sigmoid_bce", "sum", "none", 2, 7), "dA2"),
    (relu_prime_one_at_zero, Case("relu", "identity_mse", "mean", "none", 3, 7, kink=True), "dZ2"),
    (transpose_square_dW, Case("tanh", "identity_sse", "mean", "none", 3, 7), "dW2"),
    (zero_softmax_backward, Case("sigmoid", "softmax_mse", "mean", "none", 2, 7), "dZ2"),
]


@pytest.mark.parametrize("mutate, case, quantity", MUTATIONS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_mutation_is_caught_at_its_quantity(monkeypatch, mutate, case, quantity):
    assert run_case(case).ok, "the case must pass before the mutation"
    mutate(monkeypatch)
    report = run_case(case)
    assert not report.ok
    first = next(r for r in report.rows if not r.ok)
    assert first.name == quantity, report.first_divergence()
    assert f"first divergence at {quantity}" in report.first_divergence()


def test_zero_softmax_backward_is_caught_alone(monkeypatch):
    """The VJP check with a random upstream gradient catches it without any network around it."""
    zero_softmax_backward(monkeypatch)
    report = run_piece(PieceCase("activation", "softmax"))
    assert not report.ok and report.rows[1].name == "dZ" and not report.rows[1].ok
