"""The case matrix itself: its size, its ids, its reproducibility, and that it reaches every kink."""

import types

import numpy as np
import pytest

from crosscheck.core import traces
from crosscheck.core.cases import Case
from crosscheck.core.matrix import KINKS, MATRIX
from crosscheck.core.ops import ACTIVATIONS, HIDDEN
from crosscheck.core.traces import reference_trace, torch_trace, twin_for
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


# Each refused when the Case is made, naming its field: depth 0 once ran a one-layer network, compared
# J and dA0 only and passed as "d0"; the others failed later, inside run_case, in NumPy's words.
BAD_CASES = [
    dict(pairing="relu_bce"),
    dict(hidden="swish"),
    dict(reg="l3"),
    dict(depth=1),
    dict(depth=0),
    dict(depth=-1),
    dict(depth=2.0),
    dict(depth=True),
    dict(m=0),
    dict(m=-3),
    dict(m=2.5),
    dict(m=True),
    dict(seed=-1),
    dict(seed=1.5),
    dict(seed=True),
    dict(dtype="float16"),
    dict(reduction="avg"),
    dict(kink="yes"),
    dict(n_out=True),
]


def test_numpy_integers_are_whole_numbers_too():
    """What an array hands out (np.int64, np.bool_) is as good as int and bool."""
    case = Case(
        hidden="relu", pairing="sigmoid_bce", depth=np.int64(2), m=np.int64(5), seed=np.int64(3), kink=np.bool_(False)
    )
    assert case.sizes == Case(hidden="relu", pairing="sigmoid_bce", m=5, seed=3).sizes


@pytest.mark.parametrize("bad", BAD_CASES, ids=[f"{k}={v!r}" for b in BAD_CASES for k, v in b.items()])
def test_bad_case_is_refused(bad):
    fields = dict(hidden="relu", pairing="sigmoid_bce") | bad
    one_layer = type(bad.get("depth")) is int and bad["depth"] == 1  # no hidden layer: "hidden" is named
    named = "hidden" if one_layer else next(iter(bad))
    with pytest.raises(ValueError, match=f"^{named}: "):
        Case(**fields)


def test_every_activation_parameter_is_drawn_over_its_range_not_only_its_default():
    """leaky_relu's slope and elu's alpha (every registered parameter) vary across the matrix."""
    for hidden in HIDDEN:
        for name, param in ACTIVATIONS[hidden].params.items():
            drawn = {dict(c.params)[name] for c in MATRIX if c.hidden == hidden}
            assert len(drawn) >= 10, (hidden, name)
            assert all(param.low <= v <= param.high for v in drawn), (hidden, name)


def test_kink_cases_keep_the_documented_defaults():
    assert all(c.params == () for c in KINKS)


def test_multi_label_bce_has_several_sigmoid_units_with_binary_labels():
    cases = [c for c in MATRIX if c.loss == "bce" and c.n_out > 1]
    assert len(cases) >= 100
    X, Y, params = cases[0].draw()
    assert Y.shape[0] == cases[0].sizes[-1] == 3 and set(np.unique(Y)) <= {0.0, 1.0}


@pytest.mark.parametrize("hidden, name, value", [("leaky_relu", "slope", 0.3), ("elu", "alpha", 2.5)])
def test_a_drawn_parameter_reaches_both_implementations(hidden, name, value):
    """A1 on the negative side is g(Z1) with the case's parameter, in the reference and in torch."""
    case = Case(hidden, "identity_mse", depth=2, m=7, params=((name, value),))
    assert f"[{name}={value:g}]" in case.id
    data = case.draw()
    expected = {"slope": lambda Z: value * Z, "alpha": lambda Z: value * np.expm1(Z)}[name]
    for trace in (reference_trace(case, data), torch_trace(case, data)):
        Z, A = trace["Z1"], trace["A1"]
        assert np.any(Z < 0)
        np.testing.assert_allclose(A[Z < 0], expected(Z[Z < 0]), rtol=1e-12)


def test_a_reused_twin_traces_what_a_new_one_traces():
    """torch_trace reuses one twin per network (traces.twin_for). Run after a case of the same network
    with other weights and data, it gives a new twin's trace bit for bit: every weight and bias
    overwritten, no gradient carried over (the l2 term's included)."""
    before, after = (Case("leaky_relu", "softmax_cce", reg="l2", depth=3, m=5, seed=s) for s in (1, 2))
    assert twin_for(before) is twin_for(after)
    assert twin_for(after) is not twin_for(
        Case("leaky_relu", "softmax_cce", reg="l2", depth=3, params=(("slope", 0.3),))
    )
    assert twin_for(after) is not twin_for(Case("leaky_relu", "softmax_cce", reg="l2", depth=3, dtype="float32"))
    realistic = types.SimpleNamespace(
        sizes=[784, 256, 10], activations=[("relu", {}), ("softmax", {})], dtype="float32"
    )
    assert twin_for(realistic) is not twin_for(realistic), "a large twin is built per case, not kept"
    torch_trace(before)
    reused = torch_trace(after)
    traces._twin.cache_clear()
    new = torch_trace(after)
    assert reused.keys() == new.keys()
    for name in new:
        np.testing.assert_array_equal(reused[name], new[name], err_msg=name)


def test_unknown_case_parameter_is_refused():
    with pytest.raises(ValueError, match="slope"):
        Case("elu", "identity_mse", params=(("slope", 0.2),))
