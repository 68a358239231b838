"""The public API on your own code: right functions pass, planted mistakes fail with their diagnosis.

Right answers come from the mathematics (softplus' = sigmoid, d BCE/da = (a - y) / (a (1 - a)),
dW = (1/m) dZ A_prev^T) and the torch callables given; wrong ones carry one planted mistake each,
and the words the diagnosis must hold are what a teacher would say about it.
"""

import pathlib
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import crosscheck
from reference import network


def softplus(Z):
    return np.logaddexp(0.0, Z)


def sigmoid(Z):
    return 0.5 * (1 + np.tanh(Z / 2))  # the logistic function, free of overflow


def bce(A, Y):
    return -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))


def d_bce(A, Y):
    return (A - Y) / (A * (1 - A)) / A.size  # F.binary_cross_entropy averages over every element


def linear_forward(A_prev, W, b):
    return W @ A_prev + b


def linear_backward(dZ, A_prev, W, b):
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


# (name, check, arguments, words the message must hold; () means it must pass)
CASES = [
    ("softplus right", "activation", (softplus, sigmoid, F.softplus), ()),
    ("relu right", "activation", (lambda Z: np.maximum(Z, 0), lambda Z: (Z > 0) * 1.0, torch.relu), ()),
    (
        "relu'(0) = 1",
        "activation",
        (lambda Z: np.maximum(Z, 0), lambda Z: (Z >= 0) * 1.0, torch.relu),
        ("z = 0", "wrong only in the kink"),
    ),
    (
        "softplus' cut off in saturation",
        "activation",
        (softplus, lambda Z: np.where(Z >= 20, 0.0, sigmoid(Z)), F.softplus),
        ("saturated", "(z = 20): your function 0, torch 0.99999999"),
    ),
    ("softplus' = softplus", "activation", (softplus, softplus, F.softplus), ("g(z) itself",)),
    ("sign slip", "activation", (softplus, lambda Z: -sigmoid(Z), F.softplus), ("opposite sign",)),
    ("bce right", "loss", (bce, d_bce, F.binary_cross_entropy), ()),
    ("bce 1/m forgotten", "loss", (bce, lambda A, Y: d_bce(A, Y) * A.size, F.binary_cross_entropy), ("6 times",)),
    ("linear right", "layer", (linear_forward, linear_backward, torch.nn.Linear(4, 3)), ()),
    (
        "linear dW without 1/m",
        "layer",
        (
            linear_forward,
            lambda dZ, A, W, b: (W.T @ dZ, dZ @ A.T, np.mean(dZ, 1, keepdims=True)),
            torch.nn.Linear(4, 3),
        ),
        ("dW", "4 times", "m = 4"),
    ),
    (
        "linear dA_prev transposed",
        "layer",
        (linear_forward, lambda dZ, A, W, b: (W @ dZ, *linear_backward(dZ, A, W, b)[1:]), torch.nn.Linear(4, 4)),
        ("dA_prev: ", "first wrong element"),
    ),
]


@pytest.mark.parametrize(("name", "kind", "args", "words"), CASES, ids=[c[0] for c in CASES])
def test_assert_helpers(name, kind, args, words):
    helper = getattr(crosscheck, f"assert_{kind}")
    if not words:
        assert helper(*args).ok
        return
    with pytest.raises(AssertionError) as caught:
        helper(*args)
    message = str(caught.value)
    assert "your function disagrees with torch" in message
    assert "reference" not in message
    for word in words:
        assert word in message, message


def _net_forward(X, params):
    return network.forward(X, params, ["relu", "sigmoid"])


def _net_backward(AL, Y, caches):
    return network.backward(AL, Y, caches, "bce")


def test_network_right_and_wrong():
    sizes, acts = [4, 5, 1], ["relu", "sigmoid"]
    assert crosscheck.assert_network(_net_forward, _net_backward, sizes, acts, "bce").ok

    def forgets_relu_kink(AL, Y, caches):  # dW1 built from dZ1 without relu' (dZ1 = dA1)
        grads = _net_backward(AL, Y, caches)
        dA1, A0 = grads["dA1"], caches[0]["A_prev"]
        grads["dW1"] = dA1 @ A0.T / A0.shape[1]
        return grads

    with pytest.raises(AssertionError, match="dW1") as caught:
        crosscheck.assert_network(_net_forward, forgets_relu_kink, sizes, acts, "bce")
    assert "dW2" not in str(caught.value).split("dW1")[0]  # dW2 and db2 were right: dW1 is named first


def test_your_code_raising_is_a_disagreement_not_a_crash():
    def broken(Z):
        raise ZeroDivisionError("oops")

    result = crosscheck.check_activation(softplus, broken, F.softplus)
    assert not result.ok and "your function raised ZeroDivisionError: oops" in result.message


def test_a_complex_answer_is_not_its_real_part():
    """sigmoid' + 1j passed: NumPy dropped the imaginary part with a warning."""
    result = crosscheck.check_activation(sigmoid, lambda Z: sigmoid(Z) * (1 - sigmoid(Z)) + 1j, torch.sigmoid)
    assert not result.ok and "complex" in result.message


def test_a_torch_function_that_is_not_elementwise_is_refused():
    """g'(Z) is the diagonal of g's Jacobian only where that is all of it: for softmax the product
    with ones was 0, and a g' of zeros agreed with torch."""
    softmax = lambda Z: np.exp(Z) / np.exp(Z).sum(axis=0, keepdims=True)  # noqa: E731
    with pytest.raises(ValueError, match="^torch_g: expected an elementwise function"):
        crosscheck.check_activation(softmax, lambda Z: np.zeros_like(Z), lambda Z: torch.softmax(Z, 0))


# Elementwise, with derivatives that cancel (z - tanh z near 0) or come from two paths: a check with a
# tolerance refused these, since v * a - v * b rounds apart from v * (a - b)
ELEMENTWISE = {
    "tanhshrink": (lambda Z: Z - np.tanh(Z), lambda Z: np.tanh(Z) ** 2, F.tanhshrink),
    "softplus(z) - z": (
        lambda Z: np.logaddexp(0, Z) - Z,
        lambda Z: 1 / (1 + np.exp(-Z)) - 1,
        lambda z: F.softplus(z) - z,
    ),
    "silu - z/2": (
        lambda Z: Z / (1 + np.exp(-Z)) - Z / 2,
        lambda Z: (s := 1 / (1 + np.exp(-Z))) + Z * s * (1 - s) - 0.5,
        lambda z: z * torch.sigmoid(z) - z / 2,
    ),
}


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_an_elementwise_torch_g_is_taken_whatever_its_roundings(name):
    g, g_prime, torch_g = ELEMENTWISE[name]
    result = crosscheck.check_activation(g, g_prime, torch_g)  # no ValueError: judged, and right
    assert result.ok, result.message


def test_an_elementwise_torch_g_with_an_infinite_derivative_is_judged_not_refused():
    """sqrt|z| at z = 0: inf and nan in its derivative are no sign of other z mattering."""
    result = crosscheck.check_activation(
        lambda Z: np.sqrt(np.abs(Z)),
        lambda Z: np.sign(Z) / (2 * np.sqrt(np.abs(Z))),
        lambda z: torch.sqrt(torch.abs(z)),
    )
    assert not result.ok and "wrong only in the kink" in result.message  # judged: nan there agrees with nothing


@pytest.mark.parametrize("argument", ["g", "g_prime", "torch_g"])
def test_what_is_not_callable_is_named_not_judged(argument):
    """Your function missing is bad usage, not "your function raised TypeError" (a disagreement)."""
    given = {"g": sigmoid, "g_prime": lambda Z: sigmoid(Z) * (1 - sigmoid(Z)), "torch_g": torch.sigmoid}
    with pytest.raises(ValueError, match=f"^{argument}: expected a callable, got None"):
        crosscheck.check_activation(**(given | {argument: None}))


def _raises(Z):
    raise ZeroDivisionError("in the torch function")


# Your torch reference or the network's description wrong: a ValueError naming the argument, where
# a ZeroDivisionError, torch's RuntimeError or a name read letter by letter ("unknown 'r'") came.
TORCH_SIDE = {
    "torch_g raises": (
        lambda: crosscheck.check_activation(softplus, sigmoid, _raises),
        "torch_g: expected a torch function of tensors, got one that raised ZeroDivisionError",
    ),
    # autograd cannot follow it: its derivative came out 0, and a right g' was failed ("torch 0")
    "torch_g detached": (
        lambda: crosscheck.check_activation(
            sigmoid, lambda Z: sigmoid(Z) * (1 - sigmoid(Z)), lambda z: torch.sigmoid(z).detach()
        ),
        "torch_g: expected a function autograd can differentiate",
    ),
    "torch_loss not scalar": (
        lambda: crosscheck.check_loss(bce, d_bce, lambda A, Y: F.binary_cross_entropy(A, Y, reduction="none")),
        "torch_loss: expected a scalar",
    ),
    "sizes negative": (
        lambda: crosscheck.check_network(_net_forward, _net_backward, [3, -4, 1], ["relu", "sigmoid"], "bce"),
        "sizes: expected",
    ),
    "sizes zero": (
        lambda: crosscheck.check_network(_net_forward, _net_backward, [3, 0, 1], ["relu", "sigmoid"], "bce"),
        "sizes: expected",
    ),
    "activations a string": (
        lambda: crosscheck.check_network(_net_forward, _net_backward, [3, 1], "sigmoid", "bce"),
        "activations: expected a list",
    ),
    "a convolution": (  # its 3-D weight was taken for a bias: torch's "shape '[3, 2, 2]' is invalid"
        lambda: crosscheck.check_layer(
            lambda A, W, b: W @ A + b, lambda dZ, A, W, b: (dZ, dZ, dZ), torch.nn.Conv1d(2, 3, 2)
        ),
        "torch_module: expected a layer",
    ),
    "activations with parameters": (
        lambda: crosscheck.check_network(_net_forward, _net_backward, [3, 1], [("elu", {"alpha": 2.0})], "bce"),
        "activations: unknown",
    ),
    "activations too few": (
        lambda: crosscheck.check_network(_net_forward, _net_backward, [3, 4, 1], ["sigmoid"], "bce"),
        "activations: expected 2",
    ),
}


@pytest.mark.parametrize("case", TORCH_SIDE)
def test_a_bad_torch_reference_or_network_is_named(case):
    call, words = TORCH_SIDE[case]
    with pytest.raises(ValueError, match=f"^{words}"):
        call()


def test_numpy_integers_are_taken_as_sizes_and_seeds():
    sizes, acts = np.array([3, 4, 1]), ["relu", "sigmoid"]
    assert crosscheck.check_network(_net_forward, _net_backward, sizes, acts, "bce", seed=np.int64(5)).ok


def test_your_function_leaving_is_a_disagreement_not_the_end_of_the_caller():
    result = crosscheck.check_activation(sigmoid, lambda Z: sys.exit(3), torch.sigmoid)
    assert not result.ok and "raised SystemExit" in result.message


def test_draws_are_seeded():
    a = crosscheck.check_activation(softplus, lambda Z: -sigmoid(Z), F.softplus, seed=3).message
    b = crosscheck.check_activation(softplus, lambda Z: -sigmoid(Z), F.softplus, seed=3).message
    assert a == b


def test_bad_arguments_are_value_errors():
    with pytest.raises(ValueError, match="unknown 'swish'"):
        crosscheck.check_network(_net_forward, _net_backward, [4, 1], ["swish"], "bce")
    with pytest.raises(ValueError, match="kind"):
        crosscheck.check_loss(bce, d_bce, F.binary_cross_entropy, kind="ordinal")


README = pathlib.Path(__file__).parent.parent / "README.md"


def _readme_example():
    text = README.read_text().split("## Your own code against PyTorch", 1)[1]
    return text.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_five_line_example_runs_and_catches_a_wrong_derivative():
    source = _readme_example()
    assert len([line for line in source.splitlines() if line.strip()]) == 5
    exec(source, {})  # the right softplus' passes
    wrong = source.replace("1 / (1 + np.exp(-Z))", "1 / (1 + np.exp(Z))")
    assert wrong != source
    with pytest.raises(AssertionError, match="your function disagrees with torch"):
        exec(wrong, {})
