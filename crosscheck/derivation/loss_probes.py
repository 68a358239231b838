"""Probes for losses (dA[L] near probabilities 0 and 1, soft labels) and for the fused dZ[L] of an output layer."""

import numpy as np

from reference import activations as act
from reference import losses, network
from torch_impl import derivatives as torch_derivatives

from ..core import convention
from .fd import FD_STEP, abstain, finite_difference
from .probe import NEAR_EDGE, SATURATED, Probe, as_dtype, rng_for


def _one_hot(rng, n, m):
    Y = np.zeros((n, m))
    Y[rng.integers(0, n, m), np.arange(m)] = 1.0
    return Y


def _loss_data(name, dtype, rng):
    """(label, AL, Y) for a loss; AL column distributions for cce."""
    p = NEAR_EDGE[dtype]
    if name == "bce":
        edges = np.array([[p, p, 1 - p, 1 - p, 0.5], [1 - p, p, 0.5, p, 1 - p]])
        return [
            ("moderate (1x6)", rng.uniform(0.05, 0.95, (1, 6)), np.array([[0, 1, 0, 1, 1, 0.0]])),
            ("one example, m = 1 (1x1)", np.array([[0.3]]), np.array([[1.0]])),
            ("multi-label (3x4)", rng.uniform(0.05, 0.95, (3, 4)), rng.integers(0, 2, (3, 4)).astype(float)),
            (f"probabilities near 0 and 1 ({p:g}) (2x5)", edges, np.array([[0, 1, 0, 1, 1], [1, 0, 1, 1, 0.0]])),
        ]
    if name == "cce":
        edge = np.full((5, 5), p / 4)
        edge[np.arange(5), [0, 1, 2, 3, 4]] = 1 - p  # near-one on the diagonal
        soft = rng.dirichlet(np.ones(3), 4).T
        return [
            ("moderate (4x5)", act.softmax(rng.normal(0, 1.5, (4, 5))), _one_hot(rng, 4, 5)),
            ("one example, m = 1 (3x1)", act.softmax(rng.normal(0, 1.5, (3, 1))), _one_hot(rng, 3, 1)),
            (f"probabilities near 0 and 1 ({p / 4:g}) (5x5)", edge, np.eye(5)[:, [0, 3, 2, 1, 4]]),
            ("soft labels (3x4)", act.softmax(rng.normal(0, 1.5, (3, 4))), soft),
        ]
    return [  # mse, sse: any real outputs
        ("moderate (3x4)", rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (3, 4))),
        ("one output, n = 1 (1x5)", rng.normal(0, 1, (1, 5)), rng.normal(0, 1, (1, 5))),
        ("one example, m = 1 (5x1)", rng.normal(0, 1, (5, 1)), rng.normal(0, 1, (5, 1))),
        ("square, large values (4x4)", rng.normal(0, 30, (4, 4)), rng.normal(0, 30, (4, 4))),
    ]


def loss_probes(name, dtype):
    rng = rng_for(name, dtype)
    probes = []
    for label, AL0, Y0 in _loss_data(name, dtype, rng):
        ALs, AL = as_dtype(AL0, dtype)
        Ys, Y = as_dtype(Y0, dtype)
        n = AL.shape[0]
        if name == "bce":
            h = FD_STEP * np.minimum(AL, 1 - AL)  # stay inside (0, 1)
            scale = np.abs(1 - Y) / (1 - AL) + np.abs(Y) / AL
        elif name == "cce":
            h = FD_STEP * AL
            scale = 1 / AL  # the one term -y/a has |y| <= 1: a nonzero scale also where y = 0
        else:
            h = FD_STEP * np.maximum(1.0, np.abs(AL))
            scale = (2 / n if name == "mse" else 2) * (np.abs(AL) + np.abs(Y))
        size = 1.0 if name in ("bce", "cce") else np.sum((np.abs(AL) + np.abs(Y)) ** 2, axis=0)
        D, err = finite_difference(lambda A: losses.per_example(A, Y, name), AL, h, rows=True, size=size)
        D, err, skip = abstain(D, err, scale, np.full(AL.shape, "", dtype=object))
        regions = None
        if name == "bce":
            regions = np.where(Y == 1, "y = 1", "y = 0")
        elif name == "cce":
            regions = np.where(Y > 0, "y > 0", "y = 0")
        mistakes = {}
        if name == "bce":
            mistakes["y/a - (1 - y)/(1 - a): the derivative of the log-likelihood, not of the loss"] = (
                Y / AL - (1 - Y) / (1 - AL),
            )
            mistakes["A[L] - Y: that is dZ[L] (through the sigmoid), not dA[L]"] = (AL - Y,)
        if name == "cce":
            mistakes["A[L] - Y: that is dZ[L] (through the softmax), not dA[L]"] = (AL - Y,)
            mistakes["-1 / A[L]: the label y is missing (right only where y = 1)"] = (-1 / AL,)
        probes.append(
            Probe(
                label,
                (ALs, Ys),
                {
                    "PyTorch autograd": (
                        convention.rows_to_columns(
                            torch_derivatives.loss_prime(
                                name, convention.columns_to_rows(AL), convention.columns_to_rows(Y)
                            )
                        ),
                    ),
                    "reference": (losses.derivative(AL, Y, name),),
                    "finite differences": (D,),
                },
                (err,),
                (skip,),
                (scale,),
                (regions,),
                (lambda i, AL=AL, Y=Y: f"a = {AL[i]:.6g}, y = {Y[i]:.4g}",),
                mistakes,
                {"n": n, "m": AL.shape[1]},
            )
        )
    return probes


def fused_probes(name, dtype):
    rng = rng_for(name, dtype)
    sat = SATURATED[dtype]
    output, loss = {"sigmoid_bce": ("sigmoid", "bce"), "softmax_cce": ("softmax", "cce")}[name]
    if output == "sigmoid":
        data = [
            ("moderate (1x6)", rng.normal(0, 2, (1, 6)), np.array([[0, 1, 0, 1, 1, 0.0]])),
            ("one example, m = 1 (1x1)", np.array([[-0.7]]), np.array([[1.0]])),
            ("multi-label (3x4)", rng.normal(0, 2, (3, 4)), rng.integers(0, 2, (3, 4)).astype(float)),
            (
                f"saturated, z = +-{sat:g} (2x4)",
                np.array([[sat, sat, -sat, -sat], [-sat, 0.0, sat, 1.0]]),
                np.array([[0, 1, 0, 1], [1, 1, 0, 0.0]]),
            ),
        ]
    else:
        square = rng.normal(0, 2, (5, 5))
        square[0, 1], square[3, 4] = sat, -sat
        data = [
            ("moderate (4x5)", rng.normal(0, 1.5, (4, 5)), _one_hot(rng, 4, 5)),
            ("one example, m = 1 (3x1)", rng.normal(0, 1.5, (3, 1)), _one_hot(rng, 3, 1)),
            ("square with saturated columns (5x5)", square, np.eye(5)[:, [0, 0, 2, 3, 1]]),
            ("soft labels (3x4)", rng.normal(0, 1.5, (3, 4)), rng.dirichlet(np.ones(3), 4).T),
        ]
    probes = []
    for label, Z, Y0 in data:
        ALs, AL = as_dtype(act.forward(output, Z), dtype)
        Ys, Y = as_dtype(Y0, dtype)
        m = Z.shape[1]
        cache = {
            "A_prev": np.zeros((1, m)),
            "W": np.zeros((Z.shape[0], 1)),
            "b": np.zeros((Z.shape[0], 1)),
            "Z": Z,
            "A": AL,
            "activation": output,
        }
        # The reference network's own dZ[L] for a one-layer network whose cache holds this Z[L], A[L].
        reference = network.backward(AL, Y, [cache], loss, "sum")["dZ1"]
        D, err = finite_difference(
            lambda Zp: losses.per_example(act.forward(output, Zp), Y, loss),
            Z,
            FD_STEP * np.maximum(1.0, np.abs(Z)),
            rows=True,
            size=1.0,
        )
        scale = np.abs(AL) + np.abs(Y)
        D, err, skip = abstain(D, err, scale, np.full(Z.shape, "", dtype=object))
        regions = np.where(Y == 1, "y = 1", "y = 0") if output == "sigmoid" else np.where(Y > 0, "y > 0", "y = 0")
        probes.append(
            Probe(
                label,
                (ALs, Ys),
                {
                    "PyTorch autograd": (
                        convention.rows_to_columns(
                            torch_derivatives.fused_prime(
                                loss, convention.columns_to_rows(Z), convention.columns_to_rows(Y)
                            )
                        ),
                    ),
                    "reference": (reference,),
                    "finite differences": (D,),
                },
                (err,),
                (skip,),
                (scale,),
                (regions,),
                (lambda i, AL=AL, Y=Y, Z=Z: f"z = {Z[i]:.4g}, a = {AL[i]:.6g}, y = {Y[i]:.4g}",),
                {
                    "dA[L] (the loss derivative) instead of dZ[L]": (losses.derivative(AL, Y, loss),),
                    "dA[L] * A * (1 - A): the chain through only the diagonal of the output's Jacobian": (
                        -Y * (1 - AL),
                    ),
                },
                {"n": Z.shape[0], "m": m},
            )
        )
    return probes
