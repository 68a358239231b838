"""Autograd opinions on single pieces: one activation module or one loss module, alone.

Inputs and outputs are NumPy arrays in torch's row layout (rows = examples); every gradient is
autograd's, through torch's own module.
"""

import torch

from .modules import activation_module, fused_loss, per_example_loss, reduce
from .tensors import to_numpy, to_tensor


def activation_vjp(name, Z, G, dtype="float64", **parameters):
    """(A, dZ) with A = module(Z) and dZ = (dA/dZ)^T G, through the torch module for `name`."""
    Z = to_tensor(Z, dtype, grad=True)
    A = activation_module(name, **parameters)(Z)
    A.backward(to_tensor(G, dtype))
    return to_numpy(A), to_numpy(Z.grad)


def activation_jacobian(name, z, **parameters):
    """The n x n Jacobian [i, k] = dA_i/dz_k of the module for `name` at one example z (a vector of n)."""
    module = activation_module(name, **parameters)
    J = torch.autograd.functional.jacobian(lambda v: module(v[None, :])[0], to_tensor(z))
    return to_numpy(J)


def loss_gradient(loss, A, Y, dtype="float64"):
    """Per-example losses L(i) and dL(i)/dA: the gradient of sum_i L(i), rows = examples."""
    A = to_tensor(A, dtype, grad=True)
    L = per_example_loss(loss, A, to_tensor(Y, dtype))
    L.sum().backward()  # each L(i) depends on row i alone, so this is every example's own gradient
    return to_numpy(L), to_numpy(A.grad)


def output_gradient(output, loss, Z, Y, dtype="float64"):
    """dL(i)/dZ[L] for each row: autograd through the output activation's module and the loss module."""
    Z = to_tensor(Z, dtype, grad=True)
    per_example_loss(loss, activation_module(output)(Z), to_tensor(Y, dtype)).sum().backward()
    return to_numpy(Z.grad)


def fused_gradient(loss, Z, Y, dtype="float64"):
    """dL(i)/dZ[L] for each row through torch's fused loss on logits (BCEWithLogitsLoss, CrossEntropyLoss)."""
    Z = to_tensor(Z, dtype, grad=True)
    fused_loss(loss, Z, to_tensor(Y, dtype)).sum().backward()
    return to_numpy(Z.grad)


def reduced_loss(loss, A, Y, reduction, dtype="float64", fused=False):
    """J = mean or sum over rows of L(i) for predictions A and targets Y (logits A when fused)."""
    per_example = fused_loss if fused else per_example_loss
    return float(reduce(per_example(loss, to_tensor(A, dtype), to_tensor(Y, dtype)), reduction))
