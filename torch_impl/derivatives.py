"""Single derivatives from autograd for `crosscheck derivation`: torch's modules in float64, one at a time.

Inputs and outputs are NumPy arrays in torch's row layout (rows = examples). Every gradient here
is autograd's: a module's forward is run and `backward` is called, with an upstream gradient
where the quantity is a vector-Jacobian product. No derivative formula is written in torch ops.
"""

import numpy as np
import torch
from torch import nn

from .elementwise import activation_vjp, fused_gradient, loss_gradient
from .modules import reduce
from .tensors import to_numpy, to_tensor


def activation_prime(name, Z, **parameters):
    """g'(Z) elementwise: the VJP through torch's activation module with an all-ones upstream gradient."""
    return activation_vjp(name, Z, np.ones_like(Z, dtype=float), "float64", **parameters)[1]


def softmax_backward(Z, dA):
    """dJ/dZ for A = nn.Softmax(dim=1)(Z) (one example per row) and upstream gradient dA."""
    return activation_vjp("softmax", Z, dA, "float64")[1]


def loss_prime(loss, A, Y):
    """dL(i)/dA for each row: the gradient of sum_i L(i) through torch's loss module for `loss`."""
    return loss_gradient(loss, A, Y, "float64")[1]


def fused_prime(loss, Z, Y):
    """dL(i)/dZ for each row through torch's fused losses on logits: BCEWithLogitsLoss or CrossEntropyLoss."""
    return fused_gradient(loss, Z, Y, "float64")


def linear_backward(dZ, A_prev, W, b, reduction="mean"):
    """Autograd's dJ/dA_prev, dJ/dW, dJ/db for Z = nn.Linear(A_prev) with upstream per-example dZ.

    Each example's loss is taken as L(i) = <dZ(i), Z(i)>, so that dL(i)/dZ(i) = dZ(i) whatever
    Z is, and J reduces the L(i) by `reduction` as the twin does. Returns (grad A_prev (rows),
    weight.grad, bias.grad): derivatives of J, with no convention applied.
    """
    W = to_tensor(W)
    linear = nn.Linear(W.shape[1], W.shape[0], dtype=W.dtype)
    with torch.no_grad():
        linear.weight.copy_(W)
        linear.bias.copy_(to_tensor(b).reshape(-1))
    A_prev = to_tensor(A_prev, grad=True)
    L = (linear(A_prev) * to_tensor(dZ)).sum(dim=1)
    reduce(L, reduction).backward()
    return to_numpy(A_prev.grad), to_numpy(linear.weight.grad), to_numpy(linear.bias.grad)
