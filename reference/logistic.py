"""Document 001's logistic regression: a 1-layer network with a sigmoid output and the mean cost."""

import numpy as np

from . import _validate
from .activations import sigmoid


def propagate(w, b, X, Y):
    """A = sigma(w^T X + b); cost = -(1/m) sum(Y log A + (1-Y) log(1-A)); dw = (1/m) X (A-Y)^T; db = (1/m) sum(A-Y) (doc 001 propagate())."""
    w = _validate.as_matrix("w", w, cols=1)
    X = _validate.as_matrix("X", X, rows=w.shape[0])
    Y = _validate.as_matrix("Y", Y, rows=1, cols=X.shape[1])
    _validate.binary_labels("Y", Y)
    b = float(b)
    if not np.isfinite(b):
        raise ValueError(f"b: expected a finite scalar, got {b}")
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    _validate.open_unit_interval("A", A, "the cross-entropy cost")
    cost = (-1 / m) * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = (1 / m) * (X @ (A - Y).T)
    db = (1 / m) * np.sum(A - Y)
    return {"dw": dw, "db": float(db)}, float(cost)
