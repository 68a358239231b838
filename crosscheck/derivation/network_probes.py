"""Probes for whole-network targets: doc 001's 2-layer network and the L-layer network of docs 000/004.

The student gets X, Y, the parameters and the forward pass's caches, and returns every dW[l], db[l].
Opinions: PyTorch's twin of the same network (autograd), reference.network.backward, and central
finite differences of J with respect to each parameter entry. The term scale is norm-wise (each
output's largest reference magnitude), as the cross-check matrix compares whole networks.
"""

import numpy as np

from reference import network
from torch_impl.twin import Twin

from ..core import convention
from .fd import FD_STEP, abstain, finite_difference
from .probe import Probe, as_dtype, rng_for

# target -> (hidden activations + output activation, loss, probes: (label, sizes, m)). Each target's
# depth is fixed, so its outputs (dW1, db1, ...) are too; the shapes vary: m = 1, square, non-square.
NETWORKS = {
    "two_layer": (
        ("sigmoid", "sigmoid"),
        "bce",
        (
            ("one example, m = 1 (doc 001's x)", (3, 4, 1), 1),
            ("m = 5", (3, 4, 1), 5),
            ("square W1, m = 4", (4, 4, 1), 4),
        ),
    ),
    "network": (
        ("relu", "tanh", "sigmoid"),
        "bce",
        (
            ("one example, m = 1", (4, 5, 3, 1), 1),
            ("m = 6", (4, 5, 3, 1), 6),
            ("square hidden layers, m = 3", (3, 3, 3, 1), 3),
        ),
    ),
}


def network_outputs(target):
    L = len(NETWORKS[target][0])
    return [f"d{q}{l}" for l in range(1, L + 1) for q in ("W", "b")]


def _caches_for(target, params, X, activations):
    """What the student's forward pass would have kept: doc 001's a1, a2, or doc 000/004's per-layer caches."""
    AL, caches = network.forward(X, params, list(activations))
    if target == "two_layer":
        return AL, {"A1": caches[0]["A"], "A2": AL}
    return AL, [{k: c[k] for k in ("A_prev", "W", "b", "Z", "A", "activation")} for c in caches]


def _cast(value, dtype):
    if isinstance(value, dict):
        return {k: _cast(v, dtype) for k, v in value.items()}
    if isinstance(value, list):
        return [_cast(v, dtype) for v in value]
    return np.asarray(value, dtype=dtype) if isinstance(value, np.ndarray) else value


def network_probes(target, dtype, reduction):
    activations, loss, shapes = NETWORKS[target]
    rng = rng_for(target, dtype)
    outputs = network_outputs(target)
    probes = []
    for label, sizes, m in shapes:
        L = len(sizes) - 1
        params = {}
        for l in range(1, L + 1):
            params[f"W{l}"] = as_dtype(rng.normal(0, 1.5 / np.sqrt(sizes[l - 1]), (sizes[l], sizes[l - 1])), dtype)[1]
            params[f"b{l}"] = as_dtype(rng.normal(0, 0.5, (sizes[l], 1)), dtype)[1]
        X = as_dtype(rng.normal(0, 1, (sizes[0], m)), dtype)[1]
        Y = rng.integers(0, 2, (1, m)).astype(float)
        AL, caches = _caches_for(target, params, X, activations)
        trace = convention.document_trace(
            Twin(sizes, list(activations), "float64")
            .load(params)
            .capture(convention.columns_to_rows(X), convention.columns_to_rows(Y), loss, reduction),
            reduction,
            m,
        )
        full_caches = network.forward(X, params, list(activations))[1]
        grads = network.backward(AL, Y, full_caches, loss, reduction)
        reference = tuple(grads[name] for name in outputs)
        # A teacher's typical mistake: a hidden layer's g'(Z) left out, i.e. backward as if it were the identity.
        mistakes = {}
        for l in range(1, L):
            dropped = [dict(c, activation="identity") if i == l - 1 else c for i, c in enumerate(full_caches)]
            wrong = network.backward(AL, Y, dropped, loss, reduction)
            mistakes[f"dZ{l} = dA{l}: layer {l}'s derivative g'(Z{l}) ({activations[l - 1]}) is left out"] = tuple(
                wrong[name] for name in outputs
            )

        def J(p):
            return network.cost(network.forward(X, p, list(activations))[0], Y, loss, reduction)

        fds, errs, skips, scales = [], [], [], []
        for name, ref in zip(outputs, reference):
            P = params[name[1:]]
            D, err = np.empty_like(P), np.empty_like(P)
            h = FD_STEP * np.maximum(1.0, np.abs(P))
            for index in np.ndindex(P.shape):  # a loop over the parameter's entries: J is one number

                def F(x, index=index, key=name[1:]):
                    p = dict(params)
                    p[key] = params[key].copy()
                    p[key][index] = x[0]
                    return np.array([J(p)])

                D[index], err[index] = (v[0] for v in finite_difference(F, np.array([P[index]]), np.array([h[index]])))
            scale = np.full(P.shape, max(float(np.max(np.abs(ref))), np.finfo(np.float64).tiny))
            D, err, skip = abstain(D, err, scale, np.full(P.shape, "", dtype=object))
            fds.append(D), errs.append(err), skips.append(skip), scales.append(scale)
        probes.append(
            Probe(
                label,
                (_cast(X, dtype), _cast(Y, dtype), _cast(params, dtype), _cast(caches, dtype)),
                {
                    "PyTorch autograd": tuple(trace[name] for name in outputs),
                    "reference": reference,
                    "finite differences": tuple(fds),
                },
                tuple(errs),
                tuple(skips),
                tuple(scales),
                (None,) * len(outputs),
                (lambda i: "",) * len(outputs),  # the element index says it all
                mistakes,
                {"m": m},
            )
        )
    return probes
