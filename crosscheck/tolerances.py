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

Training trajectories (`trajectory_tolerance`). After k updates the twins' parameters differ by
what every step added. One step's difference is bounded by the per-quantity rtol above (the
update alpha dW is computed to that accuracy and is smaller than W). Gradient descent with a
learning rate below 2 / curvature does not amplify an earlier difference (the step map
W -> W - alpha grad J is non-expansive where J is locally convex and smooth), so the
differences at most add up: after k steps the bound is k * rtol, with the same dtype factor.
Non-convex stretches can amplify instead; the trajectory tests and `crosscheck train` measure the
actual drift and find it orders of magnitude inside this bound (see tests/test_training.py).
"""

from dataclasses import dataclass

import numpy as np

FACTORS = {"float64": 2**12, "float32": 2**7}


@dataclass(frozen=True)
class Tolerance:
    dtype: str
    rtol: float
    tiny: float
    steps: int = 0  # 0: one computation; k > 0: a trajectory of k steps

    def __str__(self):
        per = f"{FACTORS[self.dtype]} eps"
        if self.steps:
            return f"rtol {self.rtol:.1e} ({self.dtype}: {self.steps} steps x {per})"
        return f"rtol {self.rtol:.1e} ({self.dtype}: {per})"


def tolerance_for(dtype):
    """The comparison tolerance for a dtype name ("float32" or "float64")."""
    dtype = np.dtype(dtype).name
    if dtype not in FACTORS:
        raise ValueError(f"dtype: expected one of {', '.join(FACTORS)}, got {dtype!r}")
    info = np.finfo(dtype)
    return Tolerance(dtype=dtype, rtol=float(FACTORS[dtype] * info.eps), tiny=float(info.tiny))


def trajectory_tolerance(dtype, steps):
    """The tolerance for parameters and loss after `steps` updates: steps x the one-step rtol."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps: expected a positive number of training steps, got {steps!r}")
    one = tolerance_for(dtype)
    return Tolerance(dtype=one.dtype, rtol=one.rtol * steps, tiny=one.tiny, steps=steps)


def printed(decimals):
    """Half-width of agreement for a number printed with `decimals` decimals: one unit of its last digit."""
    return 10.0 ** (-decimals)
