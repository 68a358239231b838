"""The inputs your functions are checked on: seeded draws around the places where derivatives go wrong.

Every draw comes from numpy.random.default_rng(seed), so a failure reproduces from its seed alone.
Activations meet the kink (exact 0), points near it, moderate values and the saturated ranges
(+-20, +-35); every family has m = 1 and m > 1, square and non-square shapes.
"""

import numpy as np

SEED = 17  # the default seed; every helper takes seed= to draw another set

# Hand-picked z: the kink, either side of it far and very near, moderate, saturated.
Z_GRID = (0.0, 1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 5.0, -5.0, 20.0, -20.0, 35.0, -35.0)

# Saturated z are drawn at exactly these values, never between: torch.nn.functional.softplus turns
# into the identity above its threshold 20, which differs from the exact softplus (and its derivative
# from the sigmoid) by up to e^-20 ~ 2e-9 on (20, 36), far above float64's rtol; at 20 itself torch
# still uses the exact form, and at 35 the difference e^-35 ~ 6e-16 is below the rtol.
SATURATED = (20.0, -20.0, 35.0, -35.0)

# Probabilities this close to 0 and 1 still keep torch's BCE backward off its clamp of a(1 - a) at 1e-12.
NEAR_EDGE = 1e-8


def activation_inputs(seed=SEED):
    """(label, Z) pairs: a grid of the hand-picked z, m = 1, square and wide shapes with exact zeros."""
    rng = np.random.default_rng(seed)
    grid = np.concatenate([Z_GRID, rng.normal(0, 3, 28 - len(Z_GRID))]).reshape(4, 7)

    def with_zeros(Z, count):
        Z.flat[rng.choice(Z.size, count, replace=False)] = 0.0
        return Z

    def with_saturated(Z, count):
        Z.flat[rng.choice(Z.size, count, replace=False)] = rng.choice(SATURATED, count)
        return Z

    return [
        ("grid: kink, near it, moderate, saturated (4x7)", grid),
        ("one example, m = 1 (5x1)", with_zeros(rng.normal(0, 2, (5, 1)), 1)),
        ("square (4x4)", with_zeros(rng.normal(0, 3, (4, 4)), 2)),
        ("wide, saturated (3x8)", with_saturated(with_zeros(rng.uniform(-6, 6, (3, 8)), 2), 4)),
    ]


def region(z):
    """Where a pre-activation lies, in words, for naming the region a mistake sits in."""
    if z == 0:
        return "the kink z = 0"
    if abs(z) >= 20:
        return "the saturated range |z| >= 20"
    if abs(z) < 1e-2:
        return "near the kink (0 < |z| < 0.01)"
    return "moderate z"


def _probabilities(rng, shape, edges):
    A = rng.uniform(0.02, 0.98, shape)
    if edges:
        A.flat[0], A.flat[-1] = NEAR_EDGE, 1 - NEAR_EDGE
    return A


def loss_inputs(kind, seed=SEED):
    """(label, A, Y) triples for a loss of `kind`: binary (A in (0, 1), Y in {0, 1}), categorical
    (A's columns are probabilities, Y one-hot columns) or real (any A and Y)."""
    rng = np.random.default_rng(seed)
    # Comparisons are norm-wise per draw, and a near-edge probability's huge derivative would set the
    # scale for its whole draw: so the edges get a draw of their own, and the others stay moderate.
    shapes = [
        ("one output, m = 6 (1x6)", (1, 6), False),
        ("one example, m = 1 (3x1)", (3, 1), False),
        ("square (4x4)", (4, 4), False),
        (f"probabilities near 0 and 1 ({NEAR_EDGE:g}) (2x5)", (2, 5), True),
    ]
    out = []
    for label, shape, edges in shapes if kind == "binary" else shapes[:3]:
        if kind == "binary":
            A, Y = _probabilities(rng, shape, edges), rng.integers(0, 2, shape).astype(float)
            if edges:
                Y.flat[0], Y.flat[-1] = 1.0, 0.0  # the near-edge probabilities on the side where the loss is large
        elif kind == "categorical":
            logits = rng.normal(0, 2, shape)
            A = np.exp(logits) / np.exp(logits).sum(axis=0, keepdims=True)
            Y = np.eye(shape[0])[rng.integers(0, shape[0], shape[1])].T
        elif kind == "real":
            A, Y = rng.normal(0, 2, shape), rng.normal(0, 2, shape)
        else:
            raise ValueError(f"kind: expected binary, categorical or real, got {kind!r}")
        out.append((label, A, Y))
    return out


def layer_inputs(n_prev, n, parameter_shapes, seed=SEED):
    """(label, A_prev, params, dZ): m = 1, m = n_prev (a square A_prev) and m = 7, in column layout.

    The upstream dZ is random: an all-ones dZ would hide a transposed or mis-summed product.
    """
    rng = np.random.default_rng(seed)
    out = []
    for m in dict.fromkeys((1, n_prev, 7)):
        params = {name: rng.normal(0, 1, shape) for name, shape in parameter_shapes.items()}
        label = "one example, m = 1" if m == 1 else f"m = {m}" + (" (square A_prev)" if m == n_prev else "")
        out.append((label, rng.normal(0, 1, (n_prev, m)), params, rng.normal(0, 1, (n, m))))
    return out


def labels_for(loss, n, m, rng):
    """Y for a registered loss: bce 0/1, cce one-hot columns, mse and sse real values."""
    if loss == "bce":
        return rng.integers(0, 2, (n, m)).astype(float)
    if loss == "cce":
        return np.eye(n)[rng.integers(0, n, m)].T
    return rng.normal(0, 1, (n, m))


def network_inputs(sizes, loss, seed=SEED):
    """(label, X, Y, params) for m = 1 and m = 5; W[l] ~ N(0, 1/n[l-1]), b[l] ~ N(0, 0.1^2), column layout."""
    rng = np.random.default_rng(seed)
    out = []
    for m in (1, 5):
        params = {}
        for l in range(1, len(sizes)):
            params[f"W{l}"] = rng.normal(0, 1 / np.sqrt(sizes[l - 1]), (sizes[l], sizes[l - 1]))
            params[f"b{l}"] = rng.normal(0, 0.1, (sizes[l], 1))
        X = rng.normal(0, 1, (sizes[0], m))
        out.append((f"m = {m}" if m > 1 else "one example, m = 1", X, labels_for(loss, sizes[-1], m, rng), params))
    return out
