"""Bad input to the public reference API raises ValueError naming the argument, the expectation and what came."""

import numpy as np
import pytest

from reference import activations, losses, network, training
from reference.logistic import propagate

rng = np.random.default_rng(0)
X = rng.normal(size=(4, 3))
PARAMS = {"W1": rng.normal(size=(5, 4)), "b1": np.zeros((5, 1)), "W2": rng.normal(size=(1, 5)), "b2": np.zeros((1, 1))}
ACTS = ["relu", "sigmoid"]
AL = np.array([[0.2, 0.7, 0.5]])
Y = np.array([[0.0, 1.0, 1.0]])


CACHES = network.forward(X, PARAMS, ACTS)[1]
GRADS = network.backward(AL, Y, CACHES, "bce")


def with_param(key, value):
    return {**PARAMS, key: value}


def with_nan(array, index):
    array = np.array(array, dtype=float)
    array[index] = np.nan
    return array


# call, the words the message must contain
BAD_INPUTS = {
    "W does not chain": (
        lambda: network.forward(X, with_param("W2", np.ones((1, 4))), ACTS),
        ["W2", "chain", "(1, 4)"],
    ),
    "b wrong shape": (lambda: network.forward(X, with_param("b1", np.zeros((5,))), ACTS), ["b1", "2-D", "(5,)"]),
    "X has NaN": (lambda: network.forward(with_nan(X, (1, 2)), PARAMS, ACTS), ["X", "finite", "nan", "(1, 2)"]),
    "W has inf": (lambda: network.forward(X, with_param("W1", np.full((5, 4), np.inf)), ACTS), ["W1", "finite", "inf"]),
    "missing params": (
        lambda: network.forward(X, {"W1": PARAMS["W1"], "b1": PARAMS["b1"]}, ACTS),
        ["params", "missing", "W2"],
    ),
    "unknown activation": (lambda: network.forward(X, PARAMS, ["relu", "sigmod"]), ["activation", "sigmod", "sigmoid"]),
    "activations not a list": (lambda: network.forward(X, PARAMS, "relu"), ["activations", "list"]),
    "string dtype": (
        lambda: network.linear_forward(np.array([["a"]]), np.ones((1, 1)), np.ones((1, 1))),
        ["A_prev", "dtype"],
    ),
    "Y shape": (lambda: network.cost(AL, Y[:, :2], "bce"), ["Y", "(1, 3)", "(1, 2)"]),
    "bce labels": (lambda: network.cost(AL, np.array([[0.0, 2.0, 1.0]]), "bce"), ["Y", "{0, 1}", "2.0"]),
    "bce saturated": (lambda: network.cost(np.array([[0.0, 0.5, 1.0]]), Y, "bce"), ["AL", "(0, 1)"]),
    "cce not one-hot": (
        lambda: losses.cce(np.full((3, 2), 1 / 3), np.array([[1.0, 0.5], [0.0, 0.0], [0.0, 0.0]])),
        ["Y", "one-hot", "column 1"],
    ),
    "cce negative": (lambda: losses.cce(np.full((2, 1), 0.5), np.array([[1.5], [-0.5]])), ["Y", "non-negative"]),
    "unknown loss": (lambda: network.cost(AL, Y, "hinge"), ["loss", "hinge", "bce"]),
    "unknown reduction": (lambda: network.cost(AL, Y, "bce", reduction="avg"), ["reduction", "avg", "mean"]),
    "reg without params": (lambda: network.cost(AL, Y, "bce", l2=0.1), ["params", "regularization"]),
    "backward reduction": (
        lambda: network.backward(AL, Y, network.forward(X, PARAMS, ACTS)[1], "bce", "total"),
        ["reduction", "total"],
    ),
    "linear_backward shapes": (
        lambda: network.linear_backward(np.ones((5, 3)), np.ones((4, 2)), np.ones((5, 4))),
        ["A_prev", "3 columns", "(4, 2)"],
    ),
    "update NaN rate": (lambda: network.update(PARAMS, {}, float("nan")), ["learning_rate", "nan"]),
    "update missing grads": (lambda: network.update(PARAMS, {"dW1": 0}, 0.1), ["grads", "dW2"]),
    # db1 as a vector broadcast b1 into a 5 x 5 matrix, without a word
    "update gradient shape": (
        lambda: network.update(PARAMS, {**GRADS, "db1": GRADS["db1"].ravel()}, 0.1),
        ["db1", "(5, 1)", "(5,)"],
    ),
    "update gradient complex": (lambda: network.update(PARAMS, {**GRADS, "dW2": GRADS["dW2"] + 1j}, 0.1), ["dW2"]),
    # a NaN weight gave J = nan, a complex one a wrong real value, a list an AttributeError
    "regularization NaN W": (
        lambda: network.cost(AL, Y, "bce", params=with_param("W1", with_nan(PARAMS["W1"], (0, 0))), l2=0.1),
        ["W1", "finite", "nan"],
    ),
    "regularization complex W": (lambda: network.regularization({"W1": np.array([[1j]])}, l2=1), ["W1", "complex"]),
    "regularization params list": (lambda: network.regularization([PARAMS["W1"]], l2=1), ["params", "dict", "list"]),
    # an empty matrix: softmax's max over no row ended in NumPy's "zero-size array" words
    "softmax of no rows": (lambda: activations.forward("softmax", np.zeros((0, 3))), ["Z", "(0, 3)"]),
    "forward of no examples": (lambda: network.forward(X[:, :0], PARAMS, ACTS), ["X", "(4, 0)"]),
    # zero examples: the mean of nothing was a silent nan
    "reduce no examples": (lambda: losses.reduce(np.zeros((1, 0)), "mean"), ["L", "example", "(1, 0)"]),
    "cost no examples": (lambda: network.cost(AL[:, :0], Y[:, :0], "bce"), ["example", "(1, 0)"]),
    "propagate w shape": (lambda: propagate(np.ones((4, 2)), 0.0, X, Y), ["w", "1 columns", "(4, 2)"]),
    "propagate labels": (
        lambda: propagate(np.ones((4, 1)), 0.0, X, np.array([[0.0, 0.3, 1.0]])),
        ["Y", "{0, 1}", "0.3"],
    ),
    "1-D X": (lambda: network.forward(np.ones(4), PARAMS, ACTS), ["X", "2-D", "(4,)"]),
    # a malformed activation: an IndexError, a KeyError 0, a TypeError, or the extra part ignored
    **{
        f"activation {spec!r}": (lambda spec=spec: activations.forward(spec, X), ["activation", "(name, {"])
        for spec in [("relu",), ["relu"], {"relu": {}}, None, ("leaky_relu", 0.1), ("relu", None), ("elu", {}, "x")]
    },
    # caches not forward()'s, or an AL of another batch: a KeyError -1, a TypeError, NumPy's matmul words
    "backward caches dict": (lambda: network.backward(AL, Y, {"a": 1}, "bce"), ["caches", "forward()", "dict"]),
    "backward caches ints": (lambda: network.backward(AL, Y, [1, 2], "bce"), ["caches", "forward()", "int"]),
    "backward cache without Z": (
        lambda: network.backward(AL, Y, [{k: v for k, v in c.items() if k != "Z"} for c in CACHES], "bce"),
        ["caches", "Z"],
    ),
    "backward AL of another batch": (
        lambda: network.backward(AL[:, :2], Y[:, :2], CACHES, "bce"),
        ["AL", "(1, 3)", "(1, 2)"],
    ),
    # an unknown regime counted as mini-batch: 3 batches for "nonsense"
    "batches_per_epoch regime": (lambda: training.batches_per_epoch(5, "nonsense", 2), ["regime", "nonsense"]),
    "step_size batch_size 0": (lambda: training.step_size(5, "minibatch", 0), ["batch_size", "0"]),
    "step_size batch_size 2.5": (lambda: training.step_size(5, "minibatch", 2.5), ["batch_size", "2.5"]),
    "step_size m 0": (lambda: training.step_size(0, "batch"), ["m", "0"]),
    "batch_order m True": (lambda: training.batch_order(True, "batch", 1, 0), ["m", "True"]),
    # checked at the call, as train's docstring says: these were IndexErrors at the first step
    "train Y columns": (
        lambda: training.train(X, Y[:, :2], PARAMS, ACTS, "bce", [[np.arange(3)]], 0.1),
        ["Y", "3 columns", "(1, 2)"],
    ),
    "train loss": (lambda: training.train(X, Y, PARAMS, ACTS, "hinge", [[np.arange(3)]], 0.1), ["loss", "hinge"]),
    "train params": (lambda: training.train(X, Y, [1], ACTS, "bce", [[np.arange(3)]], 0.1), ["params", "dict"]),
}


@pytest.mark.parametrize("params", [{"slope": 0.2}, (("slope", 0.2),)], ids=["a dict", "pairs"])
def test_an_activation_takes_its_parameters_as_a_dict_or_as_pairs(params):
    Z = -np.abs(X) - 1  # every z < 0, where leaky_relu is slope z
    assert np.array_equal(activations.forward(("leaky_relu", params), Z), 0.2 * Z)


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_named(name):
    call, words = BAD_INPUTS[name]
    with pytest.raises(ValueError) as info:
        call()
    for word in words:
        assert word in str(info.value), f"{word!r} not in: {info.value}"
