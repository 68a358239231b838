"""The case matrix: one definition that the tests, the report and the CLI all iterate."""

import itertools

from .cases import REGULARIZATION, Case
from .ops import HIDDEN, PAIRINGS, REDUCTIONS
from .tolerances import DTYPES

DEPTHS = (1, 2, 3)
EXAMPLES = (1, 7)  # m = 1 (a single column, doc 003's samples) and m > 1


def default_matrix(seed=0):
    """Every hidden activation x pairing x reduction x regularization x depth x m x dtype."""
    cases = []
    for pairing, reduction, reg, depth, m, dtype in itertools.product(
        PAIRINGS, REDUCTIONS, REGULARIZATION, DEPTHS, EXAMPLES, DTYPES
    ):
        hiddens = ("none",) if depth == 1 else HIDDEN
        for hidden in hiddens:
            cases.append(Case(hidden, pairing, reduction, reg, depth, m, dtype, seed))
    return cases


def kink_matrix(seed=0):
    """Pre-activations exactly at 0 for every hidden activation, to verify the documented g'(0)."""
    return [
        Case(hidden, pairing, "mean", "none", 3, m, dtype, seed, kink=True)
        for hidden, pairing, m, dtype in itertools.product(HIDDEN, PAIRINGS, EXAMPLES, DTYPES)
    ]


def quick_matrix(seed=0):
    """A small slice for smoke runs: depth 3, m = 7, no regularization."""
    return [c for c in default_matrix(seed) if c.depth == 3 and c.m == 7 and c.reg == "none"]


MATRIX = default_matrix()
KINKS = kink_matrix()
