"""The bad-input battery of the Python API of reference/: one row per bad call, one generic test.

Each row is (name, call, words the ValueError's message must contain). Anything else (another
exception, NumPy's own text, or a silent result) fails the row.
"""

import numpy as np
import pytest

from reference import activations, losses, network, training

rng = np.random.default_rng(13)
X = rng.normal(size=(4, 3))
Y = np.array([[0.0, 1.0, 1.0]])
PARAMS = {"W1": rng.normal(size=(2, 4)), "b1": np.zeros((2, 1)), "W2": rng.normal(size=(1, 2)), "b2": np.zeros((1, 1))}
ACTS = ["relu", "sigmoid"]
Z = rng.normal(size=(3, 2))
NAN_Z = np.array([[0.5, np.nan]])
AL, CACHES = network.forward(X, PARAMS, ACTS)
GRADS = network.backward(AL, Y, CACHES, "bce")
STRINGS = np.array([["a", "b"]])
OBJECTS = np.array([[object(), object()]], dtype=object)


def _train(**kw):
    batches = training.batch_order(3, "batch", 1, 0)
    args = {"learning_rate": 0.1, "l1": 0.0, "l2": 0.0, **kw}
    return list(training.train(X, Y, PARAMS, ACTS, "bce", batches, **args))


ROWS = [
    # regularization and learning rate: negative, NaN, inf, not a number
    *[
        (f"{fn} {arg}={v!r}", call, [arg])
        for arg in ("l1", "l2")
        for v in (-0.1, float("nan"), float("inf"), "0.1")
        for fn, call in (
            ("cost", lambda arg=arg, v=v: network.cost(AL, Y, "bce", params=PARAMS, **{arg: v})),
            ("backward", lambda arg=arg, v=v: network.backward(AL, Y, CACHES, "bce", **{arg: v})),
            ("regularization", lambda arg=arg, v=v: network.regularization(PARAMS, **{arg: v})),
            ("train", lambda arg=arg, v=v: _train(**{arg: v})),
        )
    ],
    *[
        (f"{fn} learning_rate={v!r}", call, ["learning_rate"])
        for v in (-0.1, "0.1", None)
        for fn, call in (
            ("update", lambda v=v: network.update(PARAMS, GRADS, v)),
            ("train", lambda v=v: _train(learning_rate=v)),
        )
    ],
    # activations by name: NaN, inf, strings, objects, wrong ndim
    *[
        (f"{fn} {name}", call, ["Z"])
        for name, bad in (("NaN", NAN_Z), ("inf", -NAN_Z * np.inf), ("strings", STRINGS), ("objects", OBJECTS))
        for fn, call in (
            ("forward", lambda bad=bad: activations.forward("sigmoid", bad)),
            ("derivative", lambda bad=bad: activations.derivative("tanh", bad)),
            ("backward", lambda bad=bad: activations.backward("relu", np.ones((1, 2)), bad, None)),
        )
    ],
    ("derivative 1-D", lambda: activations.derivative("relu", np.array([1.0, -1.0])), ["Z", "2-D"]),
    ("forward 1-D", lambda: activations.forward("relu", np.array([1.0, -1.0])), ["Z", "2-D"]),
    ("backward dA NaN", lambda: activations.backward("relu", NAN_Z, Z[:1], None), ["dA"]),
    ("backward dA shape", lambda: activations.backward("relu", np.ones((2, 2)), Z[:1], None), ["dA"]),
    ("forward param", lambda: activations.forward(("leaky_relu", {"slope": float("nan")}), Z), ["slope"]),
    # losses
    ("reduce NaN", lambda: losses.reduce(np.array([[np.nan]]), "mean"), ["L"]),
    ("scale m=0", lambda: losses.scale(0, "mean"), ["m"]),
    ("scale m=-1", lambda: losses.scale(-1, "sum"), ["m"]),
    # training order
    ("batch_order seed=-1", lambda: list(training.batch_order(3, "sgd", 1, -1)), ["seed"]),
]


@pytest.mark.parametrize("call, words", [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_bad_call(call, words):
    with pytest.raises(ValueError) as caught:
        call()
    message = str(caught.value)
    assert all(w in message for w in words), message
    assert "\n" not in message
