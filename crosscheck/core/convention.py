"""The one place where the documents' conventions are mapped onto PyTorch's.

Layout. The documents put examples in columns (X is n[0] x m, Z[l] is n[l] x m); torch's
nn.Linear takes examples in rows (m x n[0]). So Z, A and their gradients are transposed.
W[l] has the same orientation on both sides (nn.Linear.weight is n[l] x n[l-1]); b[l] is a
column n[l] x 1 in the documents and a flat vector of n[l] in torch.

Per-example dA and dZ. Autograd gives dJ/dZ[l][:, i]. With J = (1/m) sum_i L(i) ("mean", docs
001, 002, 004) that is (1/m) dL(i)/dZ[:, i], so the documents' per-example dZ is m times
autograd's. With J = sum_i L(i) ("sum", doc 000) the two are equal. The same holds for dA,
including dA0 (the gradient for X). Regularization terms do not reach dA or dZ.

dW and db. The documents' dW and db are derivatives of J (the 1/m is in dW = (1/m) dZ A^T),
and so is autograd's weight.grad: they map with no factor, whatever the reduction.

L2 as weight decay. Doc 004 adds l2 * sum W^2 to J, whose gradient is 2 l2 W (reference.network.
backward). torch.optim.SGD's weight_decay wd adds wd * W to the gradient, so wd = 2 l2. SGD decays
every parameter it is given; the documents never regularize biases, so biases go into a parameter
group with weight_decay 0 (torch_impl.training.optimizer).
"""

import numpy as np


def per_example_factor(reduction, m):
    """What autograd's dJ/dZ must be multiplied by to give the documents' per-example dZ."""
    if reduction == "mean":
        return float(m)
    if reduction == "sum":
        return 1.0
    raise ValueError(f"unknown reduction {reduction!r}: expected one of mean, sum")


def weight_decay_for_l2(l2):
    """torch.optim.SGD's weight_decay equal to doc 004's term l2 * sum W^2: wd = 2 l2."""
    return 2.0 * l2


def rows_to_columns(array):
    """Torch's m x n rows to the documents' n x m columns."""
    return np.ascontiguousarray(np.asarray(array).T)


def columns_to_rows(array):
    """The documents' n x m columns to torch's m x n rows."""
    return np.ascontiguousarray(np.asarray(array).T)


def bias_to_column(bias):
    """nn.Linear.bias (n,) to the documents' b (n x 1)."""
    return np.asarray(bias).reshape(-1, 1)


def document_trace(capture, reduction, m):
    """Translate a torch Capture into the documents' names and shapes (Z1, A1, ..., J, dA2, dZ2, ...)."""
    k = per_example_factor(reduction, m)
    L = len(capture.Z)
    trace = {}
    for l in range(1, L + 1):
        trace[f"Z{l}"] = rows_to_columns(capture.Z[l - 1])
        trace[f"A{l}"] = rows_to_columns(capture.A[l])
    trace["J"] = np.array(capture.J)
    for l in range(L, 0, -1):
        trace[f"dA{l}"] = k * rows_to_columns(capture.grad_A[l])
        trace[f"dZ{l}"] = k * rows_to_columns(capture.grad_Z[l - 1])
        trace[f"dW{l}"] = np.asarray(capture.grad_W[l - 1])
        trace[f"db{l}"] = bias_to_column(capture.grad_b[l - 1])
    trace["dA0"] = k * rows_to_columns(capture.grad_A[0])
    return trace
