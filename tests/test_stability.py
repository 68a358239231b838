"""Sigmoid, softmax and ELU stay finite and warning-free at |z| = 1000, and match torch there."""

import warnings

import numpy as np
import pytest
import torch

from reference import activations
from torch_impl.modules import activation_module

EXTREME = np.array([[-1000.0, -50.0, 0.0, 50.0, 1000.0]])
SATURATING = ["elu", "sigmoid", "softmax", "softplus", "tanh"]


@pytest.mark.parametrize("name", SATURATING)
def test_extreme_inputs_are_finite_and_silent(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is the right answer
            Z = EXTREME.T if name == "softmax" else EXTREME
            A = activations.forward(name, Z)
            dZ = activations.backward(name, np.ones_like(Z), Z, A)
    expected = (
        activation_module(name, **activations.ACTIVATIONS[name].defaults())(torch.as_tensor(Z).T).numpy().T
    )  # torch's rows
    assert np.all(np.isfinite(A)) and np.all(np.isfinite(dZ))
    np.testing.assert_allclose(A, expected, rtol=1e-15, atol=0)


def test_sigmoid_keeps_relative_precision_in_the_tail():
    """sigma(-30) is about 9.4e-14: a form like 0.5 (1 + tanh(z/2)) loses every digit of it."""
    z = np.array([[-30.0, -700.0]])
    np.testing.assert_allclose(activations.sigmoid(z), torch.sigmoid(torch.as_tensor(z)).numpy(), rtol=1e-15)
