"""A probe: one call of the student's function and the three opinions on what it should return.

The arguments are in the column layout and the student's dtype; for every output, PyTorch
autograd, the reference and central finite differences (float64) each give their value, with each
element's term scale and region.
"""

import zlib
from dataclasses import dataclass, field

import numpy as np

# Probabilities "near 0 and 1" and saturated logits, per dtype: as extreme as the dtype still
# represents strictly inside (0, 1) (in float32 sigma(17) is already 1.0). float64 stops at 1e-10
# because torch's BCELoss backward clamps a(1 - a) at 1e-12.
NEAR_EDGE = {"float64": 1e-10, "float32": 1e-6}
SATURATED = {"float64": 30.0, "float32": 12.0}


@dataclass
class Probe:
    """One call of the student's function and everything needed to judge its answer.

    For each output o: opinions[name][o] (float64), fd_error[o] (estimated error of the finite
    difference, NaN where it abstains), fd_skip[o] ("" or why it abstains), scale[o] (term scale),
    regions[o] (a label per element, or None), labels[o](index) describing an element's inputs.
    """

    label: str
    args: tuple
    opinions: dict
    fd_error: tuple
    fd_skip: tuple
    scale: tuple
    regions: tuple
    labels: tuple
    # Known mistakes a teacher would recognise: name -> tuple of arrays (None where not defined).
    mistakes: dict = field(default_factory=dict)
    dims: dict = field(default_factory=dict)  # n, m (and n_prev) of this probe, for naming factors


def rng_for(target, dtype):
    """Seeded by the target and dtype alone, so probes are the same in any order on any worker."""
    return np.random.default_rng(zlib.crc32(f"{target}/{dtype}".encode()))


def as_dtype(array, dtype):
    """The student's copy in `dtype`, and the float64 value of exactly that copy for the opinions."""
    student = np.asarray(array, dtype=dtype)
    return student, student.astype(np.float64)
