"""The case matrix: one definition that the tests, the report and the CLI all iterate."""

import itertools

import numpy as np

from .cases import REGULARIZATION, Case
from .ops import ACTIVATIONS, HIDDEN, PAIRINGS, REDUCTIONS
from .tolerances import DTYPES

DEPTHS = (1, 2, 3)
EXAMPLES = (1, 7)  # m = 1 (a single column, doc 003's samples) and m > 1


MULTI_LABEL = 3  # sigmoid outputs with 0/1 labels per unit: bce then sums over units


def drawn_params(hidden, seed, index):
    """(name, value) pairs for the hidden activation's parameters, uniform over each Param's drawn
    range from (seed, index); 3 significant digits so the case id gives the exact value back."""
    rng = np.random.default_rng([seed, index])
    return tuple((name, float(f"{rng.uniform(p.low, p.high):.3g}")) for name, p in ACTIVATIONS[hidden].params.items())


def default_matrix(seed=0):
    """Every hidden activation x pairing x reduction x regularization x depth x m x dtype, each
    parametrized activation with its parameters drawn per case, plus multi-label bce at m = 7."""
    cases = []
    for pairing, reduction, reg, depth, m, dtype in itertools.product(
        PAIRINGS, REDUCTIONS, REGULARIZATION, DEPTHS, EXAMPLES, DTYPES
    ):
        hiddens = ("none",) if depth == 1 else HIDDEN
        outputs = (0, MULTI_LABEL) if PAIRINGS[pairing][1] == "bce" and m > 1 else (0,)
        for hidden, n_out in itertools.product(hiddens, outputs):
            params = drawn_params(hidden, seed, len(cases)) if hidden != "none" else ()
            cases.append(Case(hidden, pairing, reduction, reg, depth, m, dtype, seed, params=params, n_out=n_out))
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
