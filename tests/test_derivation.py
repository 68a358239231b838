"""`crosscheck derivation` on students' derivations: right ones pass in any form, wrong ones are named.

The student functions live as plain files under tests/derivations/{correct,wrong}/. The expected
diagnoses are what a teacher would say about each planted mistake, not output of the code under test.

The CLI runs in-process (cli.main); a fresh interpreter costs seconds for importing torch. The real
`python -m crosscheck derivation` process, started outside the checkout with its student code running
in the child, is tests/test_containment.py's Ctrl-C test.
"""

import functools
import importlib.util
import json
import pathlib
import sys

import numpy as np
import pytest

import crosscheck
from crosscheck.cli import main
from crosscheck.core.tolerances import FD_MARGIN, FD_RTOL, derivation_rtol
from crosscheck.derivation.probes import OPINIONS, TARGETS, probes_for

HERE = pathlib.Path(__file__).parent / "derivations"

# (target, file:function, extra CLI arguments): all must exit 0.
CORRECT = [
    ("sigmoid", "activations.py:sigmoid_s_one_minus_s", []),
    ("sigmoid", "activations.py:sigmoid_exp_form", []),
    ("sigmoid", "activations.py:sigmoid_cosh_form", []),
    ("tanh", "activations.py:tanh_one_minus_square", []),
    ("tanh", "activations.py:tanh_sech_square", []),
    ("tanh", "activations.py:tanh_via_sigmoid", []),
    ("relu", "activations.py:relu_where", []),
    ("relu", "activations.py:relu_heaviside", []),
    ("relu", "activations.py:relu_boolean", []),
    ("leaky_relu", "activations.py:leaky_relu_where", []),
    ("leaky_relu", "activations.py:leaky_relu_arith", []),
    ("elu", "activations.py:elu_where", []),
    ("elu", "activations.py:elu_from_output", []),
    ("identity", "activations.py:identity_ones_like", []),
    ("identity", "activations.py:identity_full", []),
    ("softmax", "layers.py:softmax_compact", []),
    ("softmax", "layers.py:softmax_jacobian_loop", []),
    ("softmax", "layers.py:softmax_einsum", []),
    ("bce", "losses.py:bce_documented", []),
    ("bce", "losses.py:bce_single_fraction", []),
    ("bce", "losses.py:bce_negated", []),
    ("cce", "losses.py:cce_divide", []),
    ("cce", "losses.py:cce_multiply", []),
    ("mse", "losses.py:mse_two_over_n", []),
    ("mse", "losses.py:mse_mean_form", []),
    ("sse", "losses.py:sse_two", []),
    ("sse", "losses.py:sse_negated", []),
    ("sigmoid_bce", "losses.py:sigmoid_bce_shortcut", []),
    ("sigmoid_bce", "losses.py:sigmoid_bce_chain", []),
    ("softmax_cce", "losses.py:softmax_cce_shortcut", []),
    ("softmax_cce", "losses.py:softmax_cce_jacobian", []),
    ("linear", "layers.py:linear_mean", []),
    ("linear", "layers.py:linear_mean_einsum", []),
    ("linear", "layers.py:linear_sum", ["--reduction", "sum"]),
    ("linear", "layers.py:linear_sum_transposes", ["--reduction", "sum"]),
    ("softplus", "activations.py:softplus_sigmoid", []),
    ("softplus", "activations.py:softplus_exp_ratio", []),
    ("silu", "activations.py:silu_product", []),
    ("silu", "activations.py:silu_sum", []),
    ("gelu", "activations.py:gelu_scipy", []),
    ("gelu", "activations.py:gelu_math_erf", []),
    ("two_layer", "networks.py:two_layer_vectorized", []),
    ("two_layer", "networks.py:two_layer_per_example", []),
    ("network", "networks.py:network_loop", []),
    ("network", "networks.py:network_chain_from_dA", []),
]

# (target, file:function, extra CLI arguments, words the diagnosis must contain): all must exit 1.
WRONG = [
    ("sigmoid", "activations.py:sigmoid_plus", [], "sign slip in (1 - g(z))"),
    ("sigmoid", "activations.py:sigmoid_on_z", [], "z in place of g(z)"),
    ("sigmoid", "activations.py:sigmoid_double", [], "your values are 2 times"),
    ("tanh", "activations.py:tanh_no_square", [], "the square is missing"),
    ("tanh", "activations.py:tanh_on_z", [], "tanh(z) replaced by z"),
    ("tanh", "activations.py:tanh_negated", [], "the opposite sign"),
    ("relu", "activations.py:relu_one_at_zero", [], "wrong only where z = 0 (the kink)"),
    ("relu", "activations.py:relu_forward", [], "g(z) itself"),
    ("relu", "activations.py:relu_raises", [], "raised ValueError"),
    ("leaky_relu", "activations.py:leaky_relu_zero_at_zero", [], "g'(0) = 0.01, you give 0"),
    ("leaky_relu", "activations.py:leaky_relu_negative_side", [], "wrong only where z <= 0"),
    ("elu", "activations.py:elu_wrong_negative", [], "wrong only where z <= 0"),
    ("elu", "activations.py:elu_forward", [], "g(z) itself"),
    ("identity", "activations.py:identity_zero", [], "zero everywhere"),
    ("identity", "activations.py:identity_scalar", [], "a scalar came back"),
    ("identity", "activations.py:identity_z", [], "g(z) itself"),
    ("softmax", "layers.py:softmax_diagonal", [], "diagonal of the Jacobian only"),
    ("softmax", "layers.py:softmax_sum_unweighted", [], "missing its weights"),
    ("softmax", "layers.py:softmax_sign", [], "the opposite sign"),
    ("bce", "losses.py:bce_sign", [], "log-likelihood"),
    ("bce", "losses.py:bce_half_sign", [], "wrong only where y = 0"),
    ("bce", "losses.py:bce_dz", [], "that is dZ[L]"),
    ("cce", "losses.py:cce_positive", [], "the opposite sign"),
    ("cce", "losses.py:cce_no_label", [], "the label y is missing"),
    ("cce", "losses.py:cce_mean_over_m", [], "1/m (the number of examples)"),
    ("mse", "losses.py:mse_missing_two", [], "your values are 1/2 times"),
    ("mse", "losses.py:mse_missing_n", [], "your values are n (the number of rows"),
    ("mse", "losses.py:mse_sign", [], "the opposite sign"),
    ("sse", "losses.py:sse_missing_two", [], "your values are 1/2 times"),
    ("sse", "losses.py:sse_sign", [], "the opposite sign"),
    ("sigmoid_bce", "losses.py:sigmoid_bce_sign", [], "the opposite sign"),
    ("sigmoid_bce", "losses.py:sigmoid_bce_dA", [], "dA[L] (the loss derivative) instead of dZ[L]"),
    ("sigmoid_bce", "losses.py:sigmoid_bce_over_m", [], "1/m (the number of examples)"),
    ("softmax_cce", "losses.py:softmax_cce_sign", [], "the opposite sign"),
    ("softmax_cce", "losses.py:softmax_cce_diagonal", [], "only the diagonal"),
    (
        "linear",
        "layers.py:linear_transposed_dW",
        [],
        "dW: wrong shape: got (4, 3), expected (3, 4) (the transpose's shape",
    ),
    (
        "linear",
        "layers.py:linear_missing_m",
        [],
        "dW: off by a constant factor: your values are m (the number of examples)",
    ),
    (
        "linear",
        "layers.py:linear_W_not_transposed",
        [],
        "dA_prev: matches a typical mistake: dA_prev = W dZ: W is not transposed",
    ),
    (
        "linear",
        "layers.py:linear_db_flat",
        [],
        "db: wrong shape: got (3,), expected (3, 1) (the column dimension was lost",
    ),
    ("linear", "layers.py:linear_dA_prev_over_m", [], "dA_prev: off by a constant factor: your values are 1/m"),
    ("linear", "layers.py:linear_two_outputs", [], "returned a tuple of 2, expected a tuple (dA_prev, dW, db)"),
    (
        "linear",
        "layers.py:linear_mean_under_sum",
        ["--reduction", "sum"],
        "dW: off by a constant factor: your values are 1/m",
    ),
    ("softplus", "activations.py:softplus_forward", [], "g(z) itself"),
    ("softplus", "activations.py:softplus_negated", [], "the opposite sign"),
    ("silu", "activations.py:silu_forward", [], "g(z) itself"),
    ("silu", "activations.py:silu_double", [], "your values are 2 times"),
    ("gelu", "activations.py:gelu_forward", [], "g(z) itself"),
    ("gelu", "activations.py:gelu_negated", [], "the opposite sign"),
    ("two_layer", "networks.py:two_layer_dW1_without_m", [], "dW1: off by a constant factor: your values are m"),
    ("two_layer", "networks.py:two_layer_no_sigmoid_prime", [], "g'(Z1) (sigmoid) is left out"),
    ("network", "networks.py:network_no_relu_prime", [], "dW1: matches a typical mistake: dZ1 = dA1"),
    ("network", "networks.py:network_db_flat", [], "db3: wrong shape: got (1,), expected (1, 1)"),
]


# The contained path (each check in a child process, as `crosscheck derivation` runs a student's file)
# for the first correct derivation of every target in float32 and its first wrong one in float64: the
# probes reach the child and its outputs come back for each target's arguments, outputs and both
# dtypes. Linear's correct one leaves b out of its signature, which only the contained path
# (judge_file) accepts. Every derivation, these included, is also judged in this process below: the
# verdict and diagnosis come from the same judge (derivation.judge.judge) either way, and the two
# paths gave identical results (verdict, diagnosis, notes, table, probes) for every derivation here
# in both dtypes when this split was made.
NO_B = ("linear", "layers.py:linear_without_b", [])


def _first_per_target(rows):
    first = {}
    for row in rows:
        first.setdefault(row[0], row)
    return list(first.values())


CONTAINED_CORRECT = [NO_B if row[0] == "linear" else row for row in _first_per_target(CORRECT)]
CONTAINED_WRONG = _first_per_target(WRONG)


def _run(target, spec, extra, capsys):
    code = main(["derivation", target, str(spec), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


@functools.cache
def _module(kind, file):
    spec = importlib.util.spec_from_file_location(f"derivations_{kind}_{file.removesuffix('.py')}", HERE / kind / file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _judge_here(target, kind, spec, extra, dtype="float64"):
    """The student's function imported and judged in this process (crosscheck.check_derivation)."""
    file, name = spec.split(":")
    reduction = "sum" if "sum" in extra else "mean"
    return crosscheck.check_derivation(target, getattr(_module(kind, file), name), reduction, dtype)


def _assert_diagnosed(target, extra, diagnosis, words):
    assert any(words in d for d in diagnosis), diagnosis
    ids = set(TARGETS[target].equation_ids("sum" if "sum" in extra else "mean")) - {""} or {
        "an extension beyond the documents"
    }
    assert any(i in d for d in diagnosis for i in ids), "the diagnosis names the catalogue equation"


@pytest.mark.parametrize("target,spec,extra", CORRECT, ids=lambda v: v if isinstance(v, str) else None)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_correct_derivation_passes(target, spec, extra, dtype):
    result = _judge_here(target, "correct", spec, extra, dtype)
    assert result.exit_code == 0, result.diagnosis + result.table
    assert result.verdict == "agrees" and result.diagnosis == []


@pytest.mark.parametrize("target,spec,extra,words", WRONG, ids=lambda v: v if isinstance(v, str) else None)
def test_wrong_derivation_is_diagnosed(target, spec, extra, words):
    result = _judge_here(target, "wrong", spec, extra)
    assert result.exit_code == 1
    assert result.verdict == "disagrees"
    _assert_diagnosed(target, extra, result.diagnosis, words)


@pytest.mark.parametrize("target,spec,extra", CONTAINED_CORRECT, ids=lambda v: v if isinstance(v, str) else None)
def test_correct_derivation_passes_contained_through_the_cli(target, spec, extra, capsys):
    code, result = _run(target, HERE / "correct" / spec, [*extra, "--dtype", "float32"], capsys)
    assert code == 0, result["diagnosis"] + result["table"]
    assert result["verdict"] == "agrees" and result["diagnosis"] == [] and result["outcome"] == "judged"


@pytest.mark.parametrize("target,spec,extra,words", CONTAINED_WRONG, ids=lambda v: v if isinstance(v, str) else None)
def test_wrong_derivation_is_diagnosed_contained_through_the_cli(target, spec, extra, words, capsys):
    code, result = _run(target, HERE / "wrong" / spec, extra, capsys)
    assert code == 1
    assert result["verdict"] == "disagrees" and result["outcome"] == "judged"
    _assert_diagnosed(target, extra, result["diagnosis"], words)


def test_every_target_has_two_correct_and_two_wrong():
    for target in TARGETS:
        assert sum(t == target for t, *_ in CORRECT) >= 2
        assert sum(t == target for t, *_ in WRONG) >= 2


def test_every_target_is_also_judged_contained():
    for rows in (CONTAINED_CORRECT, CONTAINED_WRONG):
        assert sorted(t for t, *_ in rows) == sorted(TARGETS)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_opinions_agree_with_each_other(target, dtype):
    """The three judges must agree before they judge a student (PyTorch vs reference vs differences)."""
    rtol = derivation_rtol(dtype)
    for probe in probes_for(target, dtype):
        for o, scale in enumerate(probe.scale):
            torch_, ref, fd = (probe.opinions[name][o] for name in OPINIONS)
            assert np.all(np.abs(torch_ - ref) <= rtol * scale), probe.label
            judged = ~np.isnan(fd)
            assert np.all(np.abs(fd - ref)[judged] <= (FD_RTOL * scale + FD_MARGIN * probe.fd_error[o])[judged]), (
                probe.label
            )


def test_probes_reach_the_kinks_and_the_edges():
    Z = np.concatenate([p.args[0].ravel() for p in probes_for("relu")])
    assert (Z == 0).any() and (Z > 0).any() and (Z < 0).any() and np.abs(Z).max() >= 20
    AL = np.concatenate([p.args[0].ravel() for p in probes_for("bce")])
    assert AL.min() <= 1e-10 and AL.max() >= 1 - 1e-10
    shapes = [p.args[2].shape for p in probes_for("linear")]
    assert any(n == k for n, k in shapes) and any(n != k for n, k in shapes)
    assert any(p.args[0].shape[1] == 1 for p in probes_for("linear"))
    dA = probes_for("softmax")[0].args[0]
    assert not np.allclose(dA, dA[0, 0]), "the upstream gradient is random, not all ones"


def test_kink_is_reported_as_skipped_by_finite_differences(capsys):
    code = main(["derivation", "relu", str(HERE / "wrong" / "activations.py:relu_one_at_zero")])
    out = capsys.readouterr().out
    assert code == 1
    assert "skipped (kink)" in out and "finite differences skipped at" in out
    assert "disagrees with: PyTorch autograd, reference\n" in out


def test_python_api_returns_verdict_diagnosis_and_table():
    result = crosscheck.check_derivation("sse", lambda AL, Y: AL - Y)
    assert not result.ok and result.exit_code == 1
    assert any("1/2" in d for d in result.diagnosis)
    assert result.table and set(OPINIONS) <= set(result.table[0])
    assert crosscheck.check_derivation("sse", lambda AL, Y: 2 * (AL - Y)).ok


def test_python_api_names_a_target_that_is_no_name_and_judges_an_exit():
    """A list as target was "unhashable type"; a function calling sys.exit ended the caller's process."""
    with pytest.raises(ValueError, match="unknown target"):
        crosscheck.check_derivation(["relu"], lambda Z: Z)
    result = crosscheck.check_derivation("relu", lambda Z: sys.exit(3))
    assert not result.ok and "raised SystemExit" in " ".join(result.diagnosis)


def test_overflow_in_student_code_is_not_a_crash():
    def noisy(Z):
        e = np.exp(-Z * 30)  # overflows at z = -35: inf / inf = nan there
        return (e / (1 + e) ** 2) * 30

    result = crosscheck.check_derivation("sigmoid", noisy)
    assert not result.ok
    assert any("non-finite" in d or "no simple pattern" in d for d in result.diagnosis)


@pytest.mark.parametrize(
    "argv",
    [
        ["derivation", "softplus", "x.py:f"],
        ["derivation", "relu", str(HERE / "missing.py") + ":f"],
        ["derivation", "relu", str(HERE / "correct" / "activations.py") + ":nope"],
        ["derivation", "relu", str(HERE / "correct" / "activations.py") + ":np"],
        ["derivation", "relu", str(HERE / "correct" / "activations.py")],
    ],
)
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main(argv))
    assert exit_info.value.code == 2


def test_cli_names_the_planted_mistake(capsys):
    argv = ["derivation", "softmax", str(HERE / "wrong" / "layers.py:softmax_diagonal"), "--dtype", "float32"]
    assert main(argv) == 1
    assert "diagonal" in capsys.readouterr().out


def test_cli_help_lists_every_target(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["derivation", "--help"])
    assert exit_info.value.code == 0
    helptext = capsys.readouterr().out
    for target in TARGETS.values():
        assert target.name in helptext and target.signature in helptext
    assert "def relu_prime(Z):" in helptext


def test_every_named_equation_is_in_the_catalogue():
    """The ids a diagnosis names must exist in the catalogue, under both reductions."""
    from crosscheck.catalogue.runner import load
    from crosscheck.derivation.targets import TARGETS

    entries = load()
    for target in (t for t in TARGETS.values() if not t.extension):
        for reduction in ("mean", "sum"):
            for i in target.equation_ids(reduction):
                assert i in entries, (target.name, reduction, i)
