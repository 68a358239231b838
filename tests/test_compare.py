"""compare_arrays against a plain-Python oracle: the largest difference, where it is, the relative
error, and the first non-finite difference in reading order, for both dtypes, any memory layout and J's 0-d."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from crosscheck.core.compare import compare_arrays
from crosscheck.core.tolerances import tolerance_for

SPECIAL = [math.nan, math.inf, -math.inf]


def oracle(ref, other, tiny):
    """(max_abs, max_rel, index) element by element in Python floats, reading in C order."""
    flat = [(float(r), float(o)) for r, o in zip(np.asarray(ref).ravel(), np.asarray(other).ravel())]
    position = lambda k: tuple(int(i) for i in np.unravel_index(k, np.shape(ref)))
    diffs = [abs(r - o) for r, o in flat]
    bad = next((k for k, d in enumerate(diffs) if not math.isfinite(d)), None)
    if bad is not None:
        return math.inf, math.inf, position(bad)
    worst = max(range(len(diffs)), key=lambda k: (diffs[k], -k))  # the first of equal largest ones
    scale = max(max(abs(o) for _, o in flat), tiny)
    return diffs[worst], diffs[worst] / scale, position(worst)


@st.composite
def pairs(draw):
    dtype = draw(st.sampled_from(["float64", "float32"]))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=5))
    values = st.floats(-1024.0, 1024.0, width=32)
    ref = draw(hnp.arrays(dtype, shape, elements=values))
    other = ref + draw(hnp.arrays(dtype, shape, elements=st.floats(-0.0009765625, 0.0009765625, width=32)))
    for array in (ref, other):  # now and then a NaN or an infinity on either side
        for k in draw(st.lists(st.integers(0, ref.size - 1), max_size=2)):
            array.reshape(-1)[k] = draw(st.sampled_from(SPECIAL))
    if ref.ndim == 2 and draw(st.booleans()):  # torch's side arrives as a transposed view at times
        other = np.asfortranarray(other)
    return dtype, ref, other


# inf - inf is NaN, which is the point of those draws: NumPy's warning about it is expected here.
@pytest.mark.filterwarnings("ignore:invalid value encountered in subtract:RuntimeWarning")
@settings(max_examples=300, deadline=None, derandomize=True)
@given(pairs())
def test_compare_arrays_agrees_with_the_oracle(pair):
    dtype, ref, other = pair
    tol = tolerance_for(dtype)
    row = compare_arrays("q", ref, other, tol)
    max_abs, max_rel, index = oracle(ref, other, tol.tiny)
    assert (row.max_abs, row.max_rel, row.index) == (max_abs, max_rel, index)
    assert row.ok == (max_rel <= tol.rtol)
    if math.isinf(max_abs):  # said as what it is: a value not finite, or two finite ones too far apart
        both_finite = math.isfinite(row.ref) and math.isfinite(row.torch)
        assert ("overflows" if both_finite else "non-finite") in row.note, row.note


@pytest.mark.filterwarnings("error::RuntimeWarning")  # said in the row's note, not warned on stderr too
def test_a_difference_that_overflows_is_not_called_a_non_finite_value():
    row = compare_arrays("q", np.array([1e308]), np.array([-1e308]), tolerance_for("float64"))
    assert not row.ok and row.note == "the difference overflows at (0,): reference 1e+308, torch -1e+308"
