"""The case matrix itself: its size, its ids, its reproducibility, and that it reaches every kink."""

import numpy as np
import pytest

from crosscheck.core.cases import Case
from crosscheck.core.matrix import KINKS, MATRIX
from reference.network import forward

KINKED = ("relu", "leaky_relu", "elu")


def test_matrix_is_large_and_ids_unique():
    ids = [c.id for c in MATRIX + KINKS]
    assert len(MATRIX) >= 2000
    assert len(set(ids)) == len(ids)


def test_readable_id():
    case = Case("relu", "sigmoid_bce", "mean", "l2", 3, 7, "float64", 0)
    assert case.id == "relu-sigmoid_bce-mean-l2-d3-m7-float64-s0"


def test_draw_depends_on_the_seed_alone():
    case = Case("tanh", "softmax_cce", m=5, seed=3)
    first, again = case.draw(), Case("tanh", "softmax_cce", m=5, seed=3).draw()
    for a, b in zip(first[:2], again[:2]):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], Case("tanh", "softmax_cce", m=5, seed=4).draw()[0])


@pytest.mark.parametrize("hidden", KINKED)
def test_random_cases_reach_both_sides_of_the_kink(hidden):
    """Every hidden Z of every multi-example case has entries on both sides of 0."""
    for case in (c for c in MATRIX if c.hidden == hidden and c.m > 1):
        X, _, params = case.draw()
        _, caches = forward(X, params, case.activations)
        for cache in caches[:-1]:
            assert (cache["Z"] > 0).any() and (cache["Z"] < 0).any(), case.id


@pytest.mark.parametrize("hidden", KINKED)
def test_kink_cases_place_pre_activations_exactly_at_zero(hidden):
    for case in (c for c in KINKS if c.hidden == hidden):
        X, _, params = case.draw()
        _, caches = forward(X, params, case.activations)
        for cache in caches[:-1]:
            assert (cache["Z"] == 0).sum() >= cache["Z"].shape[0], case.id


@pytest.mark.parametrize("bad", [dict(pairing="relu_bce"), dict(hidden="swish"), dict(reg="l3"), dict(depth=1)])
def test_bad_case_is_refused(bad):
    fields = dict(hidden="relu", pairing="sigmoid_bce") | bad
    with pytest.raises(ValueError):
        Case(**fields)
