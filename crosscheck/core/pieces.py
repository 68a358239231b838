"""Activations and losses checked alone, as vector-Jacobian products with a random upstream gradient.

An all-ones upstream gradient hides errors (the softmax Jacobian's columns sum to zero, so a zero
softmax backward would pass), hence G is drawn from the case seed.
"""

from dataclasses import dataclass

import numpy as np

from reference import activations, losses
from torch_impl import elementwise

from . import convention
from .compare import compare
from .ops import ACTIVATIONS, LOSSES
from .tolerances import DTYPES, tolerance_for


@dataclass(frozen=True)
class PieceCase:
    kind: str  # "activation" or "loss"
    name: str
    dtype: str = "float64"
    n: int = 4
    m: int = 6
    seed: int = 0

    @property
    def id(self):
        return f"{self.kind}-{self.name}-n{self.n}-m{self.m}-{self.dtype}-s{self.seed}"

    def __str__(self):
        return self.id


def draw_Z(case):
    """Pre-activations across [-4, 4], with exact zeros and the extremes +-30 in the first column."""
    rng = np.random.default_rng(case.seed)
    Z = rng.uniform(-4, 4, size=(case.n, case.m))
    Z[:, 0] = np.resize([0.0, -30.0, 30.0, -0.0], case.n)
    return Z.astype(case.dtype)


def activation_comparison(case):
    """A and dZ = g'(Z) * G (softmax: its VJP) from the reference vs the torch module."""
    Z = draw_Z(case)
    G = np.random.default_rng(case.seed + 1).normal(size=Z.shape).astype(case.dtype)
    A_ref = activations.forward(case.name, Z)
    dZ_ref = activations.backward(case.name, G, Z, A_ref)
    A_t, dZ_t = elementwise.activation_vjp(
        case.name,
        convention.columns_to_rows(Z),
        convention.columns_to_rows(G),
        case.dtype,
        **ACTIVATIONS[case.name].reference.defaults(),
    )
    return compare(
        {"A": A_ref, "dZ": dZ_ref},
        {"A": convention.rows_to_columns(A_t), "dZ": convention.rows_to_columns(dZ_t)},
        tolerance_for(case.dtype),
        label=case.id,
    )


def draw_loss_inputs(case):
    rng = np.random.default_rng(case.seed)
    labels = LOSSES[case.name].reference.labels
    n = 1 if labels == "binary" else case.n
    if labels == "binary":
        AL = rng.uniform(0.02, 0.98, size=(n, case.m))
        Y = rng.integers(0, 2, size=(n, case.m)).astype(float)
    elif labels == "one-hot":
        AL = activations.softmax(rng.normal(size=(n, case.m)))
        Y = np.eye(n)[:, rng.integers(0, n, size=case.m)]
    else:
        AL = rng.normal(size=(n, case.m))
        Y = rng.normal(size=(n, case.m))
    return AL.astype(case.dtype), Y.astype(case.dtype)


def loss_comparison(case):
    """L(i) and the per-example dA[L] from the reference vs the torch loss module."""
    AL, Y = draw_loss_inputs(case)
    L_t, dA_t = elementwise.loss_gradient(
        case.name, convention.columns_to_rows(AL), convention.columns_to_rows(Y), case.dtype
    )
    return compare(
        {"L": losses.per_example(AL, Y, case.name), "dA": losses.derivative(AL, Y, case.name)},
        {"L": L_t.reshape(1, -1), "dA": convention.rows_to_columns(dA_t)},
        tolerance_for(case.dtype),
        label=case.id,
    )


def piece_cases():
    cases = []
    for dtype in DTYPES:
        for seed in (0, 1):
            cases += [PieceCase("activation", a, dtype, seed=seed) for a in ACTIVATIONS]
            cases += [PieceCase("loss", l, dtype, seed=seed) for l in LOSSES]
    return cases


def run_piece(case):
    return activation_comparison(case) if case.kind == "activation" else loss_comparison(case)
