"""Single derivatives from autograd: torch's own modules, differentiated in float64, one at a time.

Inputs and outputs are NumPy arrays in torch's row layout (rows = examples). Every gradient here
is autograd's: a module's forward is run and `backward` is called, with an upstream gradient
where the quantity is a vector-Jacobian product. No derivative formula is written in torch ops.
"""

import torch
from torch import nn

from .elementwise import activation_vjp, loss_gradient
from .twin import reduce


def _leaf(array):
    return torch.as_tensor(array, dtype=torch.float64).clone().requires_grad_(True)


def _numpy(tensor):
    return tensor.detach().cpu().numpy().copy()


def activation_prime(name, Z, slope=0.01, alpha=1.0):
    """g'(Z) elementwise: the VJP through torch's activation module with an all-ones upstream gradient."""
    return activation_vjp(name, Z, torch.ones_like(torch.as_tensor(Z, dtype=torch.float64)), "float64", slope, alpha)[1]


def softmax_backward(Z, dA):
    """dJ/dZ for A = nn.Softmax(dim=1)(Z) (one example per row) and upstream gradient dA."""
    return activation_vjp("softmax", Z, dA, "float64")[1]


def loss_prime(loss, A, Y):
    """dL(i)/dA for each row: the gradient of sum_i L(i) through torch's loss module for `loss`."""
    return loss_gradient(loss, A, Y, "float64")[1]


def fused_prime(loss, Z, Y):
    """dL(i)/dZ for each row through torch's fused losses on logits: BCEWithLogitsLoss or CrossEntropyLoss."""
    Z = _leaf(Z)
    Y = torch.as_tensor(Y, dtype=torch.float64)
    if loss == "bce":
        L = nn.BCEWithLogitsLoss(reduction="none")(Z, Y).sum(dim=1)
    elif loss == "cce":
        L = nn.CrossEntropyLoss(reduction="none")(Z, Y)  # Y as class probabilities per row
    else:
        raise ValueError(f"loss: expected bce or cce for a fused output layer, got {loss!r}")
    L.sum().backward()
    return _numpy(Z.grad)


def linear_backward(dZ, A_prev, W, b, reduction="mean"):
    """Autograd's dJ/dA_prev, dJ/dW, dJ/db for Z = nn.Linear(A_prev) with upstream per-example dZ.

    Each example's loss is taken as L(i) = <dZ(i), Z(i)>, so that dL(i)/dZ(i) = dZ(i) whatever
    Z is, and J reduces the L(i) by `reduction` as the twin does. Returns (grad A_prev (rows),
    weight.grad, bias.grad): derivatives of J, with no convention applied.
    """
    W = torch.as_tensor(W, dtype=torch.float64)
    linear = nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(W)
        linear.bias.copy_(torch.as_tensor(b, dtype=torch.float64).reshape(-1))
    A_prev = _leaf(A_prev)
    Z = linear(A_prev)
    L = (Z * torch.as_tensor(dZ, dtype=torch.float64)).sum(dim=1)
    reduce(L, reduction).backward()
    return _numpy(A_prev.grad), _numpy(linear.weight.grad), _numpy(linear.bias.grad)
