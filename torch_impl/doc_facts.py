"""Torch's side of the catalogue's claims and counts: the documents' small networks as torch holds them.

NumPy in, NumPy (or plain numbers) out; column layout where the documents use it (see doc_models).
Every value comes from torch's own modules, losses, autograd and optimiser.
"""

import torch
from torch import nn

from .doc_models import _rows, linear, sequential
from .tensors import to_numpy, to_tensor


def exp(values):
    """torch.exp of the values."""
    return to_numpy(torch.exp(to_tensor(values)))


def bce_elementwise(y_hat, y):
    """nn.BCELoss(reduction="none") of the predictions against the labels, element by element."""
    return to_numpy(nn.BCELoss(reduction="none")(to_tensor(y_hat), to_tensor(y)))


def sigmoid_cost_grads(W, b, A_prev, Y, loss):
    """A Dense layer, a sigmoid and nn.BCELoss ("bce") or nn.MSELoss ("mse") over the columns of A_prev.

    Returns (dZ, dW): autograd's dC/dZ as columns times m (the documents' per-example dZ) and dC/dW.
    """
    layer = linear(W, b)
    Z = layer(_rows(A_prev))
    Z.retain_grad()
    loss_fn = {"bce": nn.BCELoss(), "mse": nn.MSELoss()}[loss]
    loss_fn(torch.sigmoid(Z), _rows(Y)).backward()
    return to_numpy(Z.grad).T * A_prev.shape[1], to_numpy(layer.weight.grad)


def logistic_bce_hessian(X, y, theta):
    """The Hessian (torch.autograd.functional.hessian) of the mean BCE-with-logits of theta[:-1] . x + theta[-1]."""
    X, y = to_tensor(X), to_tensor(y)

    def cost(t):
        return nn.functional.binary_cross_entropy_with_logits(t[:-1] @ X + t[-1], y)

    return to_numpy(torch.autograd.functional.hessian(cost, to_tensor(theta)))


def bce_step_losses(spec, x, y, learning_rate):
    """nn.BCELoss of the stack on one column sample before and after one torch.optim.SGD step on it."""
    model = sequential(spec)
    X, Y = _rows(x), _rows(y)
    before = nn.BCELoss()(model(X), Y)
    before.backward()
    torch.optim.SGD(model.parameters(), lr=learning_rate).step()
    with torch.no_grad():
        after = nn.BCELoss()(model(X), Y)
    return float(before.detach()), float(after)


def parameter_names(spec):
    """The stack's parameters as nn.Sequential names them ("0.weight", "0.bias", "2.weight", ...) -> size."""
    return {name: p.numel() for name, p in sequential(spec).named_parameters()}


def dense_layers(spec):
    """How many nn.Linear layers the stack holds."""
    return sum(isinstance(m, nn.Linear) for m in sequential(spec))


def linear_init(n_in, n_out):
    """nn.Linear(n_in, n_out)'s freshly initialised weight (n_out x n_in) and bias (n_out x 1)."""
    layer = nn.Linear(n_in, n_out, dtype=torch.float64)
    return to_numpy(layer.weight), to_numpy(layer.bias).reshape(-1, 1)
