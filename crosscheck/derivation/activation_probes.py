"""Probes for activations: elementwise g'(Z) at the kink, near it, moderate and saturated; softmax's VJP."""

import numpy as np

from reference import activations as act
from torch_impl import derivatives as torch_derivatives

from ..core import convention
from ..core.ops import ACTIVATIONS
from .fd import FD_STEP, abstain, finite_difference
from .probe import SATURATED, Probe, as_dtype, rng_for

# Hand-picked z for activations: the kink, either side of it (far and very near), moderate and saturated.
Z_GRID = (
    0.0,
    1e-8,
    -1e-8,
    1e-3,
    -1e-3,
    0.5,
    -0.5,
    1.0,
    -1.0,
    2.0,
    -2.0,
    5.0,
    -5.0,
    12.0,
    -12.0,
    20.0,
    -20.0,
    35.0,
    -35.0,
)


def _z_label(Z):
    return lambda index: f"z = {Z[index]:.6g}"


def elementwise_probes(name, dtype):
    rng = rng_for(name, dtype)
    grid = np.concatenate([Z_GRID, rng.normal(0, 3, 28 - len(Z_GRID))]).reshape(4, 7)

    def with_zeros(Z, count):
        Z.flat[rng.choice(Z.size, count, replace=False)] = 0.0
        return Z

    shapes = [
        ("grid: kink, near it, moderate, saturated (4x7)", grid),
        ("one example, m = 1 (5x1)", with_zeros(rng.normal(0, 2, (5, 1)), 1)),
        ("square (4x4)", with_zeros(rng.normal(0, 3, (4, 4)), 2)),
        ("wide (3x8)", with_zeros(rng.uniform(-6, 6, (3, 8)), 2)),
    ]
    record = ACTIVATIONS[name].reference
    params = record.defaults()  # the documented defaults (leaky slope 0.01, ELU alpha 1), also torch's

    def g(Z):
        return record.g(Z, **params)

    def g_prime(Z):
        return record.g_prime(Z, **params)

    kinked = bool(record.kinks)
    probes = []
    for label, Z0 in shapes:
        Zs, Z = as_dtype(Z0, dtype)
        h = FD_STEP * np.maximum(1.0, np.abs(Z))
        skip = np.full(Z.shape, "", dtype=object)
        if kinked:
            # Keep both steps (h and 2h) on one side of the kink; exactly at it there is no derivative.
            h = np.where(Z != 0, np.minimum(h, np.abs(Z) / 4), h)
            skip[Z == 0] = "kink"
        D, err = finite_difference(g, Z, h)
        scale = np.maximum(1.0, np.abs(g_prime(Z)))
        D, err, skip = abstain(D, err, scale, skip)
        if kinked or name == "identity":
            regions = np.where(Z < 0, "z < 0", np.where(Z > 0, "z > 0", "z = 0 (the kink)"))
        else:
            regions = np.where(np.abs(Z) > 5, "|z| > 5 (saturated)", "|z| <= 5")
        mistakes = {"g(z) itself instead of g'(z)": (g(Z),)}
        if name == "sigmoid":
            mistakes["g(z)(1 - g(z)) with z in place of g(z): z(1 - z)"] = (Z * (1 - Z),)
            s = g(Z)
            mistakes["g(z)(1 + g(z)): a sign slip in (1 - g(z))"] = (s * (1 + s),)
        if name == "tanh":
            mistakes["1 - z^2: tanh(z) replaced by z"] = (1 - Z * Z,)
            mistakes["1 - tanh(z): the square is missing"] = (1 - g(Z),)
        probes.append(
            Probe(
                label,
                (Zs,),
                {
                    "PyTorch autograd": (
                        convention.rows_to_columns(
                            torch_derivatives.activation_prime(name, convention.columns_to_rows(Z), **params)
                        ),
                    ),
                    "reference": (g_prime(Z),),
                    "finite differences": (D,),
                },
                (err,),
                (skip,),
                (scale,),
                (regions,),
                (_z_label(Z),),
                mistakes,
                {"n": Z.shape[0], "m": Z.shape[1]},
            )
        )
    return probes


def softmax_probes(dtype):
    rng = rng_for("softmax", dtype)
    sat = SATURATED[dtype]
    square = rng.normal(0, 2, (5, 5))
    square[0, 1], square[3, 4] = sat, sat  # two near one-hot columns: probabilities near 0 and 1
    shapes = [
        ("moderate (4x5)", rng.normal(0, 1.5, (4, 5))),
        ("one example, m = 1 (3x1)", rng.normal(0, 1.5, (3, 1))),
        ("square with saturated columns (5x5)", square),
        ("two classes (2x6)", rng.normal(0, 3, (2, 6))),
    ]
    probes = []
    for label, Z in shapes:
        # A random upstream gradient: an all-ones dA gives dZ = 0 and hides every mistake.
        dAs, dA = as_dtype(rng.normal(0, 1, Z.shape), dtype)
        As, A = as_dtype(act.softmax(Z), dtype)
        # The opinions from Z see softmax(Z); the student's A is that rounded to dtype (within its rtol).
        D, err = finite_difference(
            lambda Zp: np.sum(dA * act.softmax(Zp), axis=0, keepdims=True),
            Z,
            FD_STEP * np.maximum(1.0, np.abs(Z)),
            rows=True,
            size=np.sum(np.abs(dA) * A, axis=0),
        )
        scale = A * (np.abs(dA) + np.sum(A * np.abs(dA), axis=0, keepdims=True))
        D, err, skip = abstain(D, err, scale, np.full(Z.shape, "", dtype=object))
        probes.append(
            Probe(
                label,
                (dAs, As),
                {
                    "PyTorch autograd": (
                        convention.rows_to_columns(
                            torch_derivatives.softmax_backward(
                                convention.columns_to_rows(Z), convention.columns_to_rows(dA)
                            )
                        ),
                    ),
                    "reference": (act.softmax_backward(dA, A),),
                    "finite differences": (D,),
                },
                (err,),
                (skip,),
                (scale,),
                (None,),
                (lambda i, A=A, dA=dA: f"a = {A[i]:.4g}, dA = {dA[i]:.4g}",),
                {
                    "the diagonal of the Jacobian only: dA * A * (1 - A)": (dA * A * (1 - A),),
                    "A * (dA - sum(dA)): the sum is missing its weights A": (A * (dA - dA.sum(axis=0, keepdims=True)),),
                },
                {"n": Z.shape[0], "m": Z.shape[1]},
            )
        )
    return probes
