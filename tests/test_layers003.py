"""Document 003's layer objects against torch: each layer, the softmax Jacobian forms, a whole sequential network."""

import numpy as np
import pytest
import torch
from torch import nn

from crosscheck.core.tolerances import tolerance_for
from reference import activations as act
from reference import layers
from torch_impl.doc_models import linear, sequential_trace, sequential_train

RTOL = tolerance_for("float64").rtol
SEEDS = [0, 1, 2]


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=0, atol=RTOL * max(np.max(np.abs(b)), 1e-300))


@pytest.mark.parametrize("seed", SEEDS)
def test_dense_forward_backward_and_step_match_linear_and_sgd(seed):
    r = np.random.default_rng(seed)
    layer = layers.Dense(5, 3, rng=r)
    x, dY = r.normal(size=(5, 1)), r.normal(size=(3, 1))
    lin = linear(layer.W, layer.b)
    X = torch.tensor(x, requires_grad=True)
    Y = lin(X.T)
    (Y * torch.tensor(dY).T).sum().backward()
    close(layer.forward(x), Y.detach().numpy().T)
    torch.optim.SGD(lin.parameters(), lr=0.2).step()
    close(layer.backward(dY, 0.2), X.grad.numpy())  # dC/dX uses W before the step
    close(layer.W, lin.weight.detach().numpy())
    close(layer.b, lin.bias.detach().numpy()[:, None])


@pytest.mark.parametrize("cls,module", [(layers.Tanh, nn.Tanh), (layers.Sigmoid, nn.Sigmoid), (layers.ReLU, nn.ReLU)])
def test_activation_layers_match_torch_modules_at_the_kink_too(cls, module):
    x = np.array([[0.0], [-1.3], [0.7], [2.5], [-0.2]])
    dY = np.array([[0.3], [-1.1], [0.8], [0.5], [-2.0]])
    X = torch.tensor(x, requires_grad=True)
    out = module()(X)
    (out * torch.tensor(dY)).sum().backward()
    layer = cls()
    close(layer.forward(x), out.detach().numpy())
    close(layer.backward(dY, 0.1), X.grad.numpy())


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_jacobian_form_equals_shortcut_and_autograd(seed):
    r = np.random.default_rng(seed)
    x, dY = r.normal(size=(6, 1)) * 3, r.normal(size=(6, 1))
    layer = layers.Softmax()
    y = layer.forward(x)
    jac = layer.backward(dY, 0.0)
    X = torch.tensor(x, requires_grad=True)
    (torch.softmax(X, dim=0) * torch.tensor(dY)).sum().backward()
    close(jac, X.grad.numpy())
    close(act.softmax_backward(dY, y), jac)
    J = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=0), torch.tensor(x[:, 0])).numpy()
    close(layers.softmax_jacobian_form(y), J)
    close(layers.softmax_jacobian(y), J)


def test_mse_and_prime_match_mseloss():
    y_star, y = np.array([[1.0], [0.0], [-2.0]]), np.array([[0.5], [0.25], [-1.0]])
    Y = torch.tensor(y, requires_grad=True)
    C = nn.MSELoss()(Y, torch.tensor(y_star))
    C.backward()
    close(layers.mse(y_star, y), C.item())
    close(layers.mse_prime(y_star, y), Y.grad.numpy())


def _net(seed):
    r = np.random.default_rng(seed)
    return [
        layers.Dense(2, 4, rng=r),
        layers.Tanh(),
        layers.Dense(4, 3, rng=r),
        layers.ReLU(),
        layers.Dense(3, 2, rng=r),
        layers.Sigmoid(),
    ]


def _spec(net):
    names = {layers.Tanh: "tanh", layers.Sigmoid: "sigmoid", layers.ReLU: "relu", layers.Softmax: "softmax"}
    return [("dense", l.W.copy(), l.b.copy()) if isinstance(l, layers.Dense) else (names[type(l)],) for l in net]


def test_sequential_forward_backward_matches_nn_sequential():
    net = _net(3)
    x, y = np.array([[0.4], [-0.9]]), np.array([[1.0], [0.0]])
    out_t, C_t, dX_t, _ = sequential_trace(_spec(net), x, y)
    out = layers.predict(net, x)
    grad = layers.mse_prime(y, out)
    for layer in reversed(net):
        grad = layer.backward(grad, 0.0)
    close(out, out_t)
    close(layers.mse(y, out), C_t)
    close(grad, dX_t)


def test_sequential_training_matches_sgd_step_per_sample():
    # doc 003's XOR data as column samples
    xs = [np.array([[a], [b]], dtype=float) for a in (0, 1) for b in (0, 1)]
    ys = [np.array([[float(a != b)], [float(a == b)]]) for a in (0, 1) for b in (0, 1)]
    net = _net(4)
    params_t, errors_t = sequential_train(_spec(net), xs, ys, epochs=5, learning_rate=0.3)
    errors = layers.train(net, layers.mse, layers.mse_prime, xs, ys, epochs=5, learning_rate=0.3)
    close(np.array(errors), np.array(errors_t))
    for layer, (W, b) in zip([l for l in net if isinstance(l, layers.Dense)], params_t):
        close(layer.W, W)
        close(layer.b, b)


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match="input"):
        layers.Dense(3, 2).forward(np.ones((2, 1)))
    with pytest.raises(ValueError, match="y_train"):
        layers.train([layers.Tanh()], layers.mse, layers.mse_prime, [np.ones((1, 1))], [], 1, 0.1)
