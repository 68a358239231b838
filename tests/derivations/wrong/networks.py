"""Wrong backward passes of whole networks, one planted mistake each."""
import numpy as np


def two_layer_dW1_without_m(X, Y, params, caches):
    m = X.shape[1]
    A1, A2 = caches["A1"], caches["A2"]
    dZ2 = A2 - Y
    dZ1 = (params["W2"].T @ dZ2) * A1 * (1 - A1)
    return dZ1 @ X.T, dZ1.sum(axis=1, keepdims=True) / m, dZ2 @ A1.T / m, dZ2.sum(axis=1, keepdims=True) / m


def two_layer_no_sigmoid_prime(X, Y, params, caches):
    m = X.shape[1]
    A1, A2 = caches["A1"], caches["A2"]
    dZ2 = A2 - Y
    dZ1 = params["W2"].T @ dZ2  # sigma'(Z1) = A1 (1 - A1) forgotten
    return dZ1 @ X.T / m, dZ1.sum(axis=1, keepdims=True) / m, dZ2 @ A1.T / m, dZ2.sum(axis=1, keepdims=True) / m


def network_no_relu_prime(X, Y, params, caches):
    m = X.shape[1]
    dZ = caches[-1]["A"] - Y
    out = []
    for l in range(len(caches), 0, -1):
        c = caches[l - 1]
        out = [dZ @ c["A_prev"].T / m, dZ.sum(axis=1, keepdims=True) / m, *out]
        if l > 1:
            p = caches[l - 2]
            dZ = c["W"].T @ dZ if p["activation"] == "relu" else (c["W"].T @ dZ) * (1 - p["A"] ** 2)
    return tuple(out)


def network_db_flat(X, Y, params, caches):
    m = X.shape[1]
    dZ = caches[-1]["A"] - Y
    out = []
    for l in range(len(caches), 0, -1):
        c = caches[l - 1]
        out = [dZ @ c["A_prev"].T / m, dZ.sum(axis=1) / m, *out]  # keepdims forgotten
        if l > 1:
            p = caches[l - 2]
            prime = (p["Z"] > 0) * 1.0 if p["activation"] == "relu" else 1 - p["A"] ** 2
            dZ = (c["W"].T @ dZ) * prime
    return tuple(out)
