"""Torch twins of the documents' small models: doc 003's layer stack, doc 001's logistic regression and
2-layer sigmoid network, doc 004's bias-free 4-3-2-1 chain-rule network. Framework pieces only.

Inputs come as NumPy arrays in the documents' column layout and are transposed to torch's rows here;
outputs go back in the column layout.
"""

import numpy as np
import torch
from torch import nn

from .modules import activation_module
from .tensors import to_numpy, to_tensor


def _rows(columns, grad=False):
    """The documents' columns as torch's rows: a fresh leaf when grad is asked for."""
    return to_tensor(np.asarray(columns, dtype=float).T, grad=grad)


def linear(W, b):
    """nn.Linear carrying W (n x n_prev, the documents' orientation) and b (n x 1), or no bias when b is None."""
    layer = nn.Linear(W.shape[1], W.shape[0], bias=b is not None, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(to_tensor(W))
        if b is not None:
            layer.bias.copy_(to_tensor(b).reshape(-1))
    return layer


def sequential(spec):
    """nn.Sequential from [("dense", W, b), ("tanh",), ("softmax",), ...]."""
    return nn.Sequential(
        *(linear(item[1], item[2]) if item[0] == "dense" else activation_module(item[0]) for item in spec)
    )


def sequential_forward(spec, X):
    """The stack's output for the columns of X, as columns."""
    with torch.no_grad():
        return to_numpy(sequential(spec)(_rows(X))).T


def dense_weight_shape(W, b):
    """The shape nn.Linear's weight has once W and b are loaded (the documents' n[l] x n[l-1])."""
    return tuple(linear(W, b).weight.shape)


def dense_step(W, b, x, dY, learning_rate):
    """One Dense layer on one column sample with upstream dC/dY, then one torch.optim.SGD step.

    Returns (Y, dC/dW, dC/db, dC/dX, W after the step, b after the step), columns where the documents have them.
    """
    layer = linear(W, b)
    X = _rows(x, grad=True)
    Y = layer(X)
    (Y * _rows(dY)).sum().backward()
    grads = to_numpy(layer.weight.grad), to_numpy(layer.bias.grad).reshape(-1, 1), to_numpy(X.grad).T
    torch.optim.SGD(layer.parameters(), lr=learning_rate).step()
    return (to_numpy(Y).T, *grads, to_numpy(layer.weight), to_numpy(layer.bias).reshape(-1, 1))


def sequential_trace(spec, x, y):
    """One sample through the stack with nn.MSELoss: output, cost, dC/dX, and (dW, db) per Dense layer."""
    model = sequential(spec)
    X = _rows(x, grad=True)
    out = model(X)
    C = nn.MSELoss()(out, _rows(y))
    C.backward()
    grads = [(to_numpy(m.weight.grad), to_numpy(m.bias.grad).reshape(-1, 1)) for m in model if isinstance(m, nn.Linear)]
    return to_numpy(out).T, float(C.detach()), to_numpy(X.grad).T, grads


def sequential_train(spec, x_train, y_train, epochs, learning_rate):
    """Doc 003's training with torch.optim.SGD: one step per sample, in order; returns (W, b) per Dense layer and errors."""
    model = sequential(spec)
    opt = torch.optim.SGD(model.parameters(), lr=learning_rate)
    errors = []
    for _ in range(epochs):
        total = 0.0
        for x, y in zip(x_train, y_train):
            opt.zero_grad()
            C = nn.MSELoss()(model(_rows(x)), _rows(y))
            C.backward()
            opt.step()
            total += float(C.detach())
        errors.append(total / len(x_train))
    params = [(to_numpy(m.weight), to_numpy(m.bias).reshape(-1, 1)) for m in model if isinstance(m, nn.Linear)]
    return params, errors


def _logistic(w, b):
    return nn.Sequential(linear(w.T, [[b]]), nn.Sigmoid())


def logistic_trace(w, b, X, Y):
    """nn.Linear(p, 1) + nn.Sigmoid + nn.BCELoss (mean) once: z, a (1 x m), J, dJ/dw (p x 1), dJ/db."""
    model = _logistic(w, b)
    Xr = _rows(X)
    z = model[0](Xr)
    a = model[1](z)
    J = nn.BCELoss()(a, _rows(Y))
    J.backward()
    return {
        "z": to_numpy(z).T,
        "a": to_numpy(a).T,
        "J": float(J.detach()),
        "dw": to_numpy(model[0].weight.grad).T,
        "db": float(model[0].bias.grad),
    }


def logistic_sgd(w, b, X, Y, num_iterations, learning_rate):
    """nn.Linear(p, 1) + nn.Sigmoid + nn.BCELoss (mean) and torch.optim.SGD on all examples each iteration.

    Returns (w, b, last grads (dw, db) before the last step, costs).
    """
    model = _logistic(w, b)
    opt = torch.optim.SGD(model.parameters(), lr=learning_rate)
    Xr, Yr = _rows(X), _rows(Y)
    costs = []
    for _ in range(num_iterations):
        opt.zero_grad()
        J = nn.BCELoss()(model(Xr), Yr)
        J.backward()
        grads = (to_numpy(model[0].weight.grad).T, float(model[0].bias.grad))
        opt.step()
        costs.append(float(J.detach()))
    return to_numpy(model[0].weight).T, float(model[0].bias.detach()), grads, costs


def logistic_example_grads(w, b, X, Y):
    """Per-example dL(i)/dw and dL(i)/db by autograd: BCELoss with reduction='sum' over one copy of the
    parameters per example, so each example's gradient stays separate (each L(i) sees only its own x)."""
    Xr = _rows(X)  # m x p
    Ws = to_tensor(w).T.expand(Xr.shape[0], -1).clone().requires_grad_(True)
    Bs = to_tensor([float(b)] * Xr.shape[0], grad=True)
    a = nn.Sigmoid()((Ws * Xr).sum(dim=1) + Bs)
    nn.BCELoss(reduction="sum")(a, to_tensor(Y).reshape(-1)).backward()
    return to_numpy(Ws.grad).T, to_numpy(Bs.grad).reshape(1, -1)


def _two_layer(params):
    return sequential(
        [("dense", params["W1"], params["b1"]), ("sigmoid",), ("dense", params["W2"], params["b2"]), ("sigmoid",)]
    )


def two_layer_grads(params, x, y):
    """doc 001's 2-layer net as nn.Linear + nn.Sigmoid twice, nn.BCELoss on one example: grads of W1, b1, W2, b2."""
    model = _two_layer(params)
    nn.BCELoss()(model(_rows(x)), to_tensor([[y]])).backward()
    return {
        "dW1": to_numpy(model[0].weight.grad),
        "db1": to_numpy(model[0].bias.grad).reshape(-1, 1),
        "dW2": to_numpy(model[2].weight.grad),
        "db2": to_numpy(model[2].bias.grad).reshape(-1, 1),
    }


def two_layer_da1(params, a1, y):
    """dL/da1 (a column like a1) for doc 001's second layer nn.Linear + nn.Sigmoid + nn.BCELoss, a1 a leaf."""
    A1 = _rows(a1, grad=True)
    second = sequential([("dense", params["W2"], params["b2"]), ("sigmoid",)])
    nn.BCELoss()(second(A1), to_tensor([[y]])).backward()
    return to_numpy(A1.grad).T


def linear_jacobians(W, b, a):
    """torch.autograd.functional.jacobian of nn.functional.linear at one column a:
    dz/dW as [j, k, l], dz/db as [j, k], dz/da as [k, j]."""
    f = lambda Wt, bt, at: nn.functional.linear(at.T, Wt, bt.reshape(-1))[0]  # noqa: E731
    jW, jb, ja = torch.autograd.functional.jacobian(f, (to_tensor(W), to_tensor(b), to_tensor(a)))
    return to_numpy(jW), to_numpy(jb)[:, :, 0], to_numpy(ja)[:, :, 0]


def chain_net_grads(x, W1, W2, W3, y):
    """doc 004's bias-free sigmoid network (W^k as n_in x n_out) with L = sum (y - o_31)^2 (nn.MSELoss, sum):
    autograd's dL/dW^k in that orientation, and o_31."""
    Ws = [to_tensor(W, grad=True) for W in (W1, W2, W3)]
    o = _rows(x)
    for W in Ws:
        o = nn.Sigmoid()(o @ W)
    nn.MSELoss(reduction="sum")(o, _rows(y)).backward()
    return [to_numpy(W.grad) for W in Ws], to_numpy(o).T
