"""Cross-checks of document 004's small networks, data preparation, evaluation and per-weight chain rule."""

import numpy as np

from reference import activations as act
from reference import elementwise as el
from reference import errata, logistic, metrics, network, preprocessing
from torch_impl import data as torch_data
from torch_impl.doc_models import chain_net_grads, dense_weight_shape, sequential_forward

from ..findings import Finding
from ._util import erratum, rel, rng, same, worst


def small_nets_004():
    """The sigmoid neuron, the 2-2-1 network of "Model", the 3-4-1 shapes of "VECTORIZATION", and the printed slips."""
    r = rng(50)
    X = r.normal(size=(2, 9))
    w, b = r.normal(size=6), r.normal(size=3)  # (w11, w12, w13, w14, w21, w22), (b1, b2, b3): all distinct
    W1, b1 = np.array([[w[0], w[1]], [w[2], w[3]]]), b[:2].reshape(2, 1)
    W2, b2 = np.array([[w[4], w[5]]]), b[2:].reshape(1, 1)
    net = sequential_forward([("dense", W1, b1), ("sigmoid",), ("dense", W2, b2), ("sigmoid",)], X)
    yhat = rel(el.yhat_221(X[0], X[1], w, b)[None, :], net)
    neuron_t = sequential_forward([("dense", W1[:1], b1[:1]), ("sigmoid",)], X)
    neuron = rel(logistic.forward(W1[:1].T, b1[0, 0], X), neuron_t)
    layer = rel(
        network.forward(X, {"W1": W1, "b1": b1}, ["sigmoid"])[0],
        sequential_forward([("dense", W1, b1), ("sigmoid",)], X),
    )
    # VECTORIZATION: n[0] = 3, n[1] = 4 hidden, n[2] = 1; x one column.
    P = {
        "W1": r.normal(size=(4, 3)),
        "b1": r.normal(size=(4, 1)),
        "W2": r.normal(size=(1, 4)),
        "b2": r.normal(size=(1, 1)),
    }
    x = r.normal(size=(3, 1))
    _, caches = network.forward(x, P, ["sigmoid", "sigmoid"])
    shapes = (
        [c["Z"].shape for c in caches] + [c["A"].shape for c in caches] + [P[k].shape for k in ("W1", "b1", "W2", "b2")]
    )
    expected = [(4, 1), (1, 1), (4, 1), (1, 1), (4, 3), (4, 1), (1, 4), (1, 1)]
    torch_shapes = [dense_weight_shape(P["W1"], P["b1"]), dense_weight_shape(P["W2"], P["b2"])]
    shape_err = 0.0 if shapes == expected and torch_shapes == [(4, 3), (1, 4)] else np.inf
    z1_t = sequential_forward([("dense", P["W1"], P["b1"])], x)
    a1 = caches[0]["A"]
    z2_t = sequential_forward([("dense", P["W2"], P["b2"])], a1)
    z_rows = rel(network.linear_forward(x, P["W1"], P["b1"]), z1_t)
    z2_err = rel(network.linear_forward(a1, P["W2"], P["b2"]), z2_t)
    # a_3 = W_3 h_2 + b_3 with b_3 != 0 (doc 004 "Softmax Function": W_3 is 4 x 10)
    W3, b3, h2 = r.normal(size=(4, 10)), r.normal(size=(4, 1)), act.sigmoid(r.normal(size=(10, 1)))
    a3_t = sequential_forward([("dense", W3, b3)], h2)
    return {
        **same(yhat, ["004.yhat-221"]),
        **same(neuron, ["004.sigmoid-neuron"]),
        **same(layer, ["004.neuron"]),
        **same(worst(shape_err, z_rows, z2_err), ["004.shapes-2layer"]),
        **same(z_rows, ["004.z-rows"]),
        "004.yhat-summary": _shared_bias_reading(X, w, b, W1, W2, net, yhat),
        "004.z1-transpose": erratum(
            z_rows,
            lambda: errata.z1_transposed_004(P["W1"], x, P["b1"]),
            z1_t,
            "shape: W[1]^T is (3, 4), which cannot multiply x (3, 1)",
        ),
        "004.z2-transpose": erratum(
            z2_err,
            lambda: errata.z2_transposed_004(P["W2"], a1, P["b2"]),
            z2_t,
            "shape: W[2]^T is (4, 1), which cannot multiply a (4, 1) column",
        ),
        "004.a3-no-bias": erratum(
            rel(network.linear_forward(h2, W3, b3), a3_t),
            lambda: errata.a3_no_bias_004(W3, h2),
            a3_t,
            "missing term: every a_3k is short by its bias b_3k",
        ),
    }


def _shared_bias_reading(X, w, b, W1, W2, net, corrected):
    """Doc 004's SUMMARY y_hat (b_1 in both hidden units, b_2 at the output) under its two readings: one bias
    per layer (as the worked examples print b, l.377) and l.111's three biases b_1, b_2, b_3."""
    printed = errata.yhat_summary_004(X[0], X[1], w, b)[None, :]
    shared = sequential_forward(
        [("dense", W1, np.full((2, 1), b[0])), ("sigmoid",), ("dense", W2, np.array([[b[1]]])), ("sigmoid",)], X
    )
    finding = erratum(corrected, lambda: printed, net)
    return Finding(
        finding.error,
        finding.printed_error,
        f"convention: with one bias per layer (b_1 for both hidden units, b_2 at the output, as l.377 "
        f"prints b = [0.5 0.3]) the printed form is nn.Sequential's output to {rel(printed, shared):.1e}; "
        f"with l.111's biases b_1, b_2, b_3 it is off by {finding.printed_error:.2g}",
    )


def data_004():
    """Pixel scaling, flattening, one-hot labels and naive normalisation vs torch (uint8 division, nn.Flatten,
    nn.functional.one_hot, nn.functional.normalize with p=1)."""
    r = rng(51)
    images = r.integers(0, 256, size=(5, 28, 28)).astype(np.uint8)
    images[0, 0, :2] = [0, 255]
    scaled_t = torch_data.scale_pixels(images, 255)
    scaling = rel(preprocessing.scale_pixels(images), scaled_t)
    flat = rel(preprocessing.flatten(preprocessing.scale_pixels(images)), torch_data.flatten(scaled_t).T)
    digits = np.arange(10)
    onehot_t = torch_data.one_hot(digits, num_classes=10).T.astype(float)
    onehot = rel(preprocessing.one_hot(digits, 10), onehot_t)
    a3 = np.array([[3.0, 4.0, 10.0, 3.0]]).T  # the document's a_3, plus random non-negative columns
    A = np.hstack([a3, r.uniform(0.1, 5.0, size=(4, 6))])
    naive = rel(act.naive_normalize(A), torch_data.l1_normalize(A, dim=0))
    # The scaled table rounds to two decimals (183/255 = 0.7176 -> 0.72) but prints two cells cut, not rounded.
    cells, printed_cells = np.array([37, 178], dtype=np.uint8), np.array([0.14, 0.69])
    rounded_t = torch_data.round_to(torch_data.scale_pixels(cells, 255), 2)
    rounded = np.round(preprocessing.scale_pixels(cells), 2)
    printed_table = errata.one_hot_table_004(digits)
    same_columns = bool(np.array_equal(printed_table[:, 8], printed_table[:, 9]))
    return {
        **same(scaling, ["004.pixel-scaling"]),
        **same(flat, ["004.flatten"]),
        **same(onehot, ["004.one-hot"]),
        **same(naive, ["004.naive-normalisation"]),
        "004.pixel-rounding": erratum(
            rel(rounded, rounded_t),
            lambda: printed_cells,
            rounded_t,
            "numeric: 37/255 = 0.1451 and 178/255 = 0.6980 print as 0.14 and 0.69, cut "
            "where the rest of the table rounds; to two decimals they are "
            f"{rounded_t[0]:.2f} and {rounded_t[1]:.2f}",
        ),
        "004.one-hot-table": erratum(
            onehot,
            lambda: printed_table,
            onehot_t,
            f"shape: printed vectors have {printed_table.shape[0]} entries for 10 classes"
            + ("; digits 8 and 9 get the same vector" if same_columns else ""),
        ),
    }


def metrics_004():
    """argmax labels vs torch.argmax; accuracy and per-class accuracy vs scikit-learn (an independent oracle)."""
    from sklearn.metrics import accuracy_score, recall_score  # a second to import: only where it is used

    r = rng(52)
    probs = act.softmax(r.normal(size=(4, 40)))
    y = r.integers(0, 4, size=40)
    y_hat = metrics.predict_argmax(probs)
    argmax = rel(y_hat, torch_data.argmax(probs, dim=0))
    acc = rel(metrics.accuracy(y, y_hat), accuracy_score(y, y_hat))
    per_class = metrics.per_class_accuracy(y, y_hat)
    classes = sorted(per_class)
    recall = recall_score(y, y_hat, labels=classes, average=None, zero_division=0)
    return {
        **same(argmax, ["004.argmax-prediction"]),
        **same(acc, ["004.accuracy"]),
        **same(rel([per_class[c] for c in classes], recall), ["004.per-class-accuracy"]),
    }


def chain_004():
    """Doc 004's per-weight chain rule on its 4-3-2-1 sigmoid net (paths summed by einsum) vs autograd."""
    r = rng(29)
    x = r.normal(size=(4, 3))
    W1, W2, W3 = r.normal(size=(4, 3)), r.normal(size=(3, 2)), r.normal(size=(2, 1))
    y = r.uniform(size=(1, 3))
    _, _, _, o3 = el.paths_004(x, W1, W2, W3, act.sigmoid, act.sigmoid_prime)
    dL_do3 = 2 * (o3 - y)  # L = sum_i (y_i - o_31(i))^2, doc 004's squared loss
    g1, g2, g3, _ = el.paths_004(x, W1, W2, W3, act.sigmoid, act.sigmoid_prime, dL_do3)
    grads, out = chain_net_grads(x, W1, W2, W3, y)
    e1, e2, e3 = rel(g1, grads[0]), rel(g2, grads[1]), rel(g3, grads[2])
    # l.641-645: W^1 4 x 3, W^2 3 x 2, W^3 2 x 1 (w^k_ij from unit i of layer k-1 to unit j of layer k), as the
    # torch twin's weights (transposed into nn.Linear's n_out x n_in) and autograd's gradients have them.
    shapes = [W1.shape, W2.shape, W3.shape]
    shape_err = 0.0 if shapes == [(4, 3), (3, 2), (2, 1)] == [g.shape for g in grads] else np.inf
    # l.792, l.813: one path from w^2_11 to o_31; two from w^1_11 (one through each unit of layer 2).
    paths = [
        el.paths_004(x, W1, W2, W3, act.sigmoid, act.sigmoid_prime, dL_do3, through=np.eye(2)[k])[0]
        for k in range(W2.shape[1])
    ]
    two_paths = worst(
        rel(sum(paths), grads[0]), 0.0 if len(paths) == 2 and all(np.any(p != 0) for p in paths) else np.inf
    )
    return {
        **same(worst(shape_err, e1, e2, e3), ["004.chain-net-shapes"]),
        **same(worst(two_paths, e2), ["004.path-counts"]),  # e2: the one-path product of l.798 is autograd's
        **same(worst(e3, rel(o3, out)), ["004.chain-w3"]),
        **same(e2, ["004.chain-w2"]),
        **same(e1, ["004.chain-w1-paths", "004.multivariable-chain"]),
        "004.chain-w1-short": erratum(
            e1,
            lambda: errata.chain_w1_single_path_004(x, W1, W2, W3, dL_do3),
            grads[0],
            "missing term: the path through o_22 is left out",
        ),
    }


CHECKS = (small_nets_004, data_004, metrics_004, chain_004)
