"""Per-example losses L(i) and their derivatives dA[L] = dL(i)/dA[L], plus the reduction to J.

Each loss takes AL and Y of shape n[L] x m and returns a 1 x m row of L(i). The cost J
reduces them by "mean" (docs 001, 002, 004: J = (1/m) sum L(i)) or "sum" (doc 000: J = sum L(i)).
The derivatives are per example, as the documents' pseudo-code writes dA[L]: no 1/m.
"""

import numpy as np

from . import _validate
from .records import Loss

REDUCTIONS = ("mean", "sum")


def bce(AL, Y):
    """L(i) = -y log a - (1 - y) log(1 - a) (doc 000 "Logistic Regression"; doc 001; doc 002)."""
    AL, Y = check(AL, Y, "bce")
    return -np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL), axis=0, keepdims=True)


def bce_prime(AL, Y):
    """dA[L] = (1 - y) / (1 - A[L]) - y / A[L] (doc 002 "What formula do we use for dA?")."""
    AL, Y = check(AL, Y, "bce")
    return (1 - Y) / (1 - AL) - Y / AL


def cce(AL, Y):
    """L(i) = -sum_k y_k log a_k (doc 004 "Cross Entropy Loss" for multi-class)."""
    AL, Y = check(AL, Y, "cce")
    # y log a is taken as 0 where y = 0, so a zero probability on a wrong class costs nothing.
    safe = np.where(Y > 0, AL, 1)
    return -np.sum(Y * np.log(safe), axis=0, keepdims=True)


def cce_prime(AL, Y):
    """dA[L] = -y / A[L], elementwise (derivative of doc 004's cross entropy)."""
    AL, Y = check(AL, Y, "cce")
    return -Y / AL


def mse(AL, Y):
    """L(i) = (1/n) sum_k (y*_k - y_k)^2, the mean over the n outputs (doc 003 "Mean-Squared Error")."""
    AL, Y = check(AL, Y, "mse")
    n = AL.shape[0]
    return np.sum((Y - AL) ** 2, axis=0, keepdims=True) / n


def mse_prime(AL, Y):
    """dC/dY = (2/n) (Y - Y*) (doc 003 "Mean-Squared Error")."""
    AL, Y = check(AL, Y, "mse")
    n = AL.shape[0]
    return (2 / n) * (AL - Y)


def sse(AL, Y):
    """L(i) = sum_k (y_k - y_hat_k)^2, the squared loss d_i (doc 004 "DEFINE LOSS FUNCTION")."""
    AL, Y = check(AL, Y, "sse")
    return np.sum((Y - AL) ** 2, axis=0, keepdims=True)


def sse_prime(AL, Y):
    """dA[L] = 2 (y_hat - y) (derivative of doc 004's squared loss)."""
    AL, Y = check(AL, Y, "sse")
    return 2 * (AL - Y)


LOSSES = {
    loss.name: loss
    for loss in (
        Loss("bce", bce, bce_prime, ("sigmoid",), "binary", "A[L] in (0, 1), Y in {0, 1}", "000 l.52"),
        Loss(
            "cce",
            cce,
            cce_prime,
            ("softmax",),
            "one-hot",
            "A[L] > 0 where Y > 0, Y columns are probability vectors",
            "004 l.397",
        ),
        Loss("mse", mse, mse_prime, ("identity", "sigmoid", "softmax"), "like-output", "all real", "003 l.152"),
        Loss("sse", sse, sse_prime, ("identity", "tanh"), "like-output", "all real", "004 l.690"),
    )
}


def check(AL, Y, loss):
    """Validate a prediction/label pair for `loss`; return both as float arrays."""
    _validate.choice("loss", loss, LOSSES)
    AL = _validate.as_matrix("AL", AL)
    Y = _validate.as_matrix("Y", Y)
    _validate.same_shape("AL", AL, "Y", Y)
    if loss == "bce":
        _validate.binary_labels("Y", Y)
        _validate.open_unit_interval("AL", AL, "bce")
    elif loss == "cce":
        _validate.distribution_columns("Y", Y)
        if np.any(AL[Y > 0] <= 0):
            raise ValueError("AL: cce expects a positive probability wherever Y > 0, got 0 (log(0))")
    return AL, Y


def per_example(AL, Y, loss):
    """L(i) for every example under the loss called `loss`: a 1 x m row."""
    _validate.choice("loss", loss, LOSSES)
    return LOSSES[loss].L(AL, Y)


def derivative(AL, Y, loss):
    """dA[L] = dL(i)/dA[L] for every example under the loss called `loss`: n[L] x m."""
    _validate.choice("loss", loss, LOSSES)
    return LOSSES[loss].dL(AL, Y)


def reduce(L, reduction):
    """J = (1/m) sum_i L(i) under "mean" (doc 001 cost), J = sum_i L(i) under "sum" (doc 000)."""
    _validate.choice("reduction", reduction, REDUCTIONS)
    L = _validate.finite_array("L", L)
    if L.size == 0:  # the mean of no example is a silent nan
        raise ValueError(f"L: expected the loss of at least one example, got shape {L.shape}")
    return float(np.mean(L)) if reduction == "mean" else float(np.sum(L))


def scale(m, reduction):
    """dJ/dL(i): 1/m under "mean", 1 under "sum"; the factor dW and db carry (doc 002 "dW")."""
    _validate.choice("reduction", reduction, REDUCTIONS)
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m: expected a positive number of examples, got {m!r}")
    return 1.0 / m if reduction == "mean" else 1.0
