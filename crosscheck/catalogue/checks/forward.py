"""Cross-checks of the forward equations, activations, losses and their derivatives (docs 000-004)."""

import numpy as np

from reference import activations as act
from reference import errata, gradients, layers, network
from reference import losses as losses_mod
from torch_impl import elementwise as torch_pieces
from torch_impl.doc_models import dense_weight_shape, sequential_forward

from ..findings import Finding
from ._util import columns_to_rows, erratum, rel, rng, rows_to_columns, same, worst

DOCUMENTED = [name for name, record in act.ACTIVATIONS.items() if not record.extension]


def linear_layer():
    """Z = W A + b in the column layout against nn.Linear on rows; the documented shapes."""
    r = rng(1)
    X, W, b = r.normal(size=(4, 7)), r.normal(size=(3, 4)), r.normal(size=(3, 1))
    Z_torch = sequential_forward([("dense", W, b)], X)
    Z = network.linear_forward(X, W, b)
    err = rel(Z, Z_torch)
    # Shapes: W is n[l] x n[l-1] exactly as nn.Linear.weight, b is n[l] x 1, Z and A are n[l] x m.
    A, _ = network.forward(X, {"W1": W, "b1": b}, ["tanh"])
    shapes_ok = dense_weight_shape(W, b) == W.shape and b.shape == (3, 1) and Z.shape == A.shape == (3, 7)
    shape_err = 0.0 if shapes_ok else np.inf
    # doc 004's loop, one column x[i] at a time, against the vectorized Z.
    loop = np.hstack([sequential_forward([("dense", W, b)], X[:, i : i + 1]) for i in range(X.shape[1])])
    loop_err = rel(Z, loop)
    out = same(
        worst(err, shape_err),
        [
            "000.X-layout",
            "000.Z-forward",
            "000.shapes",
            "002.X-columns",
            "002.W-shape",
            "002.b-shape",
            "002.ZA-shape",
            "002.Z1",
            "002.Z-forward",
            "004.a1-vector",
            "004.index-convention",
        ],
    )
    out.update(same(worst(err, loop_err), ["004.loop-vs-vectorized"]))
    return out


def _kinked(seed, shape=(5, 7)):
    """Pre-activations on both sides of 0, with exact zeros where relu, leaky relu and elu bend."""
    Z = rng(seed).normal(scale=2.0, size=shape)
    Z[0, :3] = 0.0
    return Z


def _torch_vjp(name, Z, G):
    """(A, dZ) from torch's module for `name` on the columns of Z (softmax over each column)."""
    A, dZ = torch_pieces.activation_vjp(
        name, columns_to_rows(Z), columns_to_rows(G), **act.ACTIVATIONS[name].defaults()
    )
    return rows_to_columns(A), rows_to_columns(dZ)


def activations():
    """g(Z) for every documented activation against torch's modules (softmax over each column)."""
    Z = _kinked(2)
    errs = {name: rel(act.forward(name, Z), _torch_vjp(name, Z, np.ones_like(Z))[0]) for name in DOCUMENTED}
    every = max(errs.values())
    return {
        **same(errs["sigmoid"], ["000.sigmoid"]),
        **same(every, ["000.A-forward", "000.a-elementwise"]),
        **same(errs["tanh"], ["002.tanh"]),
        **same(errs["relu"], ["002.relu", "003.relu"]),
        **same(errs["elu"], ["002.elu"]),
        **same(errs["leaky_relu"], ["002.leaky-relu"]),
        **same(errs["softmax"], ["003.softmax", "004.softmax"]),
        **same(errs["identity"], ["004.identity"]),
    }


def activation_primes():
    """g'(Z) against autograd through torch's modules, at the kinks too (g'(0) as torch defines it)."""
    Z = _kinked(3)
    dA = rng(4).normal(size=Z.shape)
    errs, chained = {}, 0.0
    for name in (n for n in DOCUMENTED if act.ACTIVATIONS[n].elementwise):
        # An elementwise g has a diagonal Jacobian: a random upstream dA recovers dA * g'(Z).
        dZ_torch = _torch_vjp(name, Z, dA)[1]
        errs[name] = rel(dA * act.derivative(name, Z), dZ_torch)
        chained = max(chained, rel(act.backward(name, dA, Z, act.forward(name, Z)), dZ_torch))
    return {
        **same(errs["sigmoid"], ["002.sigmoid-prime", "000.da-dz", "001.da-dz"]),
        **same(errs["tanh"], ["003.tanh-prime"]),
        **same(errs["relu"], ["002.relu-prime", "003.relu-prime"]),
        **same(errs["leaky_relu"], ["002.leaky-relu-prime"]),
        **same(errs["elu"], ["002.elu-prime"]),
        **same(errs["identity"], ["004.identity-prime"]),
        **same(chained, ["000.g-prime-elementwise"]),
    }


def _binary(seed, m=9):
    r = rng(seed)
    AL = act.sigmoid(r.normal(size=(1, m)))
    Y = r.integers(0, 2, size=(1, m)).astype(float)
    Y[0, :2] = [0.0, 1.0]  # both labels present, so every branch of the loss is reached
    return AL, Y


def _categorical(seed, k=3, m=8):
    r = rng(seed)
    Z = r.normal(size=(k, m))
    labels = r.integers(0, k, size=m)
    return Z, act.softmax(Z), np.eye(k)[:, labels], labels


def _torch_loss(loss, AL, Y):
    """(per-example L(i) as a 1 x m row, dL(i)/dA[L] as columns) from torch's loss module."""
    L, dA = torch_pieces.loss_gradient(loss, columns_to_rows(AL), columns_to_rows(Y))
    return L.reshape(1, -1), rows_to_columns(dA)


def _torch_J(loss, AL, Y, reduction, fused=False):
    return torch_pieces.reduced_loss(loss, columns_to_rows(AL), columns_to_rows(Y), reduction, fused=fused)


def losses():
    """Per-example losses and both reductions against torch's loss modules."""
    AL, Y = _binary(5)
    bce_t = _torch_loss("bce", AL, Y)[0]
    bce_err = rel(losses_mod.bce(AL, Y), bce_t)
    sum_err = rel(losses_mod.reduce(losses_mod.bce(AL, Y), "sum"), _torch_J("bce", AL, Y, "sum"))
    mean_err = rel(losses_mod.reduce(losses_mod.bce(AL, Y), "mean"), _torch_J("bce", AL, Y, "mean"))
    # P(y=0) = 1 - P(y=1): the binary distribution is the softmax of the logits [0, z].
    z = np.log(AL / (1 - AL))
    dist = np.vstack([1 - act.sigmoid(z), act.sigmoid(z)])
    logits = np.vstack([np.zeros_like(z), z])
    dist_err = rel(dist, _torch_vjp("softmax", logits, np.ones_like(logits))[0])
    Z, A, Yc, _ = _categorical(6)
    cce_err = rel(losses_mod.cce(A, Yc), _torch_loss("cce", A, Yc)[0])
    cce_mean = rel(losses_mod.reduce(losses_mod.cce(A, Yc), "mean"), _torch_J("cce", Z, Yc, "mean", fused=True))
    R = rng(7).normal(size=(3, 6))
    Ytarget = rng(8).normal(size=(3, 6))
    sse_mean = rel(losses_mod.reduce(losses_mod.sse(R, Ytarget), "mean"), _torch_J("sse", R, Ytarget, "mean"))
    y_star, y = rng(9).normal(size=(4, 1)), rng(10).normal(size=(4, 1))
    mse_t = _torch_J("mse", y, y_star, "mean")
    mse_err = worst(rel(layers.mse(y_star, y), mse_t), rel(losses_mod.mse(y, y_star)[0, 0], mse_t))
    return {
        **same(bce_err, ["000.bce", "001.loss", "002.bce", "002.bce-cases", "004.bce-cases", "004.bce-a"]),
        **same(sum_err, ["000.cost-sum"]),
        **same(mean_err, ["001.cost-mean"]),
        **same(dist_err, ["004.binary-distribution"]),
        **same(cce_err, ["004.cce"]),
        **same(cce_mean, ["004.cce-mean"]),
        **same(sse_mean, ["004.sse-mean"]),
        **same(mse_err, ["003.mse"]),
        "001.cost-argument-order": _argument_order(AL, Y, mean_err),
        "004.bce-printed": erratum(
            bce_err,
            lambda: errata.bce_004(AL, Y),
            bce_t,
            "value: for y = 0 the printed loss is -log(y_hat) where BCELoss gives -log(1 - y_hat)",
        ),
        "004.logistic-cost-printed": erratum(
            bce_err,
            lambda: errata.logistic_cost_004(AL, Y),
            bce_t,
            "sign: the (1 - y) log(1 - y') term enters with + where BCELoss has -",
        ),
    }


def _argument_order(AL, Y, corrected):
    """Doc 001 l.42's L(y_hat, y) by l.36's definition L(y, y_hat) = -[y log y_hat + (1 - y) log(1 - y_hat)]:
    the labels (0 or 1) go inside the logarithms. Read by role, it is nn.BCELoss's mean (corrected)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        literal = float(np.mean(-(AL * np.log(Y) + (1 - AL) * np.log(1 - Y))))
    return Finding(
        corrected,
        np.inf if not np.isfinite(literal) else rel(literal, float(_torch_J("bce", AL, Y, "mean"))),
        f"convention: by role (prediction, label), as l.46 writes L(a, y), it is nn.BCELoss's mean (to "
        f"{corrected:.1e}); with l.36's L(y, y_hat) taken literally the labels enter the logarithms and "
        f"the cost is {literal}",
    )


def loss_primes():
    """dA[L] per example against autograd of torch's losses (the gradient of sum_i L(i): no 1/m)."""
    AL, Y = _binary(11)
    bce_t = _torch_loss("bce", AL, Y)[1]
    bce_err = rel(losses_mod.bce_prime(AL, Y), bce_t)
    # doc 001 and doc 004 also print the merged form (a - y) / (a (1 - a)).
    merged_err = rel((AL - Y) / (AL * (1 - AL)), bce_t)
    _, A, Yc, _ = _categorical(12)
    R, Yr = rng(13).normal(size=(3, 5)), rng(14).normal(size=(3, 5))
    y_star, y = rng(15).normal(size=(4, 1)), rng(16).normal(size=(4, 1))
    mse_t = _torch_loss("mse", y, y_star)[1]
    mse_err = worst(rel(layers.mse_prime(y_star, y), mse_t), rel(losses_mod.mse_prime(y, y_star), mse_t))
    return {
        **same(bce_err, ["002.bce-dA", "004.bce-dA"]),
        **same(worst(bce_err, merged_err), ["001.dL-da", "004.da"]),
        **same(rel(losses_mod.cce_prime(A, Yc), _torch_loss("cce", A, Yc)[1]), ["004.cce-dA"]),
        **same(rel(losses_mod.sse_prime(R, Yr), _torch_loss("sse", R, Yr)[1]), ["004.sse-dA"]),
        **same(mse_err, ["003.mse-prime"]),
        "000.dJ-da": erratum(
            bce_err,
            lambda: errata.dJ_da_000(AL, Y),
            bce_t,
            f"shape: the printed sum over i is one number; dJ/dA[L] has one entry per example {bce_t.shape}",
        ),
    }


def last_layer_dZ():
    """dZ[L] = A[L] - Y against autograd through nn.Sigmoid + BCELoss and through CrossEntropyLoss (sum)."""
    Z = rng(17).normal(size=(1, 6))
    _, Y = _binary(18, 6)
    dZ_t = rows_to_columns(torch_pieces.output_gradient("sigmoid", "bce", columns_to_rows(Z), columns_to_rows(Y)))
    AL = act.sigmoid(Z)
    bce_err = rel(gradients.dZ_last(AL, Y), dZ_t)
    chain_err = rel(losses_mod.bce_prime(AL, Y) * act.sigmoid_prime(Z), dZ_t)  # dz = da . g'(z)
    Zc, A, Yc, _ = _categorical(19)
    dZc_t = rows_to_columns(torch_pieces.fused_gradient("cce", columns_to_rows(Zc), columns_to_rows(Yc)))
    cce_err = rel(gradients.dZ_last(A, Yc), dZc_t)
    return {
        **same(bce_err, ["000.dZ-last", "002.dz-logistic"]),
        **same(worst(bce_err, chain_err), ["004.dz-chain"]),
        **same(cce_err, ["004.softmax-cce-dZ"]),
        "002.Y-shape": erratum(
            bce_err,
            lambda: errata.dZ_last_Y_column_002(AL, Y),
            dZ_t,
            f"convention: read as the 1 x m row of labels, A[L] - Y agrees with autograd to "
            f"{rel(AL - Y.reshape(1, -1), dZ_t):.1e}; as drawn, a column Y (m x 1) makes "
            f"A[L] - Y broadcast to m x m where autograd's dZ is {Z.shape}",
        ),
    }


CHECKS = (linear_layer, activations, activation_primes, losses, loss_primes, last_layer_dZ)
