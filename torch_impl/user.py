"""Autograd on a user's own torch callables: an activation, a loss, a layer module, as NumPy in and out.

The user hands in torch functions and modules (torch.nn.functional.softplus, nn.Linear(4, 3), ...);
these helpers run them in float64 and return the values and vector-Jacobian products autograd
computes, so that the harness can compare them with the user's NumPy code without importing torch.
"""

import copy

import numpy as np
import torch

from .tensors import to_numpy, to_tensor


class NotUsable(ValueError):
    """The user's torch reference cannot serve as one (not elementwise, not followed by autograd, a
    loss not reduced to a scalar); its message names the argument."""


def elementwise_derivative(torch_fn, Z):
    """(A, dA/dZ) of an elementwise torch_fn at Z: A = torch_fn(Z) and g'(Z), the product of its
    Jacobian with ones. NotUsable naming torch_g where that is not g'(Z): where autograd cannot
    follow it (a detach, NumPy inside, or a step function with no gradient: each gave zeros, so
    "torch 0"), or where it is not elementwise (softmax's product with ones is 0, and a g' of zeros
    agreed). Elementwise means the product with a drawn 0/1 mask, and with its complement, is
    exactly g'(Z) where the mask is 1 and 0 where it is 0: times 1 and times 0 round nothing, so no
    tolerance is needed (one was: v * a - v * b rounds apart from v * (a - b)). Three backward
    passes, where the whole Jacobian took one per element."""
    Zt = to_tensor(Z, "float64", grad=True)
    A = torch_fn(Zt)
    if not isinstance(A, torch.Tensor) or A.shape != Zt.shape:
        got = tuple(A.shape) if isinstance(A, torch.Tensor) else type(A).__name__
        raise NotUsable(f"torch_g: expected an elementwise function, returning a tensor of Z's shape, got {got}")
    if not A.requires_grad:
        raise NotUsable(
            "torch_g: expected a function autograd can differentiate, got one whose output it cannot follow"
        )
    (dZ,) = torch.autograd.grad(A, Zt, torch.ones_like(A), retain_graph=True)
    mask = to_tensor(np.random.default_rng(0).integers(0, 2, Z.shape), "float64")
    for kept in (mask, 1 - mask):  # each off-diagonal entry of a column meets one of the two
        (product,) = torch.autograd.grad(A, Zt, kept, retain_graph=True)
        expected = torch.where(kept == 1, dZ, torch.zeros_like(dZ))
        # 0 * inf is nan where g' is not finite, and nan is never equal to itself
        same = (product == expected) | (torch.isnan(product) & ~torch.isfinite(dZ))
        if not bool(same.all()):
            raise NotUsable("torch_g: expected an elementwise function, got one whose A[i] depends on other z too")
    return to_numpy(A), to_numpy(dZ)


def loss_vjp(torch_loss, A, Y):
    """(L, dL/dA): the loss's value and its gradient with respect to A, on the arrays as given."""
    At = to_tensor(A, "float64", grad=True)
    L = torch_loss(At, to_tensor(Y, "float64"))
    if not isinstance(L, torch.Tensor) or L.numel() != 1:
        got = tuple(L.shape) if isinstance(L, torch.Tensor) else type(L).__name__
        raise NotUsable(f"torch_loss: expected a scalar loss (reduced over the examples), got {got}")
    L.backward()
    return float(L.detach()), to_numpy(At.grad)


def module_vjp(torch_module, params, X, G):
    """(Y, dX, dparams) of a copy of torch_module holding `params` (name -> array, reshaped to fit).

    Y = module(X) on rows X; dX and dparams are the gradients of sum(G * Y). The user's module is
    copied, never changed: its own initial weights play no part.
    """
    module = copy.deepcopy(torch_module).to(torch.float64)
    named = dict(module.named_parameters())
    with torch.no_grad():
        for name, value in params.items():
            named[name].copy_(to_tensor(value, "float64").reshape(named[name].shape))
    module.zero_grad(set_to_none=True)
    Xt = to_tensor(X, "float64", grad=True)
    Y = module(Xt)
    Y.backward(to_tensor(G, "float64"))
    return to_numpy(Y), to_numpy(Xt.grad), {name: to_numpy(p.grad) for name, p in named.items()}


def parameter_shapes(torch_module):
    """name -> shape of each parameter of the module, in its own order."""
    return {name: tuple(p.shape) for name, p in torch_module.named_parameters()}
