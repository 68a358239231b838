"""Torch twins of the documents' small models: doc 003's layer stack, doc 001's logistic regression and
2-layer sigmoid network, doc 004's bias-free 4-3-2-1 chain-rule network. Framework pieces only.

Inputs come as NumPy arrays in the documents' column layout and are transposed to torch's rows here.
"""

import torch
from torch import nn

F64 = torch.float64


def _t(a):
    return torch.as_tensor(a, dtype=F64)


def _np(t):
    return t.detach().cpu().numpy().copy()


def linear(W, b):
    """nn.Linear carrying W (n x n_prev, the documents' orientation) and b (n x 1)."""
    layer = nn.Linear(W.shape[1], W.shape[0], bias=b is not None, dtype=F64)
    with torch.no_grad():
        layer.weight.copy_(_t(W))
        if b is not None:
            layer.bias.copy_(_t(b).reshape(-1))
    return layer


MODULES = {"tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "relu": nn.ReLU, "softmax": lambda: nn.Softmax(dim=1)}


def sequential(spec):
    """nn.Sequential from [("dense", W, b), ("tanh",), ("softmax",), ...]."""
    layers = [linear(item[1], item[2]) if item[0] == "dense" else MODULES[item[0]]() for item in spec]
    return nn.Sequential(*layers)


def sequential_trace(spec, x, y):
    """One sample through the stack with nn.MSELoss: output, cost, dC/dX, and (dW, db) per Dense layer."""
    model = sequential(spec)
    X = _t(x).T.clone().requires_grad_(True)
    out = model(X)
    C = nn.MSELoss()(out, _t(y).T)
    C.backward()
    grads = [(_np(m.weight.grad), _np(m.bias.grad).reshape(-1, 1)) for m in model if isinstance(m, nn.Linear)]
    return _np(out).T, float(C.detach()), _np(X.grad).T, grads


def sequential_train(spec, x_train, y_train, epochs, learning_rate):
    """Doc 003's training with torch.optim.SGD: one step per sample, in order; returns (W, b) per Dense layer and errors."""
    model = sequential(spec)
    opt = torch.optim.SGD(model.parameters(), lr=learning_rate)
    errors = []
    for _ in range(epochs):
        total = 0.0
        for x, y in zip(x_train, y_train):
            opt.zero_grad()
            C = nn.MSELoss()(model(_t(x).T), _t(y).T)
            C.backward()
            opt.step()
            total += float(C.detach())
        errors.append(total / len(x_train))
    params = [(_np(m.weight), _np(m.bias).reshape(-1, 1)) for m in model if isinstance(m, nn.Linear)]
    return params, errors


def logistic_sgd(w, b, X, Y, num_iterations, learning_rate):
    """nn.Linear(p, 1) + nn.Sigmoid + nn.BCELoss (mean) and torch.optim.SGD on all examples each iteration.

    Returns (w, b, last grads (dw, db) before the last step, costs).
    """
    model = nn.Sequential(linear(w.T, [[b]]), nn.Sigmoid())
    opt = torch.optim.SGD(model.parameters(), lr=learning_rate)
    Xr, Yr = _t(X).T, _t(Y).T
    costs = []
    for _ in range(num_iterations):
        opt.zero_grad()
        J = nn.BCELoss()(model(Xr), Yr)
        J.backward()
        grads = (_np(model[0].weight.grad).T, float(model[0].bias.grad))
        opt.step()
        costs.append(float(J.detach()))
    return _np(model[0].weight).T, float(model[0].bias.detach()), grads, costs


def logistic_example_grads(w, b, X, Y):
    """Per-example dL(i)/dw and dL(i)/db by autograd: BCELoss with reduction='none', summed (each L(i) sees only its own x)."""
    W = _t(w).clone().requires_grad_(True)
    B = torch.tensor(float(b), dtype=F64, requires_grad=True)
    Xr = _t(X).T  # m x p
    # One copy of the parameters per example so each example's gradient stays separate.
    Ws = W.T.expand(Xr.shape[0], -1).clone().detach().requires_grad_(True)
    Bs = B.expand(Xr.shape[0]).clone().detach().requires_grad_(True)
    a = torch.sigmoid((Ws * Xr).sum(dim=1) + Bs)
    nn.BCELoss(reduction="sum")(a, _t(Y).reshape(-1)).backward()
    return _np(Ws.grad).T, _np(Bs.grad).reshape(1, -1)


def two_layer_grads(params, x, y):
    """doc 001's 2-layer net as nn.Linear + nn.Sigmoid twice, nn.BCELoss on one example: grads of W1, b1, W2, b2."""
    model = nn.Sequential(linear(params["W1"], params["b1"]), nn.Sigmoid(), linear(params["W2"], params["b2"]), nn.Sigmoid())
    nn.BCELoss()(model(_t(x).T), _t([[y]])).backward()
    return {
        "dW1": _np(model[0].weight.grad), "db1": _np(model[0].bias.grad).reshape(-1, 1),
        "dW2": _np(model[2].weight.grad), "db2": _np(model[2].bias.grad).reshape(-1, 1),
    }


def chain_net_grads(x, W1, W2, W3, y):
    """doc 004's bias-free sigmoid network (W^k as n_in x n_out) with L = sum (y - o_31)^2 (nn.MSELoss, sum):
    autograd's dL/dW^k in that orientation, and o_31."""
    Ws = [_t(W).clone().requires_grad_(True) for W in (W1, W2, W3)]
    o = _t(x).T
    for W in Ws:
        o = torch.sigmoid(o @ W)
    nn.MSELoss(reduction="sum")(o, _t(y).T).backward()
    return [_np(W.grad) for W in Ws], _np(o).T
