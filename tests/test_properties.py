"""Beyond the fixed matrix: hypothesis draws further cases (any m, any seed) and the twins still agree.

derandomize=True makes the drawn cases the same on every run and every xdist worker.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from crosscheck.core.cases import HIDDEN, PAIRINGS, REGULARIZATION, Case
from crosscheck.core.traces import run_case

cases = st.builds(
    Case,
    hidden=st.sampled_from(HIDDEN),
    pairing=st.sampled_from(sorted(PAIRINGS)),
    reduction=st.sampled_from(["mean", "sum"]),
    reg=st.sampled_from(sorted(REGULARIZATION)),
    depth=st.integers(2, 3),
    m=st.integers(1, 64),
    dtype=st.sampled_from(["float64", "float32"]),
    seed=st.integers(0, 2**32 - 1),
)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(cases)
def test_twins_agree_on_drawn_cases(case):
    report = run_case(case)
    assert report.ok, report.first_divergence()
