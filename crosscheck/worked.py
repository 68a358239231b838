"""Recomputing each kind of worked example: local, reference and torch values for every step.

One function per kind of example (network, naive_normalize, pixels, one_hot, accuracy, argmax,
boundary). Each takes the example's data (a parsed TOML file) and returns Computed rows: for a
printed step, its value recomputed locally (from the printed step before), end to end by the
NumPy reference and end to end by PyTorch; for a step the document did not print (the backward
pass, the parameters after one step, a boundary network's outputs), the two end-to-end values.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from reference import activations as act
from reference import losses, metrics, network, preprocessing
from torch_impl.twin import Twin

from . import convention
from .verdict import Printed, parse


@dataclass
class Computed:
    step: str
    equation: str
    printed: Printed | None
    local: object
    reference: object
    torch: object
    uses: tuple = ()  # the printed steps the local recomputation read
    note: str = ""  # what exactly is wrong, where the kind can say more than the verdict


def printed_blocks(example):
    """{step: list of Printed} in the file's order; a scalar block gives a list of one."""
    blocks = {}
    for block in example.get("printed", []):
        values = block["values"]
        flat = values if isinstance(values, list) else [values]
        if flat and isinstance(flat[0], list):
            flat = [v for row in flat for v in row]
        blocks[block["step"]] = (
            [parse(v, block.get("decimals"), block.get("exact", False)) for v in flat],
            block["equation"],
            isinstance(values, list),
        )
    return blocks


def _elements(step, equation, printed, vector, local, reference, torch_values, uses):
    """One Computed per printed element (1-based, as the document numbers a_11, a_12, ...)."""
    rows = []
    for i, p in enumerate(printed):
        name = f"{step}[{i + 1}]" if vector else step
        use = uses(i) if callable(uses) else uses
        rows.append(Computed(name, equation, p, _at(local, i), _at(reference, i), _at(torch_values, i), tuple(use)))
    return rows


def _at(values, i):
    return np.ravel(values)[i]


def _names(step, printed, vector):
    return [f"{step}[{i + 1}]" if vector else step for i in range(len(printed))]


def _values(printed):
    return np.array([p.value for p in printed], dtype=float).reshape(-1, 1)


# --- network: document 004's binary and multi-class examples -------------------------------------------


def network_params(example):
    """W1, b1, W2, b2 in the column layout; the printed b = [b1 b2] gives one bias per layer,
    shared by every unit of that layer (the reading each example file states under [reading])."""
    inputs = example["inputs"]
    W1, W2 = np.atleast_2d(np.array(inputs["W1"], float)), np.atleast_2d(np.array(inputs["W2"], float))
    b = inputs["b"]
    return {
        "W1": W1,
        "b1": np.full((W1.shape[0], 1), float(b[0])),
        "W2": W2,
        "b2": np.full((W2.shape[0], 1), float(b[1])),
    }


def _reference_network(X, Y, params, activations, loss, learning_rate):
    AL, caches = network.forward(X, params, activations)
    grads = network.backward(AL, Y, caches, loss, "mean")
    values = {"Z1": caches[0]["Z"], "A1": caches[0]["A"], "Z2": caches[1]["Z"], "A2": caches[1]["A"]}
    values["J"] = network.cost(AL, Y, loss, "mean")
    values.update(grads)
    values.update({f"{k}'": v for k, v in network.update(params, grads, learning_rate).items()})
    return values


def _torch_network(X, Y, params, activations, loss, learning_rate):
    sizes = [params["W1"].shape[1], params["W1"].shape[0], params["W2"].shape[0]]
    twin = Twin(sizes, activations, "float64").load(params)
    capture = twin.capture(convention.columns_to_rows(X), convention.columns_to_rows(Y), loss, "mean")
    values = convention.document_trace(capture, "mean", X.shape[1])
    # capture() left autograd's gradients on the parameters: one SGD step applies them.
    torch.optim.SGD(twin.parameters(), lr=learning_rate).step()
    values.update({f"{k}'": v for k, v in twin.parameters_as_numpy().items()})
    return values


def network_example(example):
    params = network_params(example)
    output, loss = example["output"], example["loss"]
    activations = ["sigmoid", output]
    X = np.array(example["inputs"]["x"], float).reshape(-1, 1)
    Y = np.array(example["inputs"]["y"], float).reshape(-1, 1)
    lr = float(example["beyond"]["learning_rate"])
    ref = _reference_network(X, Y, params, activations, loss, lr)
    tor = _torch_network(X, Y, params, activations, loss, lr)
    blocks = printed_blocks(example)
    true_class = int(np.argmax(Y)) if Y.shape[0] > 1 else 0
    names = {s: _names(s, *blocks[s][::2]) for s in blocks}
    rows = []
    for step, (printed, equation, vector) in blocks.items():
        if step == "a1":
            local = network.linear_forward(X, params["W1"], params["b1"])
            rows += _elements(step, equation, printed, vector, local, ref["Z1"], tor["Z1"], ())
        elif step == "h1":
            local = act.sigmoid(_values(blocks["a1"][0]))
            rows += _elements(step, equation, printed, vector, local, ref["A1"], tor["A1"], lambda i: [names["a1"][i]])
        elif step == "a2":
            local = network.linear_forward(_values(blocks["h1"][0]), params["W2"], params["b2"])
            rows += _elements(step, equation, printed, vector, local, ref["Z2"], tor["Z2"], names["h1"])
        elif step == "y_hat":
            local = act.forward(output, _values(blocks["a2"][0]))
            rows += _elements(step, equation, printed, vector, local, ref["A2"], tor["A2"], names["a2"])
        elif step == "true_dist":
            # The binary label y as the two-class distribution [P(y=0) P(y=1)]; torch: F.one_hot.
            label = int(Y[0, 0])
            ref_dist = preprocessing.one_hot([label], 2).ravel()
            tor_dist = F.one_hot(torch.tensor([label]), num_classes=2).numpy().ravel()
            rows.append(Computed(step, equation, printed[0], ref_dist, ref_dist, tor_dist))
        elif step == "pred_dist":
            y_hat = _values(blocks["y_hat"][0])[0, 0]
            local = np.array([1 - y_hat, y_hat])
            dist = lambda a: np.array([1 - a[0, 0], a[0, 0]])  # noqa: E731
            rows += _elements(step, equation, printed, vector, local, dist(ref["A2"]), dist(tor["A2"]), names["y_hat"])
        elif step == "L":
            y_hat_name = names["y_hat"][true_class]
            # Only the true class's printed probability enters -sum y_k log(y_hat_k).
            local = losses.per_example(_values(blocks["y_hat"][0]), Y, loss)
            rows += _elements(step, equation, printed, False, local, ref["J"], tor["J"], [y_hat_name])
        else:
            raise ValueError(f"printed step: the network kind knows a1, h1, a2, y_hat, true_dist, pred_dist, L; got {step!r}")
    rows += _beyond(ref, tor, lr)
    return rows


def _beyond(ref, tor, lr):
    """The backward pass and one gradient step, which document 004 does not print."""
    equations = {
        "dA2": "dA2 = dL/dA2",
        "dZ2": "dZ2 = A2 - Y",
        "dW2": "dW2 = (1/m) dZ2 A1^T",
        "db2": "db2 = (1/m) sum dZ2",
        "dA1": "dA1 = W2^T dZ2",
        "dZ1": "dZ1 = dA1 * sigmoid'(Z1)",
        "dW1": "dW1 = (1/m) dZ1 x^T",
        "db1": "db1 = (1/m) sum dZ1",
        "dA0": "dA0 = W1^T dZ1 (gradient for the input x)",
    }
    rows = [Computed(name, eq, None, None, ref[name], tor[name]) for name, eq in equations.items()]
    shared = ("the printed b gives one number per layer; here each unit keeps its own bias (b[l] is "
              "n[l] x 1, doc 002), so the entries part after one step (a bias shared by the layer would move by sum db)")
    for p in ("W1", "b1", "W2", "b2"):
        note = shared if p == "b1" else ""
        rows.append(Computed(f"{p}'", f"{p}' = {p} - {lr:g} d{p}", None, None, ref[f"{p}'"], tor[f"{p}'"], note=note))
    return rows


# --- the smaller examples: one printed step each, recomputed from the printed inputs -------------------


def _single_block(example, kind, expected):
    blocks = printed_blocks(example)
    if list(blocks) != [expected]:
        raise ValueError(f"printed steps: the {kind} kind expects one step {expected!r}, got {list(blocks)}")
    return blocks[expected]


def naive_normalize_example(example):
    printed, equation, vector = _single_block(example, "naive_normalize", "y_hat")
    a = np.array(example["inputs"]["a3"], float).reshape(-1, 1)
    ref = act.naive_normalize(a)
    # torch's L1 normalisation z / ||z||_1 is the same division for non-negative entries.
    tor = F.normalize(torch.tensor(a, dtype=torch.float64), p=1.0, dim=0).numpy()
    return _elements("y_hat", equation, printed, vector, ref, ref, tor, ())


def pixels_example(example):
    printed, equation, _ = _single_block(example, "pixels", "x")
    rows_of_pixels = example["inputs"]["pixels"]
    max_value = example["inputs"]["max_value"]
    flat = np.array([p for row in rows_of_pixels for p in row])
    ref = preprocessing.scale_pixels(flat, max_value)
    # torch has no pixel-scaling module outside torchvision (not a dependency): the same division in torch.
    tor = torch.div(torch.tensor(flat, dtype=torch.float64), max_value).numpy()
    out, k = [], 0
    for r, row in enumerate(rows_of_pixels, start=1):
        for c, pixel in enumerate(row, start=1):
            out.append(Computed(f"x[{r},{c}]", f"x = {pixel} / {max_value}", printed[k], ref[k], ref[k], tor[k]))
            k += 1
    if k != len(printed):
        raise ValueError(f"printed x: expected {k} scaled values, one per printed pixel, got {len(printed)}")
    return out


def one_hot_example(example):
    printed, equation, _ = _single_block(example, "one_hot", "one_hot")
    labels = np.array(example["inputs"]["labels"])
    # The number of classes comes from the labels (0..9), on both sides: torch infers it the same way.
    ref = preprocessing.one_hot(labels, int(labels.max()) + 1)
    tor = F.one_hot(torch.tensor(labels)).numpy().T
    rows = []
    for i, (k, p) in enumerate(zip(labels.tolist(), printed)):
        rows.append(Computed(f"one_hot({k})", equation, p, ref[:, i], ref[:, i], tor[:, i], note=_one_hot_diagnosis(k, p, ref.shape[0], printed)))
    return rows


def _one_hot_diagnosis(k, p, n_classes, printed):
    """Which of a printed one-hot vector's two properties fails: its length, where its 1 sits."""
    problems = []
    if len(p.value) != n_classes:
        problems.append(f"{len(p.value)} components printed for {n_classes} classes")
    ones = [i for i, v in enumerate(p.value) if v == 1]
    if ones != [k]:
        same = [j for j, q in enumerate(printed) if q.value == p.value and j != k]
        twin = f", the same vector as label {same[0]}'s" if same else ""
        where = ", ".join(str(j) for j in ones) or "no"
        problems.append(f"its 1 sits in class {where}'s slot, not class {k}'s{twin}")
    return "; ".join(problems)


def accuracy_example(example):
    blocks = printed_blocks(example)
    y = np.array(example["inputs"]["y"])
    y_hat = np.array(example["inputs"]["y_hat"])
    ty, ty_hat = torch.tensor(y), torch.tensor(y_hat)
    correct = torch.eq(ty, ty_hat)
    ref_acc = metrics.accuracy(y, y_hat)
    ref_class = metrics.per_class_accuracy(y, y_hat)
    # torch has no metrics module: counts of correct predictions per class with bincount.
    per_class_correct = torch.bincount(ty, weights=correct.double())
    per_class_total = torch.bincount(ty).double()
    rows = []
    for step, (printed, equation, _) in blocks.items():
        p = printed[0]
        if step == "correct":
            rows.append(Computed(step, equation, p, ref_acc * y.size, ref_acc * y.size, int(correct.sum())))
        elif step == "total":
            rows.append(Computed(step, equation, p, y.size, y.size, ty.numel()))
        elif step == "accuracy":
            local = blocks["correct"][0][0].value / blocks["total"][0][0].value
            rows.append(Computed(step, equation, p, local, ref_acc, float(correct.double().mean()), ("correct", "total")))
        elif step.startswith("class_accuracy("):
            k = int(step[len("class_accuracy("):-1])
            tor = float(per_class_correct[k] / per_class_total[k])
            rows.append(Computed(step, equation, p, ref_class[k], ref_class[k], tor))
        else:
            raise ValueError(f"printed step: the accuracy kind knows correct, total, accuracy, class_accuracy(k); got {step!r}")
    return rows


def argmax_example(example):
    printed, equation, _ = _single_block(example, "argmax", "label")
    distribution = np.array(example["inputs"]["distribution"], float).reshape(-1, 1)
    ref = int(metrics.predict_argmax(distribution)[0])
    tor = int(torch.argmax(torch.tensor(distribution[:, 0])))
    return [Computed("label", equation, printed[0], ref, ref, tor)]


# Points where a boundary network's output is tabulated: the centre, the four corners of the
# square [-4, 4]^2, and (0, 6), where the b = 12 neuron's boundary w2 x2 + b = 0 lies.
BOUNDARY_POINTS = ((0.0, 0.0), (-4.0, -4.0), (-4.0, 4.0), (4.0, -4.0), (4.0, 4.0), (0.0, 6.0))


def boundary_params(example):
    """W[l], b[l] for a decision-boundary network (1 or 2 sigmoid layers) in the column layout."""
    inputs = example["inputs"]
    params = {}
    for l in (1, 2):
        if f"W{l}" in inputs:
            W = np.atleast_2d(np.array(inputs[f"W{l}"], float))
            params[f"W{l}"] = W
            params[f"b{l}"] = np.array(inputs[f"b{l}"], float).reshape(W.shape[0], 1)
    return params


def boundary_reference(params, X):
    """y_hat over the columns of X (2 x m) from the NumPy reference."""
    L = len(params) // 2
    AL, _ = network.forward(X, params, ["sigmoid"] * L)
    return AL


def boundary_torch(params, X):
    """y_hat over the columns of X from the PyTorch twin."""
    L = len(params) // 2
    sizes = [2] + [params[f"W{l}"].shape[0] for l in range(1, L + 1)]
    twin = Twin(sizes, ["sigmoid"] * L, "float64").load(params)
    with torch.no_grad():
        return convention.rows_to_columns(twin(torch.tensor(convention.columns_to_rows(X))).numpy())


def boundary_example(example):
    if example.get("printed"):
        raise ValueError("printed steps: the boundary kind has no printed values (only weights)")
    params = boundary_params(example)
    X = np.array(BOUNDARY_POINTS).T
    ref, tor = boundary_reference(params, X), boundary_torch(params, X)
    equation = "y_hat = sigmoid(W2 sigmoid(W1 x + b1) + b2)" if len(params) == 4 else "y_hat = sigmoid(w1 x1 + w2 x2 + b)"
    rows = [
        Computed(f"y_hat({x1:g},{x2:g})", equation, None, None, ref[0, i], tor[0, i])
        for i, (x1, x2) in enumerate(BOUNDARY_POINTS)
    ]
    rows[0].note = _boundary_shape(params)
    return rows


def _boundary_shape(params):
    """What the weights allow: the output's range and, for a single neuron, the line y_hat = 0.5."""
    L = len(params) // 2
    W, b = params[f"W{L}"], params[f"b{L}"]
    if L == 1:
        w1, w2 = W[0]
        if w1 == 0 and w2 != 0:
            return f"y_hat = 0.5 on the line x2 = {-b[0, 0] / w2:g}; an S-curve across x2, flat along x1"
        return "y_hat = 0.5 on the line w1 x1 + w2 x2 + b = 0"
    # Hidden outputs lie in (0, 1), so W2 h + b2 lies between b2 + (sum of W2's negative
    # entries) and b2 + (sum of its positive entries), and sigmoid is monotone.
    lo, hi = act.sigmoid(np.array([np.minimum(W, 0).sum(), np.maximum(W, 0).sum()]) + b[0, 0])
    note = f"y_hat stays inside ({lo:.3f}, {hi:.3f}) over the whole plane"
    W1, b1 = params["W1"], params["b1"]
    if W.shape == (1, 2) and W[0, 0] == -W[0, 1] and b[0, 0] == 0:
        # y_hat = 0.5 where h1 = h2, i.e. where the two hidden pre-activations are equal.
        d, c = W1[0] - W1[1], b1[1, 0] - b1[0, 0]
        note += f"; y_hat = 0.5 exactly on the straight line {d[0]:g} x1 + {d[1]:g} x2 = {c:g}"
    return note


KINDS = {
    "network": network_example,
    "naive_normalize": naive_normalize_example,
    "pixels": pixels_example,
    "one_hot": one_hot_example,
    "accuracy": accuracy_example,
    "argmax": argmax_example,
    "boundary": boundary_example,
}


def recompute(example):
    """Every Computed row of one example, by its kind."""
    kind = example.get("kind")
    if kind not in KINDS:
        raise ValueError(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    return KINDS[kind](example)
