"""The documents' shortcut dZ[L] = A[L] - Y against torch's fused losses on logits.

BCEWithLogitsLoss and CrossEntropyLoss differentiate the loss of Z[L] directly, without
passing through A[L]: an independent opinion on the shortcut (doc 000 "dZ[L] = A[L] - Y",
doc 004 "dZ2 = A2 - Y").
"""

from reference import network
from torch_impl.twin import Twin

from . import convention
from .compare import compare
from .tolerances import tolerance_for

FUSED_PAIRINGS = ("sigmoid_bce", "softmax_cce")


def fused_comparison(case):
    """dZ[L] from the reference's shortcut, from autograd through the modules, and from the fused loss."""
    X, Y, params = case.draw()
    AL, caches = network.forward(X, params, case.activations)
    grads = network.backward(AL, Y, caches, case.loss, case.reduction)
    twin = Twin(case.sizes, case.activations, case.dtype).load(params)
    rows_X, rows_Y = convention.columns_to_rows(X), convention.columns_to_rows(Y)
    k = convention.per_example_factor(case.reduction, case.m)
    fused = k * convention.rows_to_columns(twin.fused_grad_ZL(rows_X, rows_Y, case.loss, case.reduction))
    chained = k * convention.rows_to_columns(twin.capture(rows_X, rows_Y, case.loss, case.reduction).grad_Z[-1])
    L = case.depth
    tol = tolerance_for(case.dtype)
    return compare(
        {"A-Y vs fused": grads[f"dZ{L}"], "modules vs fused": chained},
        {"A-Y vs fused": fused, "modules vs fused": fused},
        tol,
        label=case.id,
    )
