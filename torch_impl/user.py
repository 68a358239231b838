"""Autograd on a user's own torch callables: an activation, a loss, a layer module, as NumPy in and out.

The user hands in torch functions and modules (torch.nn.functional.softplus, nn.Linear(4, 3), ...);
these helpers run them in float64 and return the values and vector-Jacobian products autograd
computes, so that the harness can compare them with the user's NumPy code without importing torch.
"""

import copy

import torch

from .tensors import to_numpy, to_tensor


def _called(name, fn, *args):
    """fn(*args); ValueError naming `name` where the user's torch callable raises (their reference,
    not their NumPy code, is what failed: bad usage, not a disagreement)."""
    try:
        return fn(*args)
    except Exception as exc:  # noqa: BLE001 - whatever the user's torch code raises
        raise ValueError(f"{name}: raised {type(exc).__name__}: {str(exc)[:200]}") from exc


def elementwise_derivative(torch_fn, Z):
    """(A, dA/dZ) of an elementwise torch_fn at Z: A = torch_fn(Z) and the diagonal of its Jacobian,
    each of Z's shape. ValueError naming torch_g where the Jacobian is more than its diagonal: a
    product with ones would then sum each column (softmax's: 0, so a g' of zeros agreed)."""
    Zt = to_tensor(Z, "float64")
    A = _called("torch_g", torch_fn, Zt)
    if not isinstance(A, torch.Tensor) or A.shape != Zt.shape:
        got = tuple(A.shape) if isinstance(A, torch.Tensor) else type(A).__name__
        raise ValueError(f"torch_g: expected an elementwise function, returning a tensor of Z's shape, got {got}")
    jacobian = torch.autograd.functional.jacobian(torch_fn, Zt).reshape(Z.size, Z.size)
    diagonal = torch.diagonal(jacobian)
    if torch.any(jacobian - torch.diag(diagonal) != 0):  # an elementwise function's are exactly 0
        raise ValueError("torch_g: expected an elementwise function, got one whose A[i] depends on other z too")
    return to_numpy(A), to_numpy(diagonal.reshape(Zt.shape))


def loss_vjp(torch_loss, A, Y):
    """(L, dL/dA): the loss's value and its gradient with respect to A, on the arrays as given."""
    At = to_tensor(A, "float64", grad=True)
    L = _called("torch_loss", torch_loss, At, to_tensor(Y, "float64"))
    if not isinstance(L, torch.Tensor) or L.numel() != 1:
        got = tuple(L.shape) if isinstance(L, torch.Tensor) else type(L).__name__
        raise ValueError(f"torch_loss: expected a scalar loss (reduced over the examples), got {got}")
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
    Y = _called("torch_module", module, Xt)
    Y.backward(to_tensor(G, "float64"))
    return to_numpy(Y), to_numpy(Xt.grad), {name: to_numpy(p.grad) for name, p in named.items()}


def parameter_shapes(torch_module):
    """name -> shape of each parameter of the module, in its own order."""
    return {name: tuple(p.shape) for name, p in torch_module.named_parameters()}
