"""The backward equations one at a time, named as the documents write them (docs 000, 002, 004)."""

import numpy as np

from . import _validate, losses
from . import activations as act


def dZ_last(AL, Y):
    """dZ[L] = A[L] - Y (doc 000 "Gradients - Last Layer"; doc 002 "dz = a - y"; doc 004 "dZ2 = A2 - Y").

    Holds for a sigmoid output with BCE and for a softmax output with cross entropy alike.
    """
    AL = _validate.as_matrix("AL", AL)
    Y = _validate.as_matrix("Y", Y)
    _validate.same_shape("AL", AL, "Y", Y)
    return AL - Y


def dZ(dA, Z, activation):
    """dZ[l] = dA[l] * g[l]'(Z[l]), elementwise (doc 000 "Gradients in Other Layers"; doc 002).

    The product itself is written once, in activations.backward; this is its validated entry point.
    """
    dA = _validate.as_matrix("dA", dA)
    Z = _validate.as_matrix("Z", Z)
    _validate.same_shape("dA", dA, "Z", Z)
    record, _ = act.resolve(activation)
    if not record.elementwise:
        raise ValueError(f"activation: expected an elementwise activation, got {record.name!r} (use its backward)")
    return act.backward(activation, dA, Z, None)


def dW(dZ, A_prev, reduction="mean"):
    """dW[l] = (1/m) dZ[l] A[l-1]^T (doc 002 "dW"; doc 004); dW[l] = dZ[l] A[l-1]^T under "sum" (doc 000)."""
    dZ = _validate.as_matrix("dZ", dZ)
    A_prev = _validate.as_matrix("A_prev", A_prev, cols=dZ.shape[1])
    return losses.scale(dZ.shape[1], reduction) * (dZ @ A_prev.T)


def db(dZ, reduction="mean"):
    """db_j[l] = (1/m) sum_i dZ_ji[l] (doc 002 "db"; doc 004); db[l] = sum_axis=1 dZ[l] under "sum" (doc 000)."""
    dZ = _validate.as_matrix("dZ", dZ)
    return losses.scale(dZ.shape[1], reduction) * np.sum(dZ, axis=1, keepdims=True)


def dA_prev(W, dZ):
    """dA[l-1] = W[l]^T dZ[l] (doc 002 "Why wouldn't this work for l != L"; doc 000 dA[l] = W[l+1]^T dZ[l+1])."""
    W = _validate.as_matrix("W", W)
    dZ = _validate.as_matrix("dZ", dZ, rows=W.shape[0])
    return W.T @ dZ
