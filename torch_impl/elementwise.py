"""Autograd opinions on single pieces: one activation module or one loss module, alone."""

import torch

from .twin import DTYPES, activation_module, per_example_loss


def activation_vjp(name, Z, G, dtype="float64", slope=0.01, alpha=1.0):
    """dZ = (dA/dZ)^T G through the torch module for `name`; Z and G in torch's row layout."""
    dtype = DTYPES[dtype]
    Z = torch.as_tensor(Z, dtype=dtype).clone().requires_grad_(True)
    A = activation_module(name, slope, alpha)(Z)
    A.backward(torch.as_tensor(G, dtype=dtype))
    return A.detach().numpy().copy(), Z.grad.numpy().copy()


def loss_gradient(loss, A, Y, dtype="float64"):
    """Per-example losses L(i) and dL(i)/dA: the gradient of sum_i L(i), rows = examples."""
    dtype = DTYPES[dtype]
    A = torch.as_tensor(A, dtype=dtype).clone().requires_grad_(True)
    L = per_example_loss(loss, A, torch.as_tensor(Y, dtype=dtype))
    L.sum().backward()  # each L(i) depends on row i alone, so this is every example's own gradient
    return L.detach().numpy().copy(), A.grad.numpy().copy()
