"""Typical wrong derivatives of the activations."""
import numpy as np


def sigmoid_plus(Z):
    s = 1 / (1 + np.exp(-Z))
    return s * (1 + s)


def sigmoid_on_z(Z):
    return Z * (1 - Z)


def sigmoid_double(Z):
    s = 1 / (1 + np.exp(-Z))
    return 2 * s * (1 - s)


def tanh_no_square(Z):
    return 1 - np.tanh(Z)


def tanh_on_z(Z):
    return 1 - Z**2


def tanh_negated(Z):
    return np.tanh(Z) ** 2 - 1


def relu_one_at_zero(Z):
    return (Z >= 0).astype(float)


def relu_forward(Z):
    return np.maximum(Z, 0)


def relu_raises(Z):
    return [1.0 if z > 0 else 0.0 for z in Z]  # iterates over rows: a list of arrays, then fails


def leaky_relu_zero_at_zero(Z):
    return np.where(Z >= 0, 1.0, 0.01) * (Z != 0) + 0.0


def leaky_relu_negative_side(Z):
    return np.where(Z > 0, 1.0, -0.01)


def elu_wrong_negative(Z):
    return np.where(Z > 0, 1.0, np.exp(Z) - 1)


def elu_forward(Z):
    return np.where(Z > 0, Z, np.exp(np.minimum(Z, 0)) - 1)


def identity_zero(Z):
    return np.zeros_like(Z)


def identity_scalar(Z):
    return 1.0


def identity_z(Z):
    return Z


# Extensions beyond the documents (softplus, SiLU, GELU).
def softplus_forward(Z):
    return np.logaddexp(0, Z)


def softplus_negated(Z):
    return -1 / (1 + np.exp(-Z))


def silu_forward(Z):
    return Z / (1 + np.exp(-Z))


def silu_double(Z):
    s = 1 / (1 + np.exp(-Z))
    return 2 * s * (1 + Z * (1 - s))


def gelu_forward(Z):
    from scipy.special import erf

    return Z * 0.5 * (1 + erf(Z / np.sqrt(2)))


def gelu_negated(Z):
    from scipy.special import erf

    return -(0.5 * (1 + erf(Z / np.sqrt(2))) + Z * np.exp(-Z**2 / 2) / np.sqrt(2 * np.pi))
