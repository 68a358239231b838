"""A case: one network configuration, with its weights and data drawn from its seed alone."""

from dataclasses import dataclass

import numpy as np

from reference._validate import is_whole
from reference.network import forward

from .ops import ACTIVATIONS, HIDDEN, LOSSES, PAIRINGS, REDUCTIONS, resolved
from .tolerances import DTYPES

# Regularization strengths (doc 004's L1 / L2 terms); large enough to move dW visibly.
REGULARIZATION = {"none": (0.0, 0.0), "l1": (0.03, 0.0), "l2": (0.0, 0.05)}
N_INPUT = 4
N_HIDDEN = 5  # two hidden layers of 5 make W2 square at depth 3, where a transposed dW would hide


@dataclass(frozen=True)
class Case:
    """Layer sizes follow from depth and pairing; `kink` places pre-activations exactly at 0."""

    hidden: str
    pairing: str
    reduction: str = "mean"
    reg: str = "none"
    depth: int = 2
    m: int = 7
    dtype: str = "float64"
    seed: int = 0
    kink: bool = False
    # The hidden activation's parameters as (name, value) pairs (leaky_relu's slope, elu's alpha);
    # empty: the documented defaults. The matrix draws them per case so a slope is never only 0.01.
    params: tuple = ()
    # Output units; 0: the loss's usual (1 for bce, 3 otherwise). 3 with bce is multi-label sigmoid
    # outputs (0/1 labels per unit), where bce sums over the units.
    n_out: int = 0

    def __post_init__(self):
        # Whole numbers (a bool is none): depth 0 once ran a one-layer network, compared J and dA0
        # only and passed as "d0"; the others failed inside run_case, in NumPy's words.
        for name, least, most in (("depth", 1, None), ("m", 1, None), ("seed", 0, 2**32 - 1), ("n_out", 0, None)):
            value = getattr(self, name)
            if not is_whole(value) or value < least or (most is not None and value > most):
                span = f"from {least} to {most}" if most is not None else f"at least {least}"
                raise ValueError(f"{name}: expected a whole number {span}, got {value!r}")
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype: expected one of {', '.join(DTYPES)}, got {self.dtype!r}")
        if self.reduction not in REDUCTIONS:
            raise ValueError(f"reduction: expected one of {', '.join(REDUCTIONS)}, got {self.reduction!r}")
        if not isinstance(self.kink, (bool, np.bool_)):
            raise ValueError(f"kink: expected True or False, got {self.kink!r}")
        if self.pairing not in PAIRINGS:
            raise ValueError(f"pairing: expected one of {', '.join(PAIRINGS)}, got {self.pairing!r}")
        if self.depth == 1 and self.hidden != "none":
            raise ValueError(f"hidden: a depth-1 network has no hidden layer, expected 'none', got {self.hidden!r}")
        if self.depth > 1 and self.hidden not in HIDDEN:
            raise ValueError(f"hidden: expected one of {', '.join(HIDDEN)}, got {self.hidden!r}")
        if self.reg not in REGULARIZATION:
            raise ValueError(f"reg: expected one of {', '.join(REGULARIZATION)}, got {self.reg!r}")
        if self.params:
            resolved([(self.hidden, dict(self.params))])  # ValueError naming an unknown parameter

    @property
    def output(self):
        return PAIRINGS[self.pairing][0]

    @property
    def loss(self):
        return PAIRINGS[self.pairing][1]

    @property
    def l1(self):
        return REGULARIZATION[self.reg][0]

    @property
    def l2(self):
        return REGULARIZATION[self.reg][1]

    @property
    def activations(self):
        """(name, parameters) per layer, the parameters explicit for both implementations."""
        hidden = (self.hidden, dict(self.params))
        return resolved([hidden] * (self.depth - 1) + [self.output])

    @property
    def sizes(self):
        n_out = self.n_out or (1 if self.loss == "bce" else 3)
        return [N_INPUT] + [N_HIDDEN] * (self.depth - 1) + [n_out]

    @property
    def id(self):
        kink = "-kink" if self.kink else ""
        hidden = self.hidden + "".join(f"[{k}={v:g}]" for k, v in self.params)
        pairing = self.pairing + (f"x{self.n_out}" if self.n_out else "")
        return f"{hidden}-{pairing}-{self.reduction}-{self.reg}-d{self.depth}-m{self.m}-{self.dtype}-s{self.seed}{kink}"

    def __str__(self):
        return self.id

    def draw(self):
        """(X, Y, params) in the column layout and the case's dtype, from np.random.default_rng(seed)."""
        rng = np.random.default_rng(self.seed)
        for _ in range(100):
            X, params = _draw_network(rng, self.sizes, self.m)
            if self.kink:
                _place_at_kinks(X, params, self.depth)
                break
            if _hidden_signs_mixed(X, params, self.activations):
                break
        Y = _draw_labels(rng, self.loss, self.output, self.sizes[-1], self.m)
        cast = lambda a: a.astype(self.dtype)  # noqa: E731
        return cast(X), cast(Y), {k: cast(v) for k, v in params.items()}


def _draw_network(rng, sizes, m):
    X = rng.normal(size=(sizes[0], m))
    params = {}
    for l in range(1, len(sizes)):
        # 1.5 / sqrt(n[l-1]) keeps pre-activations of order 1: both sides of every kink, unsaturated.
        params[f"W{l}"] = rng.normal(scale=1.5 / np.sqrt(sizes[l - 1]), size=(sizes[l], sizes[l - 1]))
        params[f"b{l}"] = rng.normal(scale=0.5, size=(sizes[l], 1))
    return X, params


def _hidden_signs_mixed(X, params, activations):
    """True when every hidden Z with two or more entries has both positive and negative entries."""
    _, caches = forward(X, params, activations)
    for cache in caches[:-1]:
        Z = cache["Z"]
        if Z.size >= 2 and not (np.any(Z > 0) and np.any(Z < 0)):
            return False
    return True


def _place_at_kinks(X, params, depth):
    """Make pre-activations exactly 0: example 0 is the zero vector and unit 0 of layer 1 has zero
    weights; with zero hidden biases, Z[l][:, 0] = 0 on every hidden layer whose g(0) = 0."""
    X[:, 0] = 0.0
    params["W1"][0, :] = 0.0
    for l in range(1, depth):
        params[f"b{l}"][:] = 0.0


# Labels for a regression loss come from the output activation's range.
LIKE_OUTPUT = {
    "real": lambda rng, n, m: rng.normal(size=(n, m)),
    "(-1, 1)": lambda rng, n, m: rng.uniform(-1, 1, size=(n, m)),
    "(0, 1)": lambda rng, n, m: rng.uniform(0, 1, size=(n, m)),
    "simplex": lambda rng, n, m: np.eye(n)[:, rng.integers(0, n, size=m)],
}


def _draw_labels(rng, loss, output, n, m):
    labels = LOSSES[loss].reference.labels
    if labels == "binary":
        return rng.integers(0, 2, size=(n, m)).astype(float)
    if labels == "one-hot":
        return np.eye(n)[:, rng.integers(0, n, size=m)]
    return LIKE_OUTPUT[ACTIVATIONS[output].reference.output](rng, n, m)
