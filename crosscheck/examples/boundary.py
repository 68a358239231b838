"""Document 004's decision-boundary examples: the printed weights' output, from both implementations."""

import numpy as np

from reference import activations as act
from reference import network
from torch_impl.twin import Twin

from ..core import convention
from .computed import Computed

# Points where a boundary network's output is tabulated: the centre, the four corners of the
# square [-4, 4]^2, and (0, 6), where the b = 12 neuron's boundary w2 x2 + b = 0 lies.
BOUNDARY_POINTS = ((0.0, 0.0), (-4.0, -4.0), (-4.0, 4.0), (4.0, -4.0), (4.0, 4.0), (0.0, 6.0))


def boundary_params(example):
    """W[l], b[l] for a decision-boundary network (1 or 2 sigmoid layers) in the column layout."""
    inputs = example["inputs"]
    params = {}
    for l in (1, 2):
        if f"W{l}" in inputs:
            W = np.atleast_2d(np.array(inputs[f"W{l}"], float))
            params[f"W{l}"] = W
            params[f"b{l}"] = np.array(inputs[f"b{l}"], float).reshape(W.shape[0], 1)
    return params


def boundary_reference(params, X):
    """y_hat over the columns of X (2 x m) from the NumPy reference."""
    L = len(params) // 2
    AL, _ = network.forward(X, params, ["sigmoid"] * L)
    return AL


def boundary_torch(params, X):
    """y_hat over the columns of X from the PyTorch twin."""
    L = len(params) // 2
    sizes = [2] + [params[f"W{l}"].shape[0] for l in range(1, L + 1)]
    twin = Twin(sizes, ["sigmoid"] * L, "float64").load(params)
    return convention.rows_to_columns(twin.outputs(convention.columns_to_rows(X)))


def boundary_example(example):
    if example.get("printed"):
        raise ValueError("printed steps: the boundary kind has no printed values (only weights)")
    params = boundary_params(example)
    X = np.array(BOUNDARY_POINTS).T
    ref, tor = boundary_reference(params, X), boundary_torch(params, X)
    equation = (
        "y_hat = sigmoid(W2 sigmoid(W1 x + b1) + b2)" if len(params) == 4 else "y_hat = sigmoid(w1 x1 + w2 x2 + b)"
    )
    rows = [
        Computed(f"y_hat({x1:g},{x2:g})", equation, None, None, ref[0, i], tor[0, i])
        for i, (x1, x2) in enumerate(BOUNDARY_POINTS)
    ]
    rows[0].note = _boundary_shape(params)
    return rows


def _boundary_shape(params):
    """What the weights allow: the output's range and, for a single neuron, the line y_hat = 0.5."""
    L = len(params) // 2
    W, b = params[f"W{L}"], params[f"b{L}"]
    if L == 1:
        w1, w2 = W[0]
        if w1 == 0 and w2 != 0:
            return f"y_hat = 0.5 on the line x2 = {-b[0, 0] / w2:g}; an S-curve across x2, flat along x1"
        return "y_hat = 0.5 on the line w1 x1 + w2 x2 + b = 0"
    # Hidden outputs lie in (0, 1), so W2 h + b2 lies between b2 + (sum of W2's negative
    # entries) and b2 + (sum of its positive entries), and sigmoid is monotone.
    lo, hi = act.sigmoid(np.array([np.minimum(W, 0).sum(), np.maximum(W, 0).sum()]) + b[0, 0])
    note = f"y_hat stays inside ({lo:.3f}, {hi:.3f}) over the whole plane"
    W1, b1 = params["W1"], params["b1"]
    if W.shape == (1, 2) and W[0, 0] == -W[0, 1] and b[0, 0] == 0:
        # y_hat = 0.5 where h1 = h2, i.e. where the two hidden pre-activations are equal.
        d, c = W1[0] - W1[1], b1[1, 0] - b1[0, 0]
        note += f"; y_hat = 0.5 exactly on the straight line {d[0]:g} x1 + {d[1]:g} x2 = {c:g}"
    return note
