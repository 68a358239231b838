"""Document 004's network examples recomputed: forward values, the loss, and what it did not print.

For a printed step: its value from the printed step before (local), and end to end from the
NumPy reference and from the PyTorch twin; beyond the printed steps: dA, dZ, dW, db of every layer
and the parameters after one gradient step (reference update vs torch.optim.SGD).
"""

import numpy as np

from reference import activations as act
from reference import losses, network, preprocessing
from torch_impl import data as torch_data
from torch_impl.training import apply_gradients
from torch_impl.twin import Twin

from ..core import convention
from .computed import Computed, elements, names_of, printed_blocks, values_of


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
    apply_gradients(twin, learning_rate)
    values.update({f"{k}'": v for k, v in twin.parameters_as_numpy().items()})
    return values


def network_example(example):
    """Rows for a1, h1, a2, y_hat, the distributions and L as printed, then the unprinted backward pass.

    Local checks read the printed step before: h1[i] from printed a1[i], a2 from printed h1,
    y_hat from printed a2, L from printed y_hat; a1 reads only the printed inputs."""
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
    names = {s: names_of(s, *blocks[s][::2]) for s in blocks}
    rows = []
    for step, (printed, equation, vector) in blocks.items():
        if step == "a1":
            local = network.linear_forward(X, params["W1"], params["b1"])
            rows += elements(step, equation, printed, vector, local, ref["Z1"], tor["Z1"], ())
        elif step == "h1":
            local = act.sigmoid(values_of(blocks["a1"][0]))
            rows += elements(step, equation, printed, vector, local, ref["A1"], tor["A1"], lambda i: [names["a1"][i]])
        elif step == "a2":
            local = network.linear_forward(values_of(blocks["h1"][0]), params["W2"], params["b2"])
            rows += elements(step, equation, printed, vector, local, ref["Z2"], tor["Z2"], names["h1"])
        elif step == "y_hat":
            local = act.forward(output, values_of(blocks["a2"][0]))
            rows += elements(step, equation, printed, vector, local, ref["A2"], tor["A2"], names["a2"])
        elif step == "true_dist":
            # The binary label y as the two-class distribution [P(y=0) P(y=1)]; torch: F.one_hot.
            label = int(Y[0, 0])
            ref_dist = preprocessing.one_hot([label], 2).ravel()
            tor_dist = torch_data.one_hot([label], num_classes=2).ravel()
            rows.append(Computed(step, equation, printed[0], ref_dist, ref_dist, tor_dist))
        elif step == "pred_dist":
            y_hat = values_of(blocks["y_hat"][0])[0, 0]
            local = np.array([1 - y_hat, y_hat])
            dist = lambda a: np.array([1 - a[0, 0], a[0, 0]])  # noqa: E731
            rows += elements(step, equation, printed, vector, local, dist(ref["A2"]), dist(tor["A2"]), names["y_hat"])
        elif step == "L":
            y_hat_name = names["y_hat"][true_class]
            # Only the true class's printed probability enters -sum y_k log(y_hat_k).
            local = losses.per_example(values_of(blocks["y_hat"][0]), Y, loss)
            rows += elements(step, equation, printed, False, local, ref["J"], tor["J"], [y_hat_name])
        else:
            raise ValueError(
                f"printed step: the network kind knows a1, h1, a2, y_hat, true_dist, pred_dist, L; got {step!r}"
            )
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
    shared = (
        "the printed b gives one number per layer; here each unit keeps its own bias (b[l] is "
        "n[l] x 1, doc 002), so the entries part after one step (a bias shared by the layer would move by sum db)"
    )
    for p in ("W1", "b1", "W2", "b2"):
        note = shared if p == "b1" else ""
        rows.append(Computed(f"{p}'", f"{p}' = {p} - {lr:g} d{p}", None, None, ref[f"{p}'"], tor[f"{p}'"], note=note))
    return rows
