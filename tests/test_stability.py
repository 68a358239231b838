"""Sigmoid, softmax and ELU stay finite and warning-free at |z| = 1000, and match torch there; every
activation keeps float32 as float32; the by-name g'(Z) honours the parameters it is given."""

import warnings

import numpy as np
import pytest
import torch

from reference import activations, losses
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


HUGE = np.array([[-1e308, -1e200, 1e200, 1e308]])


@pytest.mark.parametrize("name", activations.ELEMENTWISE)
def test_derivatives_at_the_largest_z_are_finite_and_silent(name):
    """gelu' squared z: z * z overflowed to inf (its density then 0, the value right) with a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dZ = activations.derivative(name, HUGE)
    assert np.all(np.isfinite(dZ)), dZ


def test_sigmoid_keeps_relative_precision_in_the_tail():
    """sigma(-30) is about 9.4e-14: a form like 0.5 (1 + tanh(z/2)) loses every digit of it."""
    z = np.array([[-30.0, -700.0]])
    np.testing.assert_allclose(activations.sigmoid(z), torch.sigmoid(torch.as_tensor(z)).numpy(), rtol=1e-15)


def test_softmax_columns_far_apart_are_each_their_own_distribution():
    """Column 0 sits near 1000, column 1 near 0: shifting by the whole matrix's maximum instead of each
    column's underflows column 1 to 0/0. Both columns are softmax([0, 1]) = [1, e] / (1 + e)."""
    Z = np.array([[1000.0, 0.0], [1001.0, 1.0]])
    expected = np.array([1.0, np.e]) / (1.0 + np.e)
    with np.errstate(all="raise"):
        A = activations.softmax(Z)
    np.testing.assert_allclose(A, np.column_stack([expected, expected]), rtol=1e-15)


@pytest.mark.parametrize("name", sorted(activations.ACTIVATIONS))
def test_every_activation_keeps_float32(name):
    """A float64 detour inside g or g' would change the rounding the float32 comparison judges."""
    Z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    A = activations.forward(name, Z)
    dZ = activations.backward(name, np.ones_like(Z), Z, A)
    assert (A.dtype, dZ.dtype) == (np.float32, np.float32), name


PARAMETRISED = [(name, r) for name, r in sorted(activations.ACTIVATIONS.items()) if r.params]


@pytest.mark.parametrize("name, record", PARAMETRISED, ids=[name for name, _ in PARAMETRISED])
def test_derivative_by_name_honours_its_parameters(name, record):
    """g'(Z) with a parameter away from its default (the top of its drawn range) against torch's autograd
    of the module built with that parameter."""
    params = {key: p.high for key, p in record.params.items()}
    assert params != record.defaults(), name
    Z = np.array([[-2.0, -0.5, 0.5, 2.0]])
    z = torch.as_tensor(Z).requires_grad_()
    activation_module(name, **params)(z).sum().backward()
    np.testing.assert_allclose(activations.derivative((name, params), Z), z.grad.numpy(), rtol=1e-14)


def test_cce_costs_nothing_for_a_zero_probability_on_a_wrong_class():
    """Softmax underflows far classes to exactly 0; y log a is 0 there (y = 0), not 0 x log 0 = nan.
    torch's cross_entropy on the same logits is the oracle."""
    Z = np.array([[0.0, 0.0], [-1000.0, 0.0]])
    Y = np.array([[1.0, 0.0], [0.0, 1.0]])
    AL = activations.softmax(Z)
    assert AL[1, 0] == 0.0
    with np.errstate(all="raise"):
        L = losses.cce(AL, Y)
    expected = torch.nn.functional.cross_entropy(torch.as_tensor(Z.T), torch.as_tensor(Y.T), reduction="none")
    np.testing.assert_allclose(L[0], expected.numpy(), rtol=1e-15, atol=1e-300)
