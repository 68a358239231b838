"""The twins agree on every case of the matrix, quantity by quantity, the twin on `pytest --device`."""

import pytest

from crosscheck.core.matrix import KINKS, MATRIX
from crosscheck.core.traces import run_case


@pytest.mark.parametrize("case", MATRIX, ids=str)
def test_twins_agree(case, device):
    report = run_case(case, device)
    assert report.ok, report.first_divergence()


@pytest.mark.parametrize("case", KINKS, ids=str)
def test_twins_agree_at_kinks(case, device):
    report = run_case(case, device)
    assert report.ok, report.first_divergence()
