"""The twin network: nn.Linear + torch activation modules + torch loss modules, traced by autograd.

Torch's layout is rows = examples: X enters as m x n[0]. nn.Linear.weight has the documents'
orientation (n[l] x n[l-1]), so W[l] is copied as it is and b[l] (n[l] x 1) is flattened.
An activation is named by a string, or by (name, {parameter: value}) for non-default parameters.
"""

from dataclasses import dataclass, field

import torch
from torch import nn

from .modules import activation_module, fused_loss, per_example_loss, reduce
from .tensors import to_numpy, to_tensor, torch_dtype


def _spec(activation):
    """(name, parameters) from "name" or (name, {parameters})."""
    if isinstance(activation, str):
        return activation, {}
    name, parameters = activation
    return name, dict(parameters)


@dataclass
class Capture:
    """Everything autograd saw, in torch's row layout. Lists are indexed by layer: Z[0] is Z1."""

    Z: list = field(default_factory=list)
    A: list = field(default_factory=list)  # A[0] is the input X, A[l] the output of layer l
    J: float = 0.0
    grad_Z: list = field(default_factory=list)
    grad_A: list = field(default_factory=list)
    grad_W: list = field(default_factory=list)
    grad_b: list = field(default_factory=list)


class Twin(nn.Module):
    """An L-layer perceptron of nn.Linear and activation modules, one pair per layer."""

    def __init__(self, sizes, activations, dtype="float64", device=None):
        super().__init__()
        if len(sizes) != len(activations) + 1:
            raise ValueError(
                f"sizes: expected {len(activations) + 1} layer sizes for {len(activations)} activations, got {len(sizes)}"
            )
        self.dtype = torch_dtype(dtype)
        self.device = torch.device(device) if device is not None else torch.device("cpu")
        self.linears = nn.ModuleList(
            nn.Linear(n_prev, n, dtype=self.dtype, device=self.device) for n_prev, n in zip(sizes[:-1], sizes[1:])
        )
        self.activations = nn.ModuleList(activation_module(name, **p) for name, p in map(_spec, activations))

    def tensor(self, array, grad=False):
        """An array (or tensor) as a tensor of this twin's dtype, on its device."""
        return to_tensor(array, self.dtype, grad, self.device)

    def load(self, params):
        """Copy W[l] and b[l] (NumPy, column layout) into the nn.Linear layers."""
        with torch.no_grad():
            for l, linear in enumerate(self.linears, start=1):
                linear.weight.copy_(self.tensor(params[f"W{l}"]))
                linear.bias.copy_(self.tensor(params[f"b{l}"]).reshape(-1))
        return self

    def parameters_as_numpy(self):
        """W[l] and b[l] back in the documents' shapes."""
        out = {}
        for l, linear in enumerate(self.linears, start=1):
            out[f"W{l}"] = to_numpy(linear.weight)
            out[f"b{l}"] = to_numpy(linear.bias).reshape(-1, 1)
        return out

    def forward(self, X):
        for linear, activation in zip(self.linears, self.activations):
            X = activation(linear(X))
        return X

    @torch.no_grad()
    def outputs(self, X):
        """A[L] for rows X, as NumPy (no autograd)."""
        return to_numpy(self(self.tensor(X)))

    def regularization(self, l1=0.0, l2=0.0):
        """l2 sum W^2 + l1 sum |W| over the weights (never the biases), as a term of J."""
        total = torch.zeros((), dtype=self.dtype, device=self.device)
        for linear in self.linears:
            if l2:
                total = total + l2 * linear.weight.pow(2).sum()
            if l1:
                total = total + l1 * linear.weight.abs().sum()
        return total

    def objective(self, X, Y, loss, reduction="mean", l1=0.0, l2=0.0):
        """J on rows X, Y: the reduced loss plus the regularization term."""
        return reduce(per_example_loss(loss, self(X), Y), reduction) + self.regularization(l1, l2)

    def capture(self, X, Y, loss, reduction="mean", l1=0.0, l2=0.0):
        """Run forward and backward once; keep every Z, A and their gradients dJ/dZ, dJ/dA."""
        X = self.tensor(X, grad=True)
        Y = self.tensor(Y)
        self.zero_grad(set_to_none=True)
        Zs, As = [], [X]
        A = X
        for linear, activation in zip(self.linears, self.activations):
            Z = linear(A)
            A = activation(Z)
            Z.retain_grad()
            A.retain_grad()
            Zs.append(Z)
            As.append(A)
        J = reduce(per_example_loss(loss, A, Y), reduction) + self.regularization(l1, l2)
        J.backward()
        return Capture(
            Z=[to_numpy(Z) for Z in Zs],
            A=[to_numpy(A) for A in As],
            J=float(J.detach()),
            grad_Z=[to_numpy(Z.grad) for Z in Zs],
            grad_A=[to_numpy(A.grad) for A in As],
            grad_W=[to_numpy(lin.weight.grad) for lin in self.linears],
            grad_b=[to_numpy(lin.bias.grad) for lin in self.linears],
        )

    def fused_grad_ZL(self, X, Y, loss, reduction="mean"):
        """dJ/dZ[L] through torch's fused losses on logits: BCEWithLogitsLoss or CrossEntropyLoss."""
        A = self.tensor(X)
        for linear, activation in zip(self.linears[:-1], self.activations[:-1]):
            A = activation(linear(A))
        Z = self.linears[-1](A).detach().requires_grad_(True)
        reduce(fused_loss(loss, Z, self.tensor(Y)), reduction).backward()
        return to_numpy(Z.grad)
