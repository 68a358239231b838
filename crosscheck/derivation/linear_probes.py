"""Probes for the linear layer's backward pass: square and non-square layers, m = 1, one unit."""

import numpy as np

from reference import losses, network
from torch_impl import derivatives as torch_derivatives

from ..core import convention
from .fd import FD_STEP, abstain, finite_difference
from .probe import Probe, as_dtype, rng_for


def linear_probes(dtype, reduction):
    rng = rng_for("linear", dtype)
    shapes = [  # (n[l], n[l-1], m)
        ("non-square layer 3x4, m = 5", 3, 4, 5),
        ("square layer 4x4, m = 3", 4, 4, 3),
        ("one example, m = 1, layer 2x3", 2, 3, 1),
        ("square layer 5x5, m = 6", 5, 5, 6),
        ("one unit, layer 1x3, m = 4", 1, 3, 4),
    ]
    probes = []
    for label, n, n_prev, m in shapes:
        dZs, dZ = as_dtype(rng.normal(0, 1, (n, m)), dtype)
        As, A_prev = as_dtype(rng.normal(0, 1, (n_prev, m)), dtype)
        Ws, W = as_dtype(rng.normal(0, 1, (n, n_prev)), dtype)
        bs, b = as_dtype(rng.normal(0, 1, (n, 1)), dtype)
        gA, gW, gb = torch_derivatives.linear_backward(
            convention.columns_to_rows(dZ), convention.columns_to_rows(A_prev), W, b, reduction
        )
        k = convention.per_example_factor(reduction, m)
        torch_opinion = (k * convention.rows_to_columns(gA), gW, convention.bias_to_column(gb))

        def J(A_, W_, b_):
            return losses.reduce(np.sum(dZ * network.linear_forward(A_, W_, b_), axis=0), reduction)

        fds, errs, skips = [], [], []
        size = losses.reduce(np.sum(np.abs(dZ) * (np.abs(W) @ np.abs(A_prev) + np.abs(b)), axis=0), reduction)
        scales = network.linear_backward(np.abs(dZ), np.abs(A_prev), np.abs(W), reduction)
        for which, X in enumerate((A_prev, W, b)):
            D, err = np.empty_like(X), np.empty_like(X)
            h = FD_STEP * np.maximum(1.0, np.abs(X))
            for index in np.ndindex(X.shape):  # a loop over the parameter's entries: J is one number

                def F(x, index=index, which=which):
                    args = [A_prev, W, b]
                    args[which] = X.copy()
                    args[which][index] = x[0]
                    return np.array([J(*args)])

                D[index], err[index] = (
                    v[0] for v in finite_difference(F, np.array([X[index]]), np.array([h[index]]), size=size)
                )
            if which == 0:
                D, err = k * D, k * err  # per-example dA_prev, as the documents write it
            D, err, skip = abstain(D, err, scales[which], np.full(X.shape, "", dtype=object))
            fds.append(D), errs.append(err), skips.append(skip)
        mistakes = {}
        if n == n_prev:
            mistakes["dA_prev = W dZ: W is not transposed"] = (W @ dZ, None, None)
        labels = (lambda i: "",) * 3  # the element index says it all
        probes.append(
            Probe(
                label,
                (dZs, As, Ws, bs),
                {
                    "PyTorch autograd": torch_opinion,
                    "reference": network.linear_backward(dZ, A_prev, W, reduction),
                    "finite differences": tuple(fds),
                },
                tuple(errs),
                tuple(skips),
                tuple(scales),
                (None, None, None),
                labels,
                mistakes,
                {"n": n, "n_prev": n_prev, "m": m},
            )
        )
    return probes
