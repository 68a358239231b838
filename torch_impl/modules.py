"""The torch side of the operator registry: one torch module (or loss) per registered name.

Each record builds torch's own module from the operator's parameters; nothing here writes a
formula in torch ops. Torch's layout is rows = examples, so softmax normalises dim 1.
The names match reference.activations.ACTIVATIONS and reference.losses.LOSSES one for one
(crosscheck.core.ops joins the two sides and refuses a name missing on either).
"""

import torch
from torch import nn, special

# name -> factory(**parameters) -> nn.Module. Parameters are the reference record's (slope, alpha).
ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": lambda slope: nn.LeakyReLU(negative_slope=slope),
    "elu": lambda alpha: nn.ELU(alpha=alpha),
    "identity": nn.Identity,
    "softmax": lambda: nn.Softmax(dim=1),
    # Extensions beyond the documents. nn.Softplus turns linear above `threshold`; 40 is where
    # log1p(e^z) and z (and their derivatives) are equal in float64, so the switch is exact there
    # (torch's default 20 would differ from softplus by e^-20 ~ 2e-9, far above float64's rtol).
    "softplus": lambda: nn.Softplus(beta=1.0, threshold=40.0),
    "silu": nn.SiLU,
    "gelu": lambda: nn.GELU(approximate="none"),
}


def activation_module(name, **parameters):
    """torch's module for the activation called `name`, built with its parameters."""
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}: expected one of {', '.join(sorted(ACTIVATIONS))}")
    return ACTIVATIONS[name](**parameters)


def _mean_over_outputs(A, Y):
    return nn.MSELoss(reduction="none")(A, Y).mean(dim=1)


def _sum_over_outputs(A, Y):
    return nn.MSELoss(reduction="none")(A, Y).sum(dim=1)


# nn.BCELoss's backward divides by max(a (1 - a), BCE_GRADIENT_FLOOR) where the documents' dJ/da
# divides by a (1 - a) (ATen's binary_cross_entropy_backward, EPSILON): for outputs within about
# 1e-12 of 0 or 1 torch's gradient is not the documents' one. ATen's EPSILON is a C++ float, so the
# floor is float32's 1e-12, 9.99999996e-13, in float64 too (measured: tests/test_training.py). Named
# here for the harness, which says so when a run parts there (crosscheck.training.diagnosis);
# nothing here applies it.
BCE_GRADIENT_FLOOR = float(torch.tensor(1e-12, dtype=torch.float32))


def _bce(A, Y):
    return nn.BCELoss(reduction="none")(A, Y).sum(dim=1)


def _cce(A, Y):
    if bool(((Y == 0) | (Y == 1)).all()) and bool((Y.sum(dim=1) == 1).all()):
        return nn.NLLLoss(reduction="none")(A.log(), Y.argmax(dim=1))
    # Soft targets: KL(Y || A) + H(Y) is the cross entropy; H(Y) does not depend on A.
    return nn.KLDivLoss(reduction="none")(A.log(), Y).sum(dim=1) + special.entr(Y).sum(dim=1)


# name -> per-example loss L(i) of rows A, Y: torch's loss modules with reduction="none",
# summed (bce, sse) or averaged (mse) over the outputs of one example.
LOSSES = {"bce": _bce, "cce": _cce, "mse": _mean_over_outputs, "sse": _sum_over_outputs}

# Output activation + loss pairs that torch fuses on logits: L(i) of Z[L] directly.
FUSED = {
    "bce": lambda Z, Y: nn.BCEWithLogitsLoss(reduction="none")(Z, Y).sum(dim=1),
    "cce": lambda Z, Y: nn.CrossEntropyLoss(reduction="none")(Z, Y),  # Y as class probabilities per row
}


def per_example_loss(loss, A, Y):
    """L(i) for each row of A (predictions) and Y (targets)."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}: expected one of {', '.join(LOSSES)}")
    return LOSSES[loss](A, Y)


def fused_loss(loss, Z, Y):
    """L(i) for each row of logits Z through torch's fused loss (BCEWithLogitsLoss, CrossEntropyLoss)."""
    if loss not in FUSED:
        raise ValueError(f"loss: expected {' or '.join(FUSED)} for a fused output layer, got {loss!r}")
    return FUSED[loss](Z, Y)


def reduce(L, reduction):
    """J from the per-example losses: their mean or their sum."""
    if reduction == "mean":
        return L.mean()
    if reduction == "sum":
        return L.sum()
    raise ValueError(f"unknown reduction {reduction!r}: expected one of mean, sum")
