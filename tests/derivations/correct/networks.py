"""Correct backward passes of whole networks: doc 001's 2-layer network and the 3-layer network of docs 000/004."""
import numpy as np


def two_layer_vectorized(X, Y, params, caches):
    m = X.shape[1]
    A1, A2 = caches["A1"], caches["A2"]
    dZ2 = A2 - Y
    dZ1 = (params["W2"].T @ dZ2) * A1 * (1 - A1)
    return dZ1 @ X.T / m, dZ1.sum(axis=1, keepdims=True) / m, dZ2 @ A1.T / m, dZ2.sum(axis=1, keepdims=True) / m


def two_layer_per_example(X, Y, params, caches):
    # doc 001's one-example equations (with the transposes the printed text lacks), averaged over m
    m = X.shape[1]
    grads = [np.zeros_like(params[k]) for k in ("W1", "b1", "W2", "b2")]
    for i in range(m):
        x, y, a1, a2 = X[:, [i]], Y[:, [i]], caches["A1"][:, [i]], caches["A2"][:, [i]]
        dz2 = a2 - y
        dz1 = (params["W2"].T @ dz2) * (1 - a1) * a1
        for g, v in zip(grads, (dz1 @ x.T, dz1, dz2 @ a1.T, dz2)):
            g += v / m
    return tuple(grads)


def _hidden_prime(cache):
    if cache["activation"] == "relu":
        return (cache["Z"] > 0).astype(cache["Z"].dtype)
    return 1 - cache["A"] ** 2  # tanh


def network_loop(X, Y, params, caches):
    m = X.shape[1]
    dZ = caches[-1]["A"] - Y  # sigmoid output with binary cross-entropy
    out = []
    for l in range(len(caches), 0, -1):
        c = caches[l - 1]
        out = [dZ @ c["A_prev"].T / m, np.sum(dZ, axis=1, keepdims=True) / m, *out]
        if l > 1:
            dZ = (c["W"].T @ dZ) * _hidden_prime(caches[l - 2])
    return tuple(out)


def network_chain_from_dA(X, Y, params, caches):
    m = X.shape[1]
    AL = caches[-1]["A"]
    dA = -(Y / AL) + (1 - Y) / (1 - AL)  # dA[L], then dZ[L] = dA[L] * sigma'(Z[L])
    grads = {}
    for l in range(len(caches), 0, -1):
        c = caches[l - 1]
        prime = c["A"] * (1 - c["A"]) if l == len(caches) else _hidden_prime(c)
        dZ = dA * prime
        grads[l] = (np.dot(dZ, c["A_prev"].T) / m, np.mean(dZ, axis=1, keepdims=True))
        dA = np.dot(params[f"W{l}"].T, dZ)
    return tuple(g for l in sorted(grads) for g in grads[l])
