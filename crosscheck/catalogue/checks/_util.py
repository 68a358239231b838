"""Shared pieces of the cross-checks: seeded data, the layout change and error measures."""

import math

import numpy as np

from ...core.compare import compare_arrays
from ...core.convention import columns_to_rows, rows_to_columns
from ..findings import TOLERANCE, Finding

__all__ = ["columns_to_rows", "erratum", "rel", "rng", "rows_to_columns", "same", "worst"]


def rng(seed):
    return np.random.default_rng(seed)


def rel(ref, other):
    """Largest |ref - other| over max|other| (see tolerances); inf on a shape mismatch."""
    return compare_arrays("q", ref, other, TOLERANCE).max_rel


def worst(*errors):
    return max(errors)


def same(error, ids):
    """The same finding for several ids."""
    return {i: Finding(error) for i in ids}


def erratum(corrected_error, printed_fn, expected, how=""):
    """Finding for an erratum: the corrected form's error, and how the printed form (a thunk) disagrees."""
    expected = np.asarray(expected, dtype=float)
    try:
        got = np.asarray(printed_fn(), dtype=float)
    except ValueError as exc:  # NumPy's matmul and broadcasting refuse mismatched shapes
        return Finding(corrected_error, math.inf, how or f"shape: the printed product is undefined ({exc})")
    if got.shape != expected.shape:
        return Finding(corrected_error, math.inf, how or f"shape: printed {got.shape}, autograd {expected.shape}")
    err = rel(got, expected)
    if not how:
        if err > TOLERANCE.rtol and rel(-got, expected) <= TOLERANCE.rtol:
            how = "sign: the printed form is the negative of autograd's"
        else:
            how = f"value: off by {err:.3g} of autograd's largest entry"
    return Finding(corrected_error, err, how)
