"""Recomputing each kind of worked example: local, reference and torch values for every step.

One function per kind of example. Each takes the example's data (a parsed TOML file) and returns
Computed rows: for a printed step, its value recomputed locally (from the printed step before), end
to end by the NumPy reference and end to end by PyTorch; for a step the document did not print,
the two end-to-end values. The network and boundary kinds have their own modules.
"""

import numpy as np

from reference import activations as act
from reference import metrics, preprocessing
from torch_impl import data as torch_data

from .boundary import boundary_example
from .computed import Computed, elements, printed_blocks
from .network import network_example


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
    tor = torch_data.l1_normalize(a, dim=0)
    return elements("y_hat", equation, printed, vector, ref, ref, tor, ())


def pixels_example(example):
    printed, equation, _ = _single_block(example, "pixels", "x")
    rows_of_pixels = example["inputs"]["pixels"]
    max_value = example["inputs"]["max_value"]
    flat = np.array([p for row in rows_of_pixels for p in row])
    ref = preprocessing.scale_pixels(flat, max_value)
    # torch has no pixel-scaling module outside torchvision (not a dependency): the same division in torch.
    tor = torch_data.scale_pixels(flat, max_value)
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
    tor = torch_data.one_hot(labels).T
    rows = []
    for i, (k, p) in enumerate(zip(labels.tolist(), printed)):
        rows.append(
            Computed(
                f"one_hot({k})",
                equation,
                p,
                ref[:, i],
                ref[:, i],
                tor[:, i],
                note=_one_hot_diagnosis(k, p, ref.shape[0], printed),
            )
        )
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
    ref_acc = metrics.accuracy(y, y_hat)
    ref_class = metrics.per_class_accuracy(y, y_hat)
    # torch has no metrics module: counts of correct predictions (per class) with eq and bincount.
    counts = torch_data.accuracy_counts(y, y_hat)
    rows = []
    for step, (printed, equation, _) in blocks.items():
        p = printed[0]
        if step == "correct":
            rows.append(Computed(step, equation, p, ref_acc * y.size, ref_acc * y.size, counts["correct"]))
        elif step == "total":
            rows.append(Computed(step, equation, p, y.size, y.size, counts["total"]))
        elif step == "accuracy":
            local = blocks["correct"][0][0].value / blocks["total"][0][0].value
            rows.append(Computed(step, equation, p, local, ref_acc, counts["accuracy"], ("correct", "total")))
        elif step.startswith("class_accuracy("):
            k = int(step[len("class_accuracy(") : -1])
            rows.append(Computed(step, equation, p, ref_class[k], ref_class[k], counts["per_class"][k]))
        else:
            raise ValueError(
                f"printed step: the accuracy kind knows correct, total, accuracy, class_accuracy(k); got {step!r}"
            )
    return rows


def argmax_example(example):
    printed, equation, _ = _single_block(example, "argmax", "label")
    distribution = np.array(example["inputs"]["distribution"], float).reshape(-1, 1)
    ref = int(metrics.predict_argmax(distribution)[0])
    tor = int(torch_data.argmax(distribution[:, 0], dim=0))
    return [Computed("label", equation, printed[0], ref, ref, tor)]


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
