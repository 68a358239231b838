"""Activations g and their derivatives g' (doc 002 "other activation functions"; doc 003 ReLU and Softmax).

Every function takes Z in the column layout and works elementwise, except softmax, which
normalises each column (one example) over its rows (units).
"""

import math

import numpy as np

from . import _validate
from .records import Activation, Param


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
    # One ufunc pass in Z's dtype (the scalar 0 takes it), a tenth of np.where(Z > 0, Z, 0)'s time, which
    # built a mask first; like torch.relu, a NaN stays NaN instead of becoming 0.
    return np.maximum(Z, 0)


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


# --- Extensions: not in the documents; they prove that an activation is one record a side. ---


def softplus(Z):
    """g(z) = log(1 + e^z), computed as logaddexp(0, z) so that it never overflows (extension)."""
    return np.logaddexp(0, np.asarray(Z))


def softplus_prime(Z):
    """g'(z) = sigma(z) (extension)."""
    return sigmoid(Z)


def silu(Z):
    """g(z) = z sigma(z), also called swish (extension)."""
    Z = np.asarray(Z)
    return Z * sigmoid(Z)


def silu_prime(Z):
    """g'(z) = sigma(z) (1 + z (1 - sigma(z))) (extension)."""
    Z = np.asarray(Z)
    s = sigmoid(Z)
    return s * (1 + Z * (1 - s))


# NumPy has no erf; math.erf is correctly rounded to about 1 ulp, so it is applied per element.
_erf = np.frompyfunc(math.erf, 1, 1)


def _Phi(Z):
    """The standard normal CDF Phi(z) = (1 + erf(z / sqrt 2)) / 2, in Z's floating dtype."""
    Z = np.asarray(Z)
    dtype = Z.dtype if np.issubdtype(Z.dtype, np.floating) else np.float64
    return (0.5 * (1 + _erf(Z / math.sqrt(2)).astype(np.float64))).astype(dtype)


def gelu(Z):
    """g(z) = z Phi(z), the exact (erf) form of GELU (extension)."""
    Z = np.asarray(Z)
    return Z * _Phi(Z)


def gelu_prime(Z):
    """g'(z) = Phi(z) + z phi(z), phi the standard normal density (extension)."""
    Z = np.asarray(Z)
    with np.errstate(over="ignore"):  # z * z past the float range: the density is 0 there, as exp(-inf) says
        phi = np.exp(-0.5 * Z * Z) / math.sqrt(2 * math.pi)
    return _Phi(Z) + Z * phi


ACTIVATIONS = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            sigmoid,
            sigmoid_prime,
            output="(0, 1)",
            doc="000 l.58; 002 l.357",
            catalogue="002.sigmoid-prime",
            formula="sigma(z) = 1/(1+e^-z)",
        ),
        Activation(
            "tanh",
            tanh,
            tanh_prime,
            output="(-1, 1)",
            doc="002 l.220, l.226",
            catalogue="003.tanh-prime",
            formula="tanh(z)",
        ),
        Activation(
            "relu",
            relu,
            relu_prime,
            kinks=(0.0,),
            output="[0, inf)",
            doc="002 l.238, l.353; 003 l.120",
            catalogue="002.relu-prime",
            formula="max(0, z)",
        ),
        Activation(
            "leaky_relu",
            leaky_relu,
            leaky_relu_prime,
            {"slope": Param(0.01, 0.001, 0.5)},
            kinks=(0.0,),
            doc="002 l.267",
            catalogue="002.leaky-relu-prime",
            formula="slope z for z <= 0, z for z > 0",
        ),
        Activation(
            "elu",
            elu,
            elu_prime,
            {"alpha": Param(1.0, 0.1, 3.0)},
            kinks=(0.0,),
            doc="002 l.261",
            catalogue="002.elu-prime",
            formula="alpha (e^z - 1) for z <= 0, z for z > 0",
        ),
        Activation("identity", identity, identity_prime, doc="004 l.268", catalogue="004.identity-prime", formula="z"),
        Activation(
            "softmax",
            softmax,
            None,
            domain="a column of real z",
            output="simplex",
            doc="004 l.278; 003 l.126",
            catalogue="003.softmax-jacobian",
            backward=softmax_backward,
            formula="e^z_i / sum_j e^z_j over each column",
        ),
        Activation("softplus", softplus, softplus_prime, output="(0, inf)", formula="log(1 + e^z)"),
        Activation("silu", silu, silu_prime, output="[-0.279, inf)", formula="z sigma(z) (SiLU, swish)"),
        Activation("gelu", gelu, gelu_prime, output="[-0.170, inf)", formula="z Phi(z) (GELU, exact erf form)"),
    )
}
NAMES = tuple(ACTIVATIONS)
ELEMENTWISE = tuple(name for name, a in ACTIVATIONS.items() if a.elementwise)


def resolve(activation):
    """(record, parameters) for "name" or (name, {parameter: value}); defaults fill what is not given."""
    if isinstance(activation, str):
        name, given = activation, {}
    else:  # ("relu",) was an IndexError, ("leaky_relu", 0.1) a TypeError, a third part ignored
        try:
            if not isinstance(activation, (tuple, list)) or len(activation) != 2:
                raise TypeError
            name, given = activation[0], dict(activation[1])  # a dict, a mapping, or (name, value) pairs
        except (TypeError, ValueError):
            raise ValueError(
                f"activation: expected a name or (name, {{parameter: value}}), got {activation!r}"
            ) from None
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: expected one of {', '.join(sorted(ACTIVATIONS))}")
    record = ACTIVATIONS[name]
    unknown = set(given) - set(record.params)
    if unknown:
        raise ValueError(
            f"{name}: unknown parameter {sorted(unknown)[0]!r}, expected {', '.join(record.params) or 'none'}"
        )
    for key, value in given.items():
        _validate.finite_number(f"{name} {key}", value)
    return record, {**record.defaults(), **given}


def forward(activation, Z):
    """A = g(Z) for the activation named (doc 000 "A[l] = g[l](Z[l])")."""
    record, params = resolve(activation)
    return record.g(_validate.as_matrix("Z", Z), **params)


def derivative(activation, Z):
    """g'(Z) elementwise for an elementwise activation."""
    record, params = resolve(activation)
    if not record.elementwise:
        raise ValueError(f"activation: {record.name} is not elementwise, it has no g'(Z); use backward(dA, Z, A)")
    return record.g_prime(_validate.as_matrix("Z", Z), **params)


def backward(activation, dA, Z, A):
    """dZ = dA * g'(Z), elementwise (doc 000, doc 002 "dZ[l] = dA[l] * g[l]'(Z[l])"); softmax through its Jacobian."""
    record, params = resolve(activation)
    dA = _validate.as_matrix("dA", dA)
    if not record.elementwise:
        A = _validate.as_matrix("A", A)
        _validate.same_shape("A", A, "dA", dA)
        return record.backward(dA, A)
    Z = _validate.as_matrix("Z", Z)
    _validate.same_shape("Z", Z, "dA", dA)
    return dA * record.g_prime(Z, **params)


def naive_normalize(Z):
    """y_hat_i = z_i / sum_j z_j over each column (doc 004, before softmax: "divide by the sum of all entries")."""
    Z = np.asarray(Z, dtype=float)
    total = Z.sum(axis=0, keepdims=True)
    if np.any(Z < 0) or np.any(total == 0):
        # The document's own objection: negative entries (or a zero sum) give no probability distribution.
        raise ValueError(
            "Z: naive normalisation needs non-negative entries with a positive column sum, got "
            f"min {Z.min()} and column sums {total.ravel().tolist()}"
        )
    return Z / total
