"""The twin network: nn.Linear + torch activation modules + torch loss modules, traced by autograd.

Torch's layout is rows = examples: X enters as m x n[0]. nn.Linear.weight has the documents'
orientation (n[l] x n[l-1]), so W[l] is copied as it is and b[l] (n[l] x 1) is flattened.
"""

from dataclasses import dataclass, field

import torch
from torch import nn

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def activation_module(name, slope=0.01, alpha=1.0):
    """The torch module for an activation name; softmax normalises each row (one example)."""
    modules = {
        "sigmoid": nn.Sigmoid,
        "tanh": nn.Tanh,
        "relu": nn.ReLU,
        "leaky_relu": lambda: nn.LeakyReLU(negative_slope=slope),
        "elu": lambda: nn.ELU(alpha=alpha),
        "identity": nn.Identity,
        "softmax": lambda: nn.Softmax(dim=1),
    }
    if name not in modules:
        raise ValueError(f"unknown activation {name!r}: expected one of {', '.join(sorted(modules))}")
    return modules[name]()


def per_example_loss(loss, A, Y):
    """L(i) for each row, from torch's loss modules with reduction='none' summed or averaged over outputs."""
    if loss == "bce":
        return nn.BCELoss(reduction="none")(A, Y).sum(dim=1)
    if loss == "cce":
        if bool(((Y == 0) | (Y == 1)).all()) and bool((Y.sum(dim=1) == 1).all()):
            return nn.NLLLoss(reduction="none")(torch.log(A), Y.argmax(dim=1))
        # Soft targets: KL(Y || A) + H(Y) is the cross entropy; H(Y) does not depend on A.
        return nn.KLDivLoss(reduction="none")(torch.log(A), Y).sum(dim=1) + torch.special.entr(Y).sum(dim=1)
    if loss == "mse":
        return nn.MSELoss(reduction="none")(A, Y).mean(dim=1)
    if loss == "sse":
        return nn.MSELoss(reduction="none")(A, Y).sum(dim=1)
    raise ValueError(f"unknown loss {loss!r}: expected one of bce, cce, mse, sse")


def reduce(L, reduction):
    """J from the per-example losses: their mean or their sum."""
    if reduction == "mean":
        return L.mean()
    if reduction == "sum":
        return L.sum()
    raise ValueError(f"unknown reduction {reduction!r}: expected one of mean, sum")


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

    def __init__(self, sizes, activations, dtype="float64", slope=0.01, alpha=1.0):
        super().__init__()
        if len(sizes) != len(activations) + 1:
            raise ValueError(
                f"sizes: expected {len(activations) + 1} layer sizes for {len(activations)} activations, got {len(sizes)}"
            )
        self.dtype = DTYPES[dtype] if isinstance(dtype, str) else dtype
        self.activation_names = list(activations)
        self.linears = nn.ModuleList(
            nn.Linear(n_prev, n, dtype=self.dtype) for n_prev, n in zip(sizes[:-1], sizes[1:])
        )
        self.activations = nn.ModuleList(activation_module(a, slope, alpha) for a in activations)

    def load(self, params):
        """Copy W[l] and b[l] (NumPy, column layout) into the nn.Linear layers."""
        with torch.no_grad():
            for l, linear in enumerate(self.linears, start=1):
                linear.weight.copy_(torch.as_tensor(params[f"W{l}"], dtype=self.dtype))
                linear.bias.copy_(torch.as_tensor(params[f"b{l}"], dtype=self.dtype).reshape(-1))
        return self

    def parameters_as_numpy(self):
        """W[l] and b[l] back in the documents' shapes."""
        out = {}
        for l, linear in enumerate(self.linears, start=1):
            out[f"W{l}"] = linear.weight.detach().cpu().numpy().copy()
            out[f"b{l}"] = linear.bias.detach().cpu().numpy().reshape(-1, 1).copy()
        return out

    def forward(self, X):
        for linear, activation in zip(self.linears, self.activations):
            X = activation(linear(X))
        return X

    def regularization(self, l1=0.0, l2=0.0):
        """l2 sum W^2 + l1 sum |W| over the weights (never the biases), as a term of J."""
        total = torch.zeros((), dtype=self.dtype)
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
        X = torch.as_tensor(X, dtype=self.dtype).clone().requires_grad_(True)
        Y = torch.as_tensor(Y, dtype=self.dtype)
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
        detach = lambda t: t.detach().cpu().numpy().copy()  # noqa: E731
        return Capture(
            Z=[detach(Z) for Z in Zs],
            A=[detach(A) for A in As],
            J=float(J.detach()),
            grad_Z=[detach(Z.grad) for Z in Zs],
            grad_A=[detach(A.grad) for A in As],
            grad_W=[detach(lin.weight.grad) for lin in self.linears],
            grad_b=[detach(lin.bias.grad) for lin in self.linears],
        )

    def fused_grad_ZL(self, X, Y, loss, reduction="mean"):
        """dJ/dZ[L] through torch's fused losses on logits: BCEWithLogitsLoss or CrossEntropyLoss."""
        X = torch.as_tensor(X, dtype=self.dtype)
        Y = torch.as_tensor(Y, dtype=self.dtype)
        A = X
        for linear, activation in zip(self.linears[:-1], self.activations[:-1]):
            A = activation(linear(A))
        Z = self.linears[-1](A).detach().requires_grad_(True)
        if loss == "bce":
            L = nn.BCEWithLogitsLoss(reduction="none")(Z, Y).sum(dim=1)
        elif loss == "cce":
            L = nn.CrossEntropyLoss(reduction="none")(Z, Y)  # Y as class probabilities (one-hot rows)
        else:
            raise ValueError(f"fused path: expected loss bce or cce, got {loss!r}")
        reduce(L, reduction).backward()
        return Z.grad.detach().cpu().numpy().copy()
