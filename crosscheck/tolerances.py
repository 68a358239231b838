"""The one place where agreement tolerances are stated, derived from each dtype's machine epsilon.

A quantity agrees when  max|ref - torch| <= rtol * max(max|torch|, tiny)  (a norm-wise relative
error). Elementwise relative error is meaningless for entries that come out of cancellation
(a dW entry that sums to ~0), so the error is measured against the quantity's own scale.

The factors: NumPy and torch run the same algebra with different summation orders (BLAS
blocking, pairwise vs sequential sums), so each matmul, each reduction over m and each step of
the chain back to dA0 adds a few eps, amplified where a sum cancels (dA[l-1] = W^T dZ can be far
smaller than its terms). The bound is the project's promise written in units of eps:
  float64: 2**12 eps = 9.1e-13  ("about 1e-12"; the matrix's worst seen is ~11 eps)
  float32: 2**7  eps = 1.5e-5   ("about 1e-5"; the worst seen is ~57 eps, a cancelling W^T dZ
                                 under leaky ReLU with m = 1)
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
