"""Each activation and loss alone against its torch module, as a VJP with a random upstream gradient."""

import numpy as np
import pytest

from crosscheck.core.cases import Case
from crosscheck.core.fused import FUSED_PAIRINGS, fused_comparison
from crosscheck.core.pieces import PieceCase, draw_Z, piece_cases, run_piece


@pytest.mark.parametrize("case", piece_cases(), ids=str)
def test_piece_agrees_with_torch(case):
    report = run_piece(case)
    assert report.ok, report.first_divergence()


def test_upstream_gradient_is_not_all_ones():
    """A softmax backward that returns zeros passes against an all-ones upstream; ours must not be one."""
    case = PieceCase("activation", "softmax")
    G = np.random.default_rng(case.seed + 1).normal(size=draw_Z(case).shape)
    assert np.ptp(G) > 1.0


@pytest.mark.parametrize("pairing", FUSED_PAIRINGS)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("m", [1, 7])
def test_shortcut_dZL_matches_fused_loss(pairing, reduction, dtype, m):
    report = fused_comparison(Case("tanh", pairing, reduction, "none", 2, m, dtype))
    assert report.ok, report.first_divergence()
