"""The backward equations one at a time, named as the documents write them (docs 000, 002, 004).

Each public function checks its arguments and then applies the equation; the equation itself is a
leading-underscore twin (_dZ_last, _dW, _db, _dA_prev) that trusts its arguments. network.backward calls the
twins on the arrays forward() made and already checked, so one step validates once, not per product.
"""

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
    return _dZ_last(AL, Y)


def _dZ_last(AL, Y):
    """dZ[L] = A[L] - Y on arrays already checked (network.backward checked them through the loss)."""
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
    _validate.choice("reduction", reduction, losses.REDUCTIONS)
    return _dW(dZ, A_prev, reduction)


def _dW(dZ, A_prev, reduction):
    """dW = (1/m) dZ A_prev^T on checked arrays; the 1/m is applied in place to the product (no temporary)."""
    dW = dZ @ A_prev.T
    dW *= losses.scale(dZ.shape[1], reduction)
    return dW


def db(dZ, reduction="mean"):
    """db_j[l] = (1/m) sum_i dZ_ji[l] (doc 002 "db"; doc 004); db[l] = sum_axis=1 dZ[l] under "sum" (doc 000)."""
    dZ = _validate.as_matrix("dZ", dZ)
    _validate.choice("reduction", reduction, losses.REDUCTIONS)
    return _db(dZ, reduction)


def _db(dZ, reduction):
    """db = (1/m) sum_i dZ[:, i] on a checked dZ."""
    return losses.scale(dZ.shape[1], reduction) * np.sum(dZ, axis=1, keepdims=True)


def dA_prev(W, dZ):
    """dA[l-1] = W[l]^T dZ[l] (doc 002 "Why wouldn't this work for l != L"; doc 000 dA[l] = W[l+1]^T dZ[l+1])."""
    W = _validate.as_matrix("W", W)
    dZ = _validate.as_matrix("dZ", dZ, rows=W.shape[0])
    return _dA_prev(W, dZ)


def _dA_prev(W, dZ):
    """dA_prev = W^T dZ on checked arrays."""
    return W.T @ dZ
