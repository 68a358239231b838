"""Cross-checks of the backward equations: whole networks, per-element sums, partials, updates, training."""

import numpy as np

from reference import activations as act
from reference import elementwise as el
from reference import errata, gradients, network
from torch_impl import training as torch_training
from torch_impl.doc_models import linear_jacobians, sequential_forward
from torch_impl.twin import Twin

from ...core.cases import Case
from ...core.compare import compare
from ...core.convention import columns_to_rows, weight_decay_for_l2
from ...core.traces import reference_trace, torch_trace
from ..findings import TOLERANCE
from ._util import erratum, rel, rng, same


def _traces(case):
    data = case.draw()
    return data, reference_trace(case, data), torch_trace(case, data)


def _trace_error(ref, tor, names=None):
    return compare(ref, tor if names is None else {k: tor[k] for k in names}, TOLERANCE, order=names).worst_rel


def _by_equation(data, case, tor):
    """dZ, dW, db, dA of every layer from reference.gradients, one equation at a time, vs torch's trace."""
    X, Y, params = data
    AL, caches = network.forward(X, params, case.activations)
    L = len(caches)
    errs = {"dZ_hidden": 0.0, "dW": 0.0, "db": 0.0, "dA": 0.0}
    dZ, dA = gradients.dZ_last(AL, Y), None  # dA: set by each layer for the one below it
    for l in range(L, 0, -1):
        c = caches[l - 1]
        if l < L:
            dZ = gradients.dZ(dA, c["Z"], c["activation"])
            errs["dZ_hidden"] = max(errs["dZ_hidden"], rel(dZ, tor[f"dZ{l}"]))
        errs["dW"] = max(errs["dW"], rel(gradients.dW(dZ, c["A_prev"], case.reduction), tor[f"dW{l}"]))
        errs["db"] = max(errs["db"], rel(gradients.db(dZ, case.reduction), tor[f"db{l}"]))
        dA = gradients.dA_prev(c["W"], dZ)
        errs["dA"] = max(errs["dA"], rel(dA, tor[f"dA{l - 1}"]))
    return errs, AL, caches


def network_sum():
    """Doc 000's L-layer summary with J = sum L(i): every quantity against the torch twin (autograd)."""
    case = Case("tanh", "sigmoid_bce", reduction="sum", depth=3, m=7, seed=20)
    data, ref, tor = _traces(case)
    errs, AL, caches = _by_equation(data, case, tor)
    X, Y, params = data
    A_prev = caches[-1]["A_prev"]
    dW_L, db_L = tor["dW3"], tor["db3"]
    return {
        **same(errs["dZ_hidden"], ["000.dZ-hidden"]),
        **same(errs["dW"], ["000.dW-sum"]),
        **same(errs["db"], ["000.db-sum"]),
        **same(errs["dA"], ["000.dA-prev"]),
        **same(_trace_error(ref, tor), ["000.summary"]),
        "000.dW-last": erratum(
            rel(gradients.dW(AL - Y, A_prev, "sum"), dW_L),
            lambda: errata.dW_last_000(A_prev, AL, Y),
            dW_L,
            f"shape: the printed A[L-1] (A[L] - Y)^T is n[L-1] x n[L] = {A_prev.shape[0]} x 1, "
            f"the transpose of W[L] {dW_L.shape}",
        ),
        "000.db-last": erratum(
            rel(gradients.db(AL - Y, "sum"), db_L),
            lambda: errata.db_last_000(AL, Y),
            db_L,
            "value: dA^L = (1 - y)/(1 - a) - y/a stands where A^L belongs",
        ),
    }


def network_mean():
    """Docs 002 and 004 with J = (1/m) sum L(i): a 2-layer sigmoid net and a 3-layer softmax net vs the twin."""
    small = Case("sigmoid", "sigmoid_bce", reduction="mean", depth=2, m=7, seed=21)
    deep = Case("tanh", "softmax_cce", reduction="mean", depth=3, m=7, seed=22)
    errs = {"dZ_hidden": 0.0, "dW": 0.0, "db": 0.0, "dA": 0.0}
    whole = {}
    for case in (small, deep):
        data, ref, tor = _traces(case)
        e, _, _ = _by_equation(data, case, tor)
        errs = {k: max(errs[k], e[k]) for k in errs}
        whole[case.depth] = _trace_error(ref, tor)
        forward_names = [f"{q}{l}" for l in range(1, case.depth + 1) for q in "ZA"]
        whole[f"fwd{case.depth}"] = _trace_error(ref, tor, forward_names)
        whole[f"J{case.depth}"] = _trace_error(ref, tor, ["J"])
    return {
        **same(errs["dZ_hidden"], ["002.dZ"]),
        **same(errs["dA"], ["002.dA-prev"]),
        **same(errs["dW"], ["002.dW"]),
        **same(errs["db"], ["002.db"]),
        **same(whole[2], ["004.backprop-2layer"]),
        **same(whole["J2"], ["004.cost-2layer"]),
        **same(max(whole["fwd2"], whole["fwd3"]), ["004.layer-forward", "004.forward-L", "004.notation-L"]),
        **same(whole["fwd3"], ["004.composition", "004.layer-table"]),
        **same(max(whole[2], whole[3]), ["004.backward-L"]),
    }


def elementwise_000():
    """Doc 000's per-element sums (and doc 004's per-unit pre-activations), computed with einsum, vs autograd."""
    case = Case("tanh", "sigmoid_bce", reduction="sum", depth=3, m=6, seed=23)
    (X, Y, params), ref, tor = _traces(case)
    W1, b1, W3, b3 = params["W1"], params["b1"], params["W3"], params["b3"]
    g2 = act.tanh_prime(ref["Z2"])
    A1, A2, AL = ref["A1"], ref["A2"], ref["A3"]
    z_last, dW_last = rel(el.z_elementwise(W3, A2, b3), tor["Z3"]), rel(el.dW_last_sum(AL, Y, A2), tor["dW3"])
    per_example_bias = np.broadcast_to(b3, A2.shape)  # b_j^{[L](i)}: one per unit j and example i
    # doc 004 l.211-219: W_1 is 10 x 100; the printed rows keep x_1..x_3 only.
    r = rng(23)
    W100, b100, x100 = r.normal(size=(10, 100)), r.normal(size=(10, 1)), r.normal(size=(100, 1))
    a1_t = sequential_forward([("dense", W100, b100)], x100)
    return {
        **same(rel(el.z_elementwise(W1, X, b1), tor["Z1"]), ["000.z-elementwise", "004.preact-elementwise"]),
        "000.z-last-layer": erratum(
            z_last,
            lambda: errata.z_last_indices_000(W3, A2, per_example_bias),
            tor["Z3"],
            f"index: with j both summed and free, z_j^[L](i) has one entry per unit j of "
            f"layer L-1 {A2.shape} and b_j^[L](i) one per example; the one output unit's z "
            f"is {tor['Z3'].shape} with one bias",
        ),
        "000.dJ-dw-last-sum": erratum(
            dW_last,
            lambda: errata.dW_last_indices_000(AL, Y, A2, j=0),
            tor["dW3"],
            "index: the right side names a_j, not a_j': every w_1,j' gets unit 1's gradient",
        ),
        "004.preact-three-inputs": erratum(
            rel(el.z_elementwise(W100, x100, b100), a1_t),
            lambda: errata.preact_three_inputs_004(W100, x100, b100),
            a1_t,
            "missing term: each a_1k keeps 3 of the 100 inputs of l.211",
        ),
        **same(dW_last, ["000.chain-last"]),
        **same(rel(el.dA_elementwise(W3, ref["dZ3"]), tor["dA2"]), ["000.dL-da-elementwise"]),
        **same(rel(el.dW_double_sum(W3, ref["dZ3"], g2, A1), tor["dW2"]), ["000.dJ-dw-double-sum"]),
        **same(rel(el.dW_from_dA(ref["dA2"], g2, A1), tor["dW2"]), ["000.dJ-dw-elementwise", "000.dW-dA-elementwise"]),
        **same(rel(el.dW_from_dZ(ref["dZ2"], A1), tor["dW2"]), ["000.dW-dZ-elementwise"]),
        **same(rel(el.db_elementwise(ref["dZ2"]), tor["db2"]), ["000.db-elementwise"]),
    }


def linear_partials():
    """dz/dW, dz/db, dz/da of one layer against torch.autograd.functional.jacobian of nn.Linear's functional form."""
    r = rng(24)
    W, b, a = r.normal(size=(3, 4)), r.normal(size=(3, 1)), r.normal(size=(4, 1))
    jW, jb, ja = linear_jacobians(W, b, a)
    dz_dW, dz_db, dz_da = el.linear_partials(W, a)
    err_W = rel(dz_dW, jW)
    err_b = rel(dz_db, jb)
    err_a = rel(dz_da, ja)
    return {
        **same(err_W, ["000.dz-dw", "001.dz-dw"]),
        **same(err_a, ["000.dz-da"]),
        **same(err_b, ["000.dz-db"]),
        **same(max(err_W, err_b, err_a), ["003.dy-dw"]),
        "003.dy1-dw12": erratum(
            rel(dz_dW[0, 0, 1], jW[0, 0, 1]),
            lambda: a[0, 0],
            jW[0, 0, 1],
            f"index: dy_1/dw_12 is x_2 = {a[1, 0]:.4f}, the printed x_1 is {a[0, 0]:.4f}",
        ),
    }


def update_rules():
    """W = W - alpha dW, b = b - alpha db against one torch.optim.SGD step on autograd's gradients."""
    case = Case("sigmoid", "sigmoid_bce", reduction="mean", depth=2, m=5, seed=25)
    (X, Y, params), ref, tor = _traces(case)
    lr = 0.3
    grads = {f"dW{l}": tor[f"dW{l}"] for l in (1, 2)} | {f"db{l}": tor[f"db{l}"] for l in (1, 2)}
    stepped = torch_training.sgd_step(params, grads, lr)
    ref_grads = {k: ref[k] for k in grads}
    new = network.update(params, ref_grads, lr)
    err = max(rel(new[k], stepped[k]) for k in params)
    # doc 004: layer 3 first, then 2, then 1; every derivative taken at the old weights.
    ordered = dict(params)
    for l in (2, 1):
        ordered.update(
            network.update(
                {f"W{l}": params[f"W{l}"], f"b{l}": params[f"b{l}"]},
                {f"dW{l}": ref_grads[f"dW{l}"], f"db{l}": ref_grads[f"db{l}"]},
                lr,
            )
        )
    order_err = max(rel(ordered[k], stepped[k]) for k in params)
    theta = np.concatenate([params["W1"].ravel(), params["W2"].ravel()])
    dtheta = np.concatenate([ref_grads["dW1"].ravel(), ref_grads["dW2"].ravel()])
    theta_torch = np.concatenate([stepped["W1"].ravel(), stepped["W2"].ravel()])
    b, db = params["b1"], ref_grads["db1"]
    return {
        **same(err, ["000.update", "004.update-loop", "004.gd-update", "004.gd-2layer"]),
        **same(max(err, order_err), ["004.update-last-first"]),
        "004.update-w313": erratum(
            rel(theta - lr * dtheta, theta_torch),
            lambda: errata.update_w313_004(theta, dtheta, lr),
            theta_torch,
            "index: the last weight starts from w_111 instead of w_313",
        ),
        "004.update-b-sign": erratum(
            rel(b - lr * db, stepped["b1"]),
            lambda: errata.update_b_004(b, db, lr) - b,
            stepped["b1"] - b,
            "sign: the printed step +eta db climbs; torch.optim.SGD moves by -eta db",
        ),
    }


def _batches(m, size, seed):
    order = rng(seed).permutation(m)
    return [order[i : i + size] for i in range(0, m, size)]


def gradient_descent_004():
    """Batch GD, SGD and mini-batch SGD (doc 004): reference loops vs torch.optim.SGD over the same batches."""
    case = Case("sigmoid", "sigmoid_bce", reduction="mean", depth=2, m=12, seed=26)
    X, Y, params = case.draw()
    lr, epochs = 0.5, 2
    errs = {}
    for regime, size in (("batch", 12), ("sgd", 1), ("mini", 4)):
        ref = dict(params)
        batches = [_batches(case.m, size, seed=epoch) for epoch in range(epochs)]
        for idx in (idx for epoch in batches for idx in epoch):
            AL, caches = network.forward(X[:, idx], ref, case.activations)
            ref = network.update(ref, network.backward(AL, Y[:, idx], caches, "bce", "mean"), lr)
        twin = Twin(case.sizes, case.activations).load(params)
        list(torch_training.train(twin, columns_to_rows(X), columns_to_rows(Y), "bce", batches, lr))
        got = twin.parameters_as_numpy()
        errs[regime] = max(rel(ref[k], got[k]) for k in ref)
    return {
        **same(errs["batch"], ["004.batch-gd"]),
        **same(errs["sgd"], ["004.sgd", "004.sgd-per-point"]),
        **same(errs["mini"], ["004.minibatch-sgd"]),
    }


def regularization_004():
    """Doc 004's squared loss with L2 and L1 terms vs the twin; L2 also as torch.optim.SGD(weight_decay = 2 lambda)."""
    err = 0.0
    for reg in ("l2", "l1"):
        case = Case("tanh", "identity_sse", reduction="sum", reg=reg, depth=2, m=6, seed=27)
        _, ref, tor = _traces(case)
        err = max(err, _trace_error(ref, tor))
    # d/dW of lambda sum W^2 is 2 lambda W: SGD's weight_decay adds wd W, so wd = 2 lambda.
    case = Case("tanh", "identity_sse", reduction="sum", reg="l2", depth=2, m=6, seed=27)
    X, Y, params = case.draw()
    AL, caches = network.forward(X, params, case.activations)
    new = network.update(params, network.backward(AL, Y, caches, "sse", "sum", l2=case.l2), 0.05)
    twin = Twin(case.sizes, case.activations).load(params)
    # weight decay on the weights only, as the document's regularizer sums over w alone
    list(
        torch_training.train(
            twin,
            columns_to_rows(X),
            columns_to_rows(Y),
            "sse",
            [[np.arange(case.m)]],
            0.05,
            reduction="sum",
            weight_decay=weight_decay_for_l2(case.l2),
        )
    )
    got = twin.parameters_as_numpy()
    wd_err = max(rel(new[k], got[k]) for k in new)
    lin_case = Case("none", "identity_sse", reduction="sum", depth=1, m=8, seed=28)
    _, ref, tor = _traces(lin_case)
    return {
        **same(max(err, wd_err), ["004.squared-loss-reg"]),
        **same(_trace_error(ref, tor), ["004.optimization"]),
    }


CHECKS = (
    network_sum,
    network_mean,
    elementwise_000,
    linear_partials,
    update_rules,
    gradient_descent_004,
    regularization_004,
)
