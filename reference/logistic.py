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


def linear(w, b, X):
    """z = w^T X + b, one z per example (doc 001 "y = w^T x + b"; doc 002 "Z = w^T X + b"; doc 004)."""
    w = _validate.as_matrix("w", w, cols=1)
    X = _validate.as_matrix("X", X, rows=w.shape[0])
    return w.T @ X + b


def forward(w, b, X):
    """y_hat = a = sigma(w^T X + b) = P(y|x) (doc 001 "Forward propagation"; doc 004 "y = sigmoid(w^T x + b)")."""
    return sigmoid(linear(w, b, X))


def absorb_bias(w, b, X):
    """(w', X') with w'_0 = b and x_0 = 1, so that w'^T X' = w^T X + b (doc 004 "b is w_0 of w and we add x_0 = 1")."""
    w = _validate.as_matrix("w", w, cols=1)
    X = _validate.as_matrix("X", X, rows=w.shape[0])
    return np.vstack([[[float(b)]], w]), np.vstack([np.ones((1, X.shape[1])), X])


def example_gradients(w, b, X, Y):
    """Per example i: dw(i) = (a(i) - y(i)) x(i), db(i) = a(i) - y(i) (doc 001 "Backward propagation").

    Returned as p x m and 1 x m: column i is example i's gradient, before any averaging.
    """
    A = forward(w, b, X)
    Y = _validate.as_matrix("Y", Y, rows=1, cols=A.shape[1])
    return np.asarray(X) * (A - Y), A - Y


def optimize(w, b, X, Y, num_iterations, learning_rate):
    """Doc 001's loop: propagate on all examples, w = w - lr dw, b = b - lr db, record the cost.

    Returns (params {"w", "b"}, grads {"dw", "db"} of the last iteration, costs).
    """
    if int(num_iterations) != num_iterations or num_iterations < 1:
        raise ValueError(f"num_iterations: expected a positive integer, got {num_iterations!r}")
    if not np.isfinite(learning_rate):
        raise ValueError(f"learning_rate: expected a finite number, got {learning_rate}")
    w = _validate.as_matrix("w", w, cols=1)
    costs = []
    for _ in range(int(num_iterations)):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return {"w": w, "b": float(b)}, grads, costs


def predict(w, b, X):
    """y_hat = 1 where sigma(w^T x + b) >= 0.5, else 0 (doc 001 "if it's >= 0.5 then we say it's a man")."""
    return (forward(w, b, X) >= 0.5).astype(int)


def two_layer_forward(params, X):
    """z1 = W1 x + b1, a1 = sigma(z1), z2 = W2 a1 + b2, a2 = sigma(z2) (doc 001 "2-layer neural network")."""
    W1 = _validate.as_matrix("W1", params["W1"])
    X = _validate.as_matrix("X", X, rows=W1.shape[1])
    a1 = sigmoid(W1 @ X + params["b1"])
    a2 = sigmoid(params["W2"] @ a1 + params["b2"])
    return a1, a2


def two_layer_gradients(params, x, y):
    """One example's gradients of L(a2, y) (doc 001 "Backward propagation", corrected where printed wrong).

    dW2 = (a2 - y) a1^T, db2 = a2 - y, dW1 = (W2^T (a2 - y) * (1 - a1) a1) x^T, db1 = W2^T (a2 - y) * (1 - a1) a1.
    Doc 001 prints dL/da1 = (a2 - y) W2 and dW1 = (a2 - y) W2 * ((1 - a1) a1) x: W2 and x need their
    transposes (see reference.errata).
    """
    x = _validate.as_matrix("x", x, cols=1)
    a1, a2 = two_layer_forward(params, x)
    dz2 = a2 - y
    dz1 = (params["W2"].T @ dz2) * (1 - a1) * a1
    return {"dW2": dz2 @ a1.T, "db2": dz2, "dW1": dz1 @ x.T, "db1": dz1}
