"""Cross-checks of document 003's layer objects: Dense, Activation, Softmax, MSE and the sequential model."""

import numpy as np

from reference import activations as act
from reference import elementwise as el
from reference import errata, layers
from torch_impl.doc_models import dense_step, linear_jacobians, sequential_trace, sequential_train
from torch_impl.elementwise import activation_jacobian, activation_vjp

from ..findings import Finding
from ._util import columns_to_rows, erratum, rel, rng, rows_to_columns, same, worst


def dense_003():
    """Dense forward, its three gradients (matrix and per-element) and its in-layer step vs nn.Linear + SGD."""
    r = rng(30)
    layer = layers.Dense(4, 3, rng=r)
    x, dY, lr = r.normal(size=(4, 1)), r.normal(size=(3, 1)), 0.1
    W0, b0 = layer.W.copy(), layer.b.copy()
    Y_t, gW, gb, gX, W_t, b_t = dense_step(W0, b0, x, dY, lr)  # a random upstream dC/dY
    fwd = rel(layer.forward(x), Y_t)
    dW, db, dX = layer.gradients(dY)
    dX_step = layer.backward(dY, lr)
    step = worst(rel(layer.W, W_t), rel(layer.b, b_t), rel(dX_step, gX))
    return {
        **same(fwd, ["003.dense-forward"]),
        **same(rel(dW, gW), ["003.dC-dW"]),
        **same(rel(el.dense_dW_elementwise(dY, x), gW), ["003.dC-dw-elementwise"]),
        **same(rel(db, gb), ["003.dC-db"]),
        **same(rel(dX, gX), ["003.dC-dX"]),
        **same(rel(el.dense_dX_elementwise(W0, dY), gX), ["003.dC-dX-elementwise"]),
        **same(step, ["003.dense-update"]),
    }


def activation_layer_003():
    """Tanh, Sigmoid and ReLU layers: Y = F(X) and dL/dX = dL/dY (Hadamard) F'(X) vs torch modules and autograd."""
    x = rng(31).normal(size=(5, 1))
    x[0, 0] = 0.0  # relu's kink
    dY = rng(32).normal(size=(5, 1))
    fwd = bwd = jac = 0.0
    for layer, name in ((layers.Tanh(), "tanh"), (layers.Sigmoid(), "sigmoid"), (layers.ReLU(), "relu")):
        out, grad = activation_vjp(name, x, dY)
        fwd = max(fwd, rel(layer.forward(x), out))
        bwd = max(bwd, rel(layer.backward(dY, 0.1), grad))
        # The Jacobian of an elementwise F is diag(F'(x)): only the k = i term survives.
        jac = max(jac, rel(np.diagflat(layer.activation_prime(x)), activation_jacobian(name, x[:, 0])))
    tanh_grad = activation_vjp("tanh", x, dY)[1]
    return {
        **same(fwd, ["003.activation-forward"]),
        **same(bwd, ["003.activation-backward"]),
        "003.activation-terms": erratum(
            jac,
            lambda: errata.activation_terms_003(dY, x, act.tanh_prime),
            tanh_grad,
            "value: with every term 0, dL/dx = 0; autograd's dL/dx_1 is dL/dy_1 F'(x_1)",
        ),
    }


def softmax_003():
    """Doc 003's softmax derivatives: partials, Jacobian, (A (Hadamard) (I - A^T)) dL/dy and the shortcut, vs autograd."""
    x = rng(33).normal(size=(5, 1))
    dY = rng(34).normal(size=(5, 1))
    y = act.softmax(x)
    J = activation_jacobian("softmax", x[:, 0])  # [i, k] = dy_i/dx_k
    grad = rows_to_columns(activation_vjp("softmax", columns_to_rows(x), columns_to_rows(dY))[1])
    P = el.softmax_partials(y)
    diag, off = np.eye(5, dtype=bool), ~np.eye(5, dtype=bool)
    layer = layers.Softmax()
    layer.forward(x)
    jac_form = rel(layer.backward(dY, 0.1), grad)
    shortcut = rel(act.softmax_backward(dY, y), layer.backward(dY, 0.1))  # the two forms agree
    return {
        **same(rel(el.softmax_dX_elementwise(y, dY), grad), ["003.softmax-chain"]),
        **same(rel(P[diag], J[diag]), ["003.softmax-diag"]),
        "003.softmax-offdiag": _offdiag_cases(y, J, rel(P[off], J[off])),
        **same(rel(layers.softmax_jacobian(y), J), ["003.softmax-jacobian-matrix"]),
        **same(worst(jac_form, shortcut), ["003.softmax-jacobian"]),
        "003.softmax-jacobian-rows": erratum(
            rel(layers.softmax_jacobian_form(y), J),
            lambda: errata.softmax_first_matrix_003(y),
            J,
            "value: row 1 comes out y_k (delta_1k - y_k) instead of y_1 (delta_1k - y_k)",
        ),
    }


def _offdiag_cases(y, J, corrected):
    """Doc 003's second case as printed, "k != j", against autograd's Jacobian: the pairs k = j != i are in
    neither case. With "k != i" (corrected) every off-diagonal entry is -y_k y_i."""
    j = 1
    printed = errata.softmax_cases_003(y, j)
    undefined = int(np.isnan(printed).sum())
    defined = ~np.isnan(printed)
    return Finding(
        corrected,
        np.inf if undefined else rel(printed[defined], J[defined]),
        f"index: with the printed 'k != j' (j = {j + 1} here) the {undefined} entries k = j != i of the "
        f"{J.shape[0]} x {J.shape[1]} Jacobian fall under neither case; the cases k = i, k != i cover it",
    )


def _network(seed):
    r = rng(seed)
    return [
        layers.Dense(3, 5, rng=r),
        layers.Tanh(),
        layers.Dense(5, 4, rng=r),
        layers.Sigmoid(),
        layers.Dense(4, 3, rng=r),
        layers.Softmax(),
    ]


def _spec(network):
    names = {layers.Tanh: "tanh", layers.Sigmoid: "sigmoid", layers.ReLU: "relu", layers.Softmax: "softmax"}
    return [("dense", l.W.copy(), l.b.copy()) if isinstance(l, layers.Dense) else (names[type(l)],) for l in network]


def sequential_003():
    """A Dense-Tanh-Dense-Sigmoid-Dense-Softmax stack with MSE: one sample forward and backward, then training,
    against nn.Sequential with nn.MSELoss, autograd and torch.optim.SGD (one step per sample)."""
    network = _network(35)
    r = rng(36)
    x, y = r.normal(size=(3, 1)), np.eye(3)[:, [1]]
    out_t, C_t, dX_t, grads_t = sequential_trace(_spec(network), x, y)
    out = layers.predict(network, x)
    grad = layers.mse_prime(y, out)
    dense_grads = []
    for layer in reversed(network):
        if isinstance(layer, layers.Dense):
            dW, db, _ = layer.gradients(grad)
            dense_grads.insert(0, (dW, db))
        grad = layer.backward(grad, 0.0)  # learning rate 0: the gradients alone
    one = worst(
        rel(out, out_t),
        rel(grad, dX_t),
        *(rel(a, b) for (dW, db), (gW, gb) in zip(dense_grads, grads_t) for a, b in ((dW, gW), (db, gb))),
    )
    xs = [r.normal(size=(3, 1)) for _ in range(6)]
    ys = [np.eye(3)[:, [k]] for k in r.integers(0, 3, size=6)]
    network = _network(37)
    params_t, errors_t = sequential_train(_spec(network), xs, ys, epochs=3, learning_rate=0.5)
    errors = layers.train(network, layers.mse, layers.mse_prime, xs, ys, epochs=3, learning_rate=0.5)
    dense = [l for l in network if isinstance(l, layers.Dense)]
    trained = worst(
        rel(errors, errors_t),
        *(rel(l.W, W) for l, (W, _) in zip(dense, params_t)),
        *(rel(l.b, b) for l, (_, b) in zip(dense, params_t)),
    )
    return {
        **same(worst(one, trained), ["003.sequential"]),
        **same(rel(layers.mse(y, out), C_t), ["003.mse"]),
        **same(one, ["003.mse-prime"]),
    }


def shapes_003():
    """The shapes doc 003 writes under its vectors and matrices, and its chain rule dC/dw = dC/dy . dy/dw,
    against autograd's gradients and torch.autograd.functional.jacobian."""
    r = rng(38)
    i, j = 4, 3
    W, b, x, dY = r.normal(size=(j, i)), r.normal(size=(j, 1)), r.normal(size=(i, 1)), r.normal(size=(j, 1))
    _, gW, gb, gX, _, _ = dense_step(W, b, x, dY, 0.0)  # a random upstream dC/dy (j x 1)
    layer = layers.Dense(i, j, rng=r)
    layer.W, layer.b = W.copy(), b.copy()
    layer.forward(x)
    dW, db, dX = layer.gradients(dY)
    # Activation layer: dL/dY and dL/dX are i x 1 like X (l.102, l.106).
    dXa_t = rows_to_columns(activation_vjp("tanh", columns_to_rows(x), columns_to_rows(x))[1])
    dX_act = layers.Tanh()
    dX_act.forward(x)
    printed = {"dC/dy": (j, 1), "dC/dw": (j, i), "dL/db": (j, 1), "dL/dx": (i, 1), "activation dL/dX": (i, 1)}
    got = {"dC/dy": dY.shape, "dC/dw": gW.shape, "dL/db": gb.shape, "dL/dx": gX.shape, "activation dL/dX": dXa_t.shape}
    ref = {
        "dC/dy": dY.shape,
        "dC/dw": dW.shape,
        "dL/db": db.shape,
        "dL/dx": dX.shape,
        "activation dL/dX": dX_act.backward(x, 0.0).shape,
    }
    shapes = 0.0 if printed == got == ref else np.inf
    # l.66: dC/dw_kl = sum_j dC/dy_j dy_j/dw_kl, the Jacobian of nn.Linear's functional form contracted with dC/dy.
    jac = linear_jacobians(W, b, x)[0]  # [j, k, l] = dy_j / dw_kl
    chain = rel(np.einsum("j,jkl->kl", dY[:, 0], jac), gW)
    return {
        "003.gradient-shapes": Finding(shapes),
        "003.chain-dw": Finding(chain),
        # l.64's columns run to "n"; the shape it is labelled with, j x i, is autograd's.
        "003.dC-dw-columns": Finding(0.0 if gW.shape == W.shape == (j, i) else np.inf),
    }


CHECKS = (dense_003, activation_layer_003, softmax_003, sequential_003, shapes_003)
