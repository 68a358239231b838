"""The one place where agreement tolerances are stated, derived from each dtype's machine epsilon.

A quantity agrees when  max|ref - torch| <= rtol * max(max|torch|, tiny)  (a norm-wise relative
error). Elementwise relative error is meaningless for entries that come out of cancellation
(a dW entry that sums to ~0), so the error is measured against the quantity's own scale.

The factors: NumPy and torch run the same algebra with different summation orders (BLAS
blocking, pairwise vs sequential sums). Each of the <= 3 layers' matmuls, the loss reduction over
m and the chain back to dA0 adds rounding of a few eps times the condition of that step, so the
bound is a stated multiple of eps:
  float64: 2**12 eps = 9.1e-13  (the "about 1e-12" the project promises)
  float32: 2**7  eps = 1.5e-5   (float32 kernels in torch may also fuse or reorder more freely)
A printed number in a document is checked to its printed precision instead (see `printed`).
"""

from dataclasses import dataclass

import numpy as np

FACTORS = {"float64": 2**12, "float32": 2**7}


@dataclass(frozen=True)
class Tolerance:
    dtype: str
    rtol: float
    tiny: float

    def __str__(self):
        return f"rtol {self.rtol:.1e} ({self.dtype}: {FACTORS[self.dtype]} eps)"


def tolerance_for(dtype):
    """The comparison tolerance for a dtype name ("float32" or "float64")."""
    dtype = np.dtype(dtype).name
    if dtype not in FACTORS:
        raise ValueError(f"dtype: expected one of {', '.join(FACTORS)}, got {dtype!r}")
    info = np.finfo(dtype)
    return Tolerance(dtype=dtype, rtol=float(FACTORS[dtype] * info.eps), tiny=float(info.tiny))


def printed(decimals):
    """Half-width of agreement for a number printed with `decimals` decimals: one unit of its last digit."""
    return 10.0 ** (-decimals)


# When a later run's agreement counts as worse than an earlier one's (`crosscheck compare`).
# Rounding error moves with BLAS builds, thread counts and summation order, so a change counts only
# when both hold: the worst relative error grew by more than REGRESSION_FACTOR (an order of
# magnitude), and it now exceeds REGRESSION_FLOOR_EPS eps of the dtype (below that it is rounding
# noise whatever the factor: 0 -> 2 eps is an infinite factor). A case that passed and now fails
# always counts.
REGRESSION_FACTOR = 10.0
REGRESSION_FLOOR_EPS = 64


def got_worse(old_error, new_error, eps=None):
    """True when new_error is worse than old_error beyond rounding noise (None means infinite)."""
    if new_error is None:
        return old_error is not None
    if old_error is None:
        return False
    floor = REGRESSION_FLOOR_EPS * eps if eps else 0.0
    return new_error > REGRESSION_FACTOR * old_error and new_error > floor
