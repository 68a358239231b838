"""Activations g and their derivatives g' (doc 002 "other activation functions"; doc 003 ReLU and Softmax).

Every function takes Z in the column layout and works elementwise, except softmax, which
normalises each column (one example) over its rows (units).
"""

import numpy as np


def sigmoid(Z):
    """sigma(z) = 1 / (1 + e^{-z}) (doc 000 "Logistic Regression"; doc 001)."""
    Z = np.asarray(Z)
    # Stable form: e^{-|z|} never overflows, so |z| = 1000 gives 0 or 1 without a warning.
    e = np.exp(-np.abs(Z))
    return np.where(Z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_prime(Z):
    """g'(z) = g(z) (1 - g(z)) (doc 002 "Sigmoid derivative"; doc 001 da/dz = (1 - a) a)."""
    s = sigmoid(Z)
    return s * (1 - s)


def tanh(Z):
    """g(z) = tanh(z) (doc 002 "other activation functions")."""
    return np.tanh(Z)


def tanh_prime(Z):
    """g'(z) = 1 - tanh(z)^2 (doc 003 Activation layer, tanh)."""
    t = np.tanh(Z)
    return 1 - t * t


def relu(Z):
    """g(z) = max(0, z): 0 for z <= 0, z for z > 0 (doc 002; doc 003)."""
    Z = np.asarray(Z)
    return np.where(Z > 0, Z, np.zeros_like(Z))


def relu_prime(Z):
    """g'(z) = 1 for z > 0, 0 for z <= 0 (doc 002 "ReLU derivative"; doc 003), so g'(0) = 0."""
    Z = np.asarray(Z)
    return (Z > 0).astype(Z.dtype if np.issubdtype(Z.dtype, np.floating) else np.float64)


def leaky_relu(Z, slope=0.01):
    """g(z) = 0.01 z for z <= 0, z for z > 0 (doc 002 "ReLU has variants")."""
    Z = np.asarray(Z)
    return np.where(Z > 0, Z, slope * Z)


def leaky_relu_prime(Z, slope=0.01):
    """g'(z) = 1 for z > 0, slope for z <= 0 (derivative of doc 002's leaky ReLU)."""
    Z = np.asarray(Z)
    one = np.ones_like(Z, dtype=Z.dtype if np.issubdtype(Z.dtype, np.floating) else np.float64)
    return np.where(Z > 0, one, slope * one)


def elu(Z, alpha=1.0):
    """g(z) = alpha (e^z - 1) for z <= 0, z for z > 0 (doc 002 "ReLU has variants")."""
    Z = np.asarray(Z)
    # expm1 of min(z, 0): the unused branch never overflows, and e^z - 1 keeps precision near 0.
    return np.where(Z > 0, Z, alpha * np.expm1(np.minimum(Z, 0)))


def elu_prime(Z, alpha=1.0):
    """g'(z) = 1 for z > 0, alpha e^z for z <= 0 (derivative of doc 002's ELU)."""
    Z = np.asarray(Z)
    return np.where(Z > 0, np.ones_like(Z), alpha * np.exp(np.minimum(Z, 0)))


def identity(Z):
    """g(z) = z, the linear output of regression (doc 004 "can be softmax or linear")."""
    return np.asarray(Z).copy()


def identity_prime(Z):
    """g'(z) = 1 (doc 004, f is identity for linear regression)."""
    return np.ones_like(np.asarray(Z))


def softmax(Z):
    """softmax(z_i) = e^{z_i} / sum_j e^{z_j} over each column (doc 004 "SOFTMAX function"; doc 003)."""
    Z = np.asarray(Z)
    # Subtracting the column maximum leaves the ratio unchanged and keeps every exponent <= 0.
    e = np.exp(Z - Z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_backward(dA, A):
    """dZ = J^T dA with J = diag(a) - a a^T per column, i.e. dZ = A * (dA - sum_k A_k dA_k) (doc 003 Softmax)."""
    dA = np.asarray(dA)
    A = np.asarray(A)
    return A * (dA - np.sum(A * dA, axis=0, keepdims=True))


# name -> (g, g'); the keyword parameters (slope, alpha) keep their documented defaults here.
ELEMENTWISE = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "elu": (elu, elu_prime),
    "identity": (identity, identity_prime),
}
NAMES = tuple(ELEMENTWISE) + ("softmax",)


def forward(name, Z):
    """A = g(Z) for the activation called `name` (doc 000 "A[l] = g[l](Z[l])")."""
    if name == "softmax":
        return softmax(Z)
    return ELEMENTWISE[name][0](Z)


def backward(name, dA, Z, A):
    """dZ = dA * g'(Z) (doc 000, doc 002 "dZ[l] = dA[l] * g[l]'(Z[l])"); softmax through its Jacobian."""
    if name == "softmax":
        return softmax_backward(dA, A)
    return dA * ELEMENTWISE[name][1](Z)


def naive_normalize(Z):
    """y_hat_i = z_i / sum_j z_j over each column (doc 004, before softmax: "divide by the sum of all entries")."""
    Z = np.asarray(Z, dtype=float)
    total = Z.sum(axis=0, keepdims=True)
    if np.any(Z < 0) or np.any(total == 0):
        # The document's own objection: negative entries (or a zero sum) give no probability distribution.
        raise ValueError("Z: naive normalisation needs non-negative entries with a positive column sum, got "
                         f"min {Z.min()} and column sums {total.ravel().tolist()}")
    return Z / total
