"""The realistic tier: MNIST-sized networks at realistic batch sizes, through the same traces.

The matrix proves the equations on 4-5-5-n networks; users verify 784-input networks with batches
of hundreds. At these sizes pre-activations land within rounding of a kink by chance, so the
comparison is kink-aware (branches.py) and each record says how many elements it set aside.
A RealisticCase is duck-typed like cases.Case (draw, sizes, activations, loss, reduction, l1, l2,
depth, m, dtype, id), so traces.run_case runs it unchanged.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from .ops import HIDDEN, resolved
from .tolerances import DTYPES

# The bench network (784-256-128-10, bench/measure.py) and a deeper one of decreasing widths.
NETWORKS = {
    "784-256-128-10": (784, 256, 128, 10),
    "784-256-128-64-32-10": (784, 256, 128, 64, 32, 10),
}
BATCHES = (256, 2048)


@dataclass(frozen=True)
class RealisticCase:
    """A softmax + cross-entropy classifier on MNIST-shaped inputs; weights and data from `seed`."""

    sizes: tuple
    hidden: str
    m: int = 256
    dtype: str = "float64"
    seed: int = 0

    def __post_init__(self):
        if self.hidden not in HIDDEN:
            raise ValueError(f"hidden: expected one of {', '.join(HIDDEN)}, got {self.hidden!r}")
        if len(self.sizes) < 3:
            raise ValueError(f"sizes: expected an input, at least one hidden layer and an output, got {self.sizes}")

    loss = "cce"
    reduction = "mean"
    l1 = 0.0
    l2 = 0.0

    @property
    def depth(self):
        return len(self.sizes) - 1

    @property
    def activations(self):
        return resolved([self.hidden] * (self.depth - 1) + ["softmax"])

    @property
    def network(self):
        return "-".join(str(n) for n in self.sizes)

    @property
    def id(self):
        return f"{self.network}-{self.hidden}-m{self.m}-{self.dtype}-s{self.seed}"

    def __str__(self):
        return self.id

    def draw(self):
        """(X, Y, params): pixels in [0, 1), one-hot labels, He-scaled weights (sqrt(2 / n[l-1]) keeps
        pre-activations of order 1 through the depth) and small biases, so both sides of every kink occur."""
        rng = np.random.default_rng(self.seed)
        X = rng.uniform(0.0, 1.0, size=(self.sizes[0], self.m))
        Y = np.eye(self.sizes[-1])[:, rng.integers(0, self.sizes[-1], size=self.m)]
        params = {}
        for l in range(1, len(self.sizes)):
            n_prev, n = self.sizes[l - 1], self.sizes[l]
            params[f"W{l}"] = rng.normal(scale=np.sqrt(2.0 / n_prev), size=(n, n_prev))
            params[f"b{l}"] = rng.normal(scale=0.1, size=(n, 1))
        # inputs in [0, 1) are all positive: centre the first layer so its Z has both signs
        params["b1"] -= params["W1"].sum(axis=1, keepdims=True) * 0.5
        cast = lambda a: a.astype(self.dtype)  # noqa: E731
        return cast(X), cast(Y), {k: cast(v) for k, v in params.items()}


def realistic_tier(seed=0):
    """The full tier: every network x every hidden activation x m in BATCHES x both dtypes."""
    return [
        RealisticCase(NETWORKS[name], hidden, m, dtype, seed)
        for name, hidden, m, dtype in itertools.product(NETWORKS, HIDDEN, BATCHES, DTYPES)
    ]


def realistic_sample(seed=0):
    """The suite's fixed sample: the bench network with ReLU at m = 256 in both dtypes, and the deeper
    network with leaky ReLU at m = 256 in float32 (the dtype where flips at the kink happen)."""
    bench, deep = NETWORKS.values()
    return [
        RealisticCase(bench, "relu", 256, "float32", seed),
        RealisticCase(bench, "relu", 256, "float64", seed),
        RealisticCase(deep, "leaky_relu", 256, "float32", seed),
    ]
