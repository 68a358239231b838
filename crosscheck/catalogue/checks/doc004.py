"""Cross-checks of document 004's small networks, data preparation and evaluation."""

import numpy as np
from sklearn.metrics import accuracy_score, recall_score

from reference import activations as act
from reference import elementwise as el
from reference import errata, logistic, metrics, network, preprocessing
from torch_impl import data as torch_data
from torch_impl.doc_models import dense_weight_shape, sequential_forward

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
        "004.yhat-summary": erratum(
            yhat,
            lambda: errata.yhat_summary_004(X[0], X[1], w, b)[None, :],
            net,
            "index: b_1 feeds both hidden neurons and b_2 the output; the network has b_1, b_2, b_3",
        ),
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
    printed_table = errata.one_hot_table_004(digits)
    same_columns = bool(np.array_equal(printed_table[:, 8], printed_table[:, 9]))
    return {
        **same(scaling, ["004.pixel-scaling"]),
        **same(flat, ["004.flatten"]),
        **same(onehot, ["004.one-hot"]),
        **same(naive, ["004.naive-normalisation"]),
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


CHECKS = (small_nets_004, data_004, metrics_004)
