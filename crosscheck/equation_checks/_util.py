"""Shared pieces of the cross-checks: registration, seeded data, tensors, error measures."""

import math

import numpy as np
import torch

from ..catalogue import TOLERANCE, Finding
from ..compare import compare_arrays

CHECKS = {}
F64 = torch.float64


def check(fn):
    """Register a cross-check under its function name."""
    CHECKS[fn.__name__] = fn
    return fn


def rng(seed):
    return np.random.default_rng(seed)


def t(a, grad=False):
    """NumPy -> float64 tensor (a copy), optionally a leaf that records its gradient."""
    out = torch.tensor(np.asarray(a, dtype=float), dtype=F64)
    return out.requires_grad_(True) if grad else out


def n(x):
    return x.detach().cpu().numpy().copy()


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
