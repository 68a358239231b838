"""Cross-checks of the printed counts: parameters, layers, units, outputs, updates, epochs, loop ranges.

Each count is computed twice, from the reference (NumPy) and from a torch model or DataLoader, and
compared with the number the document prints; a printed count that disagrees is an erratum.
"""

import math

import numpy as np

from reference import errata, logistic, network, training
from torch_impl.data import loader_batch_count, loader_epoch
from torch_impl.doc_facts import dense_layers, linear_init, parameter_names
from torch_impl.doc_models import dense_weight_shape, sequential_forward

from ..findings import Finding
from ._util import erratum, rel, rng


def _count(printed, computed):
    """Relative distance of a printed count from the computed one (0 when equal)."""
    return abs(printed - computed) / max(abs(computed), 1)


def _agree(*pairs):
    """0.0 when every tuple's members are equal, else inf: counts and shapes agree exactly or not at all."""
    return 0.0 if all(all(x == p[0] for x in p) for p in pairs) else math.inf


def _net(sizes, activation="sigmoid", seed=0):
    """Reference parameters and the torch stack with the same weights: Dense + activation per layer."""
    r = rng(seed)
    params = {}
    for layer in range(1, len(sizes)):
        params[f"W{layer}"] = r.normal(size=(sizes[layer], sizes[layer - 1]))
        params[f"b{layer}"] = r.normal(size=(sizes[layer], 1))
    spec = []
    for layer in range(1, len(sizes)):
        spec += [("dense", params[f"W{layer}"], params[f"b{layer}"]), (activation,)]
    return params, spec


def _parameters(out):
    # 001 l.110: the 2-layer net's parameters (W1 is 3 x 4 as in doc 001's check) against nn.Sequential's tensors.
    params, spec = _net([4, 3, 1], seed=60)
    torch_names = {
        f"{'W' if name.endswith('weight') else 'b'}{int(name.split('.')[0]) // 2 + 1}" for name in parameter_names(spec)
    }
    x = rng(61).normal(size=(4, 1))
    ref_names = {k[1:] for k in logistic.two_layer_gradients(params, x, 1.0)}
    printed = set(errata.parameters_001())
    out["001.params-b1"] = Finding(
        _agree((ref_names, torch_names), (len(torch_names), 4)),
        len(printed ^ torch_names) / len(torch_names),
        f"index: the printed list {', '.join(errata.parameters_001())} names b2 twice and "
        f"never b1; nn.Sequential holds {len(torch_names)} tensors {sorted(torch_names)}",
    )
    # 001 l.10: not counting the input, logistic regression is a 1-layer network with no hidden layer, doc 001's
    # second network a 2-layer one with one.
    one, two = dense_layers(_net([4, 1], seed=72)[1]), dense_layers(_net([4, 3, 1], seed=73)[1])
    out["001.layer-count"] = Finding(_agree((one, 1), (one - 1, 0), (two, 2), (two - 1, 1)))
    # 002 l.128-131: W[1] is 3 x 4 (3 units in layer 1: b[1] l.158, Z[1] l.184; 4 inputs).
    W1_shape = linear_init(4, 3)[0].shape
    first_layer_nodes = 3  # layer 1 in l.71's numbering
    out["002.layer-ordinals"] = Finding(
        _agree((tuple(W1_shape), (3, 4))),
        _count(first_layer_nodes, W1_shape[1]),
        f"convention: counting the input as the first layer, W[1] is (second-layer "
        f"nodes, first-layer nodes) = {tuple(W1_shape)} as nn.Linear(4, 3).weight; in "
        f"l.71's numbering the first layer has {first_layer_nodes} nodes, not the "
        f"{W1_shape[1]} columns",
    )
    # 004 l.117: the 2-2-1 network's parameters and the single sigmoid neuron's.
    params_221, spec_221 = _net([2, 2, 1])
    ref_221 = sum(v.size for v in params_221.values())
    w, b = rng(71).normal(size=(2, 1)), 0.5
    ref_neuron = w.size + np.size(b)  # reference.logistic's w and b
    logistic.forward(w, b, np.zeros((2, 1)))
    count_221 = sum(parameter_names(spec_221).values())
    count_neuron = sum(p.size for p in linear_init(2, 1))
    out["004.param-count"] = Finding(_agree((9, ref_221, count_221), (3, ref_neuron, count_neuron)))
    # 004 l.211, l.238: W_1's last entry w_{1,10,100} (layer 1, unit 10, input 100, l.175): 10 x 100, 10 pre-activations.
    W1, b1 = linear_init(100, 10)
    a1 = network.linear_forward(np.zeros((100, 1)), W1, b1)
    out["004.W1-shape"] = Finding(_agree((W1.shape, (10, 100)), (a1.shape, (10, 1))))
    biases = b1.size
    printed_unit = 0  # "b_{10}" in b (layer) (unit): layer 1, unit 0
    out["004.b1-last-index"] = Finding(
        _agree((biases, a1.shape[0])),
        _count(printed_unit, biases),
        f"index: b_1 holds {biases} biases (nn.Linear(100, 10).bias); the last is "
        f"b_{{1,{biases}}} in l.177's b (layer) (unit); b_{{10}} reads as layer 1, unit 0",
    )


def _layers(out):
    # 002: layers 1..L after the input, the last one outputs y_hat; L - 1 of them are hidden.
    L, sizes = 3, [4, 5, 3, 1]
    params, spec = _net(sizes, seed=62)
    X = rng(63).normal(size=(4, 6))
    AL, caches = network.forward(X, params, ["sigmoid"] * L)
    y_out = sequential_forward(spec, X)
    linears = dense_layers(spec)
    out["002.layer-index"] = Finding(max(_agree((len(caches), L), (linears, L)), rel(AL, y_out)))
    hidden = linears - 1  # every layer but the output layer
    said = (
        f"wording: with L = {L} layers the last outputs y_hat (as nn.Sequential's last Linear does): "
        f"{hidden} hidden layers, not L = {L}"
    )
    shapes = _agree((hidden, L - 1), (caches[-1]["A"].shape, y_out.shape))
    out["002.hidden-count"] = Finding(shapes, _count(L, hidden), said)
    out["004.hidden-layers-L"] = Finding(shapes, _count(L, hidden), said)
    # 004 l.248, l.290, l.301: W_3 is 4 x 10, four outputs; l.264-266 speaks of two.
    W3, b3 = rng(64).normal(size=(4, 10)), rng(65).normal(size=(4, 1))
    h2 = rng(66).uniform(size=(10, 1))
    y_hat = sequential_forward([("dense", W3, b3), ("softmax",)], h2)
    out["004.W3-shape"] = Finding(max(_agree((y_hat.shape, (4, 1))), rel(y_hat.sum(), 1.0)))
    out["004.two-outputs"] = erratum(
        rel(y_hat.sum(), 1.0),
        lambda: errata.two_outputs_sum_004(y_hat),
        1.0,
        f"count: the output layer has {y_hat.shape[0]} units (nn.Linear(10, 4)); "
        f"y_hat_1 + y_hat_2 = {y_hat[:2].sum():.3f}, the four sum to 1",
    )
    # 004 l.1297-1301: n has L + 1 entries, g has L; a[L] is y', a[l < L] is not.
    n_vector, g_vector = sizes, ["sigmoid"] * L
    out["004.notation-vectors"] = Finding(_agree((len(n_vector), linears + 1), (len(g_vector), linears)))
    out["004.a-L-output"] = erratum(
        rel(AL, y_out),
        lambda: caches[0]["A"],
        y_out,
        f"index: a[1] is {caches[0]['A'].shape}, y' is {AL.shape}: only a[L] = y'",
    )
    # 004 l.1109-1133: the 3-4-1 net; z[1]'s rows are W1's, W2 is the output layer's.
    params, spec = _net([3, 4, 1], seed=67)
    x = rng(68).normal(size=(3, 1))
    z1_t = sequential_forward(spec[:1], x)
    weights = sorted(k for k in params if k.startswith("W"))
    out["004.z-rows-superscript"] = Finding(
        rel(params["W1"] @ x + params["b1"], z1_t),
        0.0 if "W0" in weights else 1.0,
        f"index: the rows w_k^T that make z[1] are W1's (nn.Linear(3, 4).weight); "
        f"the weights are {weights}: layer 0 is the input and has none",
    )
    hidden_241 = dense_layers(spec) - 1
    out["004.w2-hidden"] = Finding(
        _agree((dense_weight_shape(params["W2"], params["b2"]), params["W2"].shape)),
        _count(2, hidden_241),
        f"wording: the net has {hidden_241} hidden layer; W2 {params['W2'].shape} is the "
        f"output layer's (nn.Sequential's last Linear), no second hidden layer",
    )


def network_counts():
    """Parameters, layers, units and outputs the documents count, against torch models of the same networks."""
    out = {}
    _parameters(out)
    _layers(out)
    return out


def _updates(m, regime, batch_size=None):
    """Updates in one epoch: the reference's batches and torch's DataLoader over the same m examples."""
    size = {"batch": m, "sgd": 1}.get(regime, batch_size)
    ref = len(next(training.batch_order(m, regime, 1, seed=0, batch_size=batch_size)))
    return ref, loader_batch_count(m, size)


def epoch_counts():
    """Epochs, updates per epoch and loop ranges of doc 004's gradient descent, against torch's DataLoader."""
    out = {}
    # An epoch passes every example once, in any regime (l.680).
    m = 10
    covered = []
    for regime, size in (("batch", None), ("sgd", None), ("minibatch", 3)):
        batches = next(training.batch_order(m, regime, 1, seed=1, batch_size=size))
        loader = loader_epoch(m, {"batch": m, "sgd": 1}.get(regime, size), seed=1)
        covered += [
            sorted(np.concatenate(batches).tolist()) == list(range(m)),
            sorted(np.concatenate(loader).tolist()) == list(range(m)),
        ]
    out["004.epoch"] = Finding(0.0 if all(covered) else math.inf)
    # l.954, l.986, l.1022: 100 examples: batch GD 1 update, SGD 100, 5 batches of 20: 5; l.983: one step of
    # batch GD on 5 million examples uses all of them.
    printed = {("batch", None): 1, ("sgd", None): 100, ("minibatch", 20): 5}
    got = {key: _updates(100, *key) for key in printed}
    big = loader_batch_count(5_000_000, 5_000_000)
    one_step = big == 1 and len(next(training.batch_order(5_000_000, "batch", 1, seed=0))[0]) == 5_000_000
    out["004.updates-per-epoch"] = Finding(
        max([_agree((p, *got[k])) for k, p in printed.items()] + [0.0 if one_step else math.inf])
    )
    # l.918-921: the summary's one update per epoch for SGD and mini-batch.
    sgd, mini = got[("sgd", None)], got[("minibatch", 20)]
    said = [
        errata.updates_per_epoch_summary_004("sgd", 100),
        errata.updates_per_epoch_summary_004("minibatch", 100, 20),
    ]
    out["004.gd-summary"] = Finding(
        _agree((sgd[0], sgd[1]), (mini[0], mini[1])),
        min(_count(said[0], sgd[0]), _count(said[1], mini[0])),
        f"count: in one epoch of 100 examples SGD updates {sgd[0]} times and mini-batch "
        f"(20) {mini[0]} times (DataLoader: {sgd[1]}, {mini[1]}); the summary says "
        f"once per epoch",
    )
    # l.927-929: 100k points, mini-batches of 100.
    ref, loader = _updates(100_000, "minibatch", 100)
    epochs = 1  # the 1000 batches above are one epoch: every point once
    said = errata.epochs_of_minibatches_004(100_000, 100)
    out["004.minibatch-epochs"] = Finding(
        _agree((ref, loader, 1000)),
        _count(said, epochs),
        f"count: 100,000 points in mini-batches of 100 are {ref} updates "
        f"(DataLoader: {loader}) in {epochs} epoch, not {said} epochs",
    )
    # l.1251: one prediction per example.
    params, spec = _net([3, 4, 1], seed=69)
    X = rng(70).normal(size=(3, 7))
    preds = network.forward(X, params, ["sigmoid", "sigmoid"])[0]
    said = len(errata.prediction_indices_004(X.shape[1]))
    out["004.predictions-range"] = Finding(
        _agree((preds.shape[1], X.shape[1]), (sequential_forward(spec, X).shape[1], X.shape[1])),
        _count(said, X.shape[1]),
        f"count: i = 0..m gives {said} predictions for m = {X.shape[1]} examples; the net returns {preds.shape[1]}",
    )
    return out


CHECKS = (network_counts, epoch_counts)
