"""Cross-checks of document 001: logistic regression (propagate, optimize, predict) and the 2-layer sigmoid net."""

import ast
import math

import numpy as np

from reference import activations as act
from reference import errata, logistic
from torch_impl.doc_models import (
    logistic_example_grads,
    logistic_sgd,
    logistic_trace,
    sequential_forward,
    two_layer_da1,
    two_layer_grads,
)

from .. import seeds
from ..findings import Finding
from ._util import erratum, rel, rng, same, worst


def _data(seed, p=4, m=10):
    r = rng(seed)
    w, b = r.normal(size=(p, 1)), float(r.normal())
    X = r.normal(size=(p, m))
    Y = r.integers(0, 2, size=(1, m)).astype(float)
    return w, b, X, Y


def logistic_001():
    """z = w^T X + b, sigma, propagate, per-example gradients, optimize, predict: vs nn.Linear(p, 1) + nn.Sigmoid +
    nn.BCELoss and torch.optim.SGD over the same iterations."""
    w, b, X, Y = _data(40)
    tr = logistic_trace(w, b, X, Y)
    z_t, a_t = tr["z"], tr["a"]
    z_err = rel(logistic.linear(w, b, X), z_t)
    a_err = rel(logistic.forward(w, b, X), a_t)
    grads, cost = logistic.propagate(w, b, X, Y)
    prop = worst(rel(cost, tr["J"]), rel(grads["dw"], tr["dw"]), rel(grads["db"], tr["db"]))
    dw_i, db_i = logistic.example_gradients(w, b, X, Y)
    gw_i, gb_i = logistic_example_grads(w, b, X, Y)
    per_example = worst(rel(dw_i, gw_i), rel(db_i, gb_i))
    params, last, costs = logistic.optimize(w, b, X, Y, num_iterations=25, learning_rate=0.5)
    w_t, b_t, last_t, costs_t = logistic_sgd(w, b, X, Y, 25, 0.5)
    opt = worst(
        rel(params["w"], w_t),
        rel(params["b"], b_t),
        rel(costs, costs_t),
        rel(last["dw"], last_t[0]),
        rel(last["db"], last_t[1]),
    )
    pred = rel(logistic.predict(w, b, X), (a_t >= 0.5).astype(float))
    w_abs, X_abs = logistic.absorb_bias(w, b, X)
    absorbed = rel(w_abs.T @ X_abs, z_t)
    return {
        **same(z_err, ["001.linear", "002.Z-logistic"]),
        **same(a_err, ["001.yhat", "004.logistic-forms"]),
        **same(pred, ["001.predict"]),
        **same(prop, ["001.propagate"]),
        **same(per_example, ["001.dw", "001.db", "004.dw-elementwise"]),
        **same(opt, ["001.optimize", "004.gd-logistic"]),
        **same(absorbed, ["004.absorbed-bias"]),
        "001.backward-z": erratum(
            z_err,
            lambda: errata.z_backward_001(w, b),
            z_t,
            f"shape: w + b is {w.shape}, one entry per weight; z = w^T x + b has one per example {z_t.shape}",
        ),
    }


def two_layer_001():
    """Doc 001's 2-layer sigmoid net, one example at a time: forward and per-example gradients vs
    nn.Linear + nn.Sigmoid (twice) + nn.BCELoss and autograd; the printed dL/da1, dW1, db1 beside them."""
    r = rng(41)
    params = {
        "W1": r.normal(size=(3, 4)),
        "b1": r.normal(size=(3, 1)),
        "W2": r.normal(size=(1, 3)),
        "b2": r.normal(size=(1, 1)),
    }
    spec = [("dense", params["W1"], params["b1"]), ("sigmoid",), ("dense", params["W2"], params["b2"]), ("sigmoid",)]
    fwd = grad2 = grad1 = da1 = 0.0
    printed = {}
    for i, y in enumerate((1.0, 0.0, 1.0)):
        x = r.normal(size=(4, 1))
        a1, a2 = logistic.two_layer_forward(params, x)
        fwd = max(fwd, rel(a2, sequential_forward(spec, x)))
        g = logistic.two_layer_gradients(params, x, y)
        gt = two_layer_grads(params, x, y)
        grad2 = max(grad2, rel(g["dW2"], gt["dW2"]), rel(g["db2"], gt["db2"]))
        grad1 = max(grad1, rel(g["dW1"], gt["dW1"]), rel(g["db1"], gt["db1"]))
        # autograd's dL/da1, through a leaf a1 fed to the second layer
        da1_t = two_layer_da1(params, a1, y)
        da1 = max(da1, rel(params["W2"].T @ (a2 - y), da1_t))
        if i == 0:
            # The row reading: (a2 - y) W2 holds dL/da1's entries as a row; dW1[j, k] = row[j] (1 - a1[j]) a1[j] x[k].
            row = errata.dL_da1_001(a2, y, params["W2"])
            delta = row * ((1 - a1) * a1).T
            read = {
                "001.dL-da1": rel(row.T, da1_t),
                "001.dW1": rel(np.outer(delta, x), gt["dW1"]),
                "001.db1": rel(delta.T, gt["db1"]),
            }
            printed = {
                "001.dL-da1": (
                    lambda a2=a2, y=y: errata.dL_da1_001(a2, y, params["W2"]),
                    da1_t,
                    f"convention: read as a row, (a2 - y) W2 is autograd's dL/da1 transposed (to "
                    f"{read['001.dL-da1']:.1e}); as the gradient column it is {params['W2'].shape} where "
                    f"dL/da1 is {a1.shape} like a1",
                ),
                "001.dW1": (
                    lambda a2=a2, y=y, a1=a1, x=x: errata.dW1_001(a2, y, params["W2"], a1, x),
                    gt["dW1"],
                    f"convention: element by element, dW1[j, k] = (a2 - y) W2[j] (1 - a1[j]) a1[j] x[k] is "
                    f"autograd's (to {read['001.dW1']:.1e}); as matrices (1 x 3) * (3 x 1) broadcasts to "
                    f"3 x 3 and times x {x.shape} is undefined",
                ),
                "001.db1": (
                    lambda a2=a2, y=y, a1=a1: errata.db1_001(a2, y, params["W2"], a1),
                    gt["db1"],
                    f"convention: element by element, db1[j] = (a2 - y) W2[j] (1 - a1[j]) a1[j] is autograd's "
                    f"(to {read['001.db1']:.1e}); as matrices (1 x 3) * (3 x 1) broadcasts to 3 x 3, db1 "
                    f"is {gt['db1'].shape}",
                ),
            }
    out = {
        **same(fwd, ["001.two-layer-forward"]),
        **same(grad2, ["001.dW2", "001.db2"]),
    }
    corrected = {"001.dL-da1": da1, "001.dW1": grad1, "001.db1": grad1}
    for i, (fn, expected, how) in printed.items():
        out[i] = erratum(corrected[i], fn, expected, how)
    return out


PROPAGATE = range(90, 101)  # doc 001's printed propagate(), l.90-100
COST_LINE = 96  # its cost line, which opens np.sum( and never closes it


def _printed_propagate():
    """The printed def propagate(...) as the seed text has it, and the same with the two repairs the
    catalogue's `corrected` names: the closing parenthesis of l.96 and the return that l.77 unpacks."""
    numbered = seeds.lines("001")
    printed = "\n".join(numbered[k - 1] for k in PROPAGATE)
    closed = "\n".join(numbered[k - 1] + (")" if k == COST_LINE else "") for k in PROPAGATE)
    return printed, closed, closed + '\n    return {"dw": dw, "db": db}, cost\n'


def code_001():
    """Doc 001's printed propagate(): ast.parse on the seed text, then the repaired code run against nn.BCELoss."""
    try:
        printed, closed, repaired = _printed_propagate()
    except seeds.SeedsMissing as exc:
        return {"001.propagate": Finding(math.inf, math.nan, f"seeds: {exc}")}
    try:
        ast.parse(printed)
        parse_error = None
    except SyntaxError as exc:
        parse_error = f"{exc.msg} (l.{PROPAGATE.start + exc.lineno - 1})"
    w, b, X, Y = _data(42)
    scope = {"np": np, "sigmoid": act.sigmoid}
    exec(compile(closed, "doc001-propagate", "exec"), scope)  # the document's own code
    unpacks = True
    try:
        grads, cost = scope["propagate"](w, b, X, Y)
    except TypeError:
        unpacks = False  # l.77's `grads, cost = propagate(...)` of a function that returns None
    exec(compile(repaired, "doc001-propagate", "exec"), scope)
    grads, cost = scope["propagate"](w, b, X, Y)
    tor = logistic_trace(w, b, X, Y)  # nn.Linear + nn.Sigmoid + nn.BCELoss (mean) and autograd
    error = worst(rel(cost, tor["J"]), rel(grads["dw"], tor["dw"]), rel(grads["db"], tor["db"]))
    how = f"code: the printed function does not parse: {parse_error}" if parse_error else "code: it parses"
    how += (
        "; with the parenthesis closed it runs but returns None, which l.77's grads, cost = propagate(...) "
        "cannot unpack"
        if not unpacks
        else ""
    )
    return {"001.propagate": Finding(error, math.inf if parse_error else 0.0, how)}


CHECKS = (logistic_001, two_layer_001, code_001)
