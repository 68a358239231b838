"""Document 004's three training regimes: batch, stochastic and mini-batch gradient descent.

Each epoch is a list of index batches. Batch GD takes all m examples in one step per epoch;
SGD takes one example per step; mini-batch takes a fixed number per step, the last batch of an
epoch holding what is left. The order is drawn from np.random.default_rng(seed) alone, so the
same order can be handed to another implementation.

Doc 004's summary list says SGD and mini-batch update the parameters "after each epoch"; its own
longer sections (and doc 001's loop) update after every example or batch, which is what runs here.
"""

import numpy as np

from . import _validate, losses, network

REGIMES = ("batch", "sgd", "minibatch")


def step_size(m, regime, batch_size=None):
    """Examples per step (doc 004 "GD, SGD, MINI BATCH SGD"): all m for batch GD, 1 for SGD, batch_size
    for mini-batch, where a batch_size past m takes all m too. ValueError naming a bad argument (an
    unknown regime was counted as mini-batch)."""
    if regime not in REGIMES:
        raise ValueError(f"regime: expected one of {', '.join(REGIMES)}, got {regime!r}")
    if not _validate.is_whole(m) or m < 1:
        raise ValueError(f"m: expected a positive number of examples, got {m!r}")
    if regime == "minibatch" and (not _validate.is_whole(batch_size) or batch_size < 1):
        raise ValueError(f"batch_size: expected a positive integer for mini-batch, got {batch_size!r}")
    if regime == "batch":
        return m
    if regime == "sgd":
        return 1
    return min(batch_size, m)


def batches_per_epoch(m, regime, batch_size=None):
    """Steps in one epoch: 1 for batch GD, m for SGD, ceil(m / batch_size) for mini-batch.

    Lets a caller count a run's steps without drawing its batches (batch_order is lazy).
    """
    return -(-m // step_size(m, regime, batch_size))


def batch_order(m, regime, epochs, seed, batch_size=None):
    """Per epoch, the list of index batches (doc 004 "GD, SGD, MINI BATCH SGD").

    A generator: one epoch's order is drawn when it is asked for, so a run holds one epoch of
    indices at a time however many epochs it has.
    """
    size = step_size(m, regime, batch_size)  # regime, m and batch_size checked there
    if not _validate.is_whole(epochs) or epochs < 0:
        raise ValueError(f"epochs: expected a non-negative integer, got {epochs!r}")
    if seed is not None and (not _validate.is_whole(seed) or seed < 0):
        raise ValueError(f"seed: expected a non-negative integer or None, got {seed!r}")
    return _epochs(m, regime, epochs, seed, size)


def _epochs(m, regime, epochs, seed, size):
    """batch_order's generator, apart so that bad arguments raise at the call, not at the first epoch."""
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        # Batch GD sums over every example anyway; keeping 0..m-1 keeps its sums in a fixed order.
        order = np.arange(m) if regime == "batch" else rng.permutation(m)
        yield [order[i : i + size] for i in range(0, m, size)]


def train(X, Y, params, activations, loss, epochs_of_batches, learning_rate, reduction="mean", l1=0.0, l2=0.0):
    """Yield (epoch, step, J, params) after every update W := W - alpha dW, b := b - alpha db (doc 000).

    J is the cost of the step's batch at the parameters the step started from (with doc 004's
    L1/L2 terms); params are the updated ones. learning_rate is a number or a function of the
    step number (counted from 0 over the whole run). Arguments are checked at the call, before the
    first step is asked for.
    """
    l1, l2 = _validate.non_negative("l1", l1), _validate.non_negative("l2", l2)
    X, _ = network._check_network(X, params, activations)  # X, params and activations, together
    Y = _validate.as_matrix("Y", Y, cols=X.shape[1])
    _validate.choice("loss", loss, losses.LOSSES)
    _validate.choice("reduction", reduction, losses.REDUCTIONS)
    if not callable(learning_rate):
        learning_rate = _validate.non_negative("learning_rate", learning_rate)
    return _steps(X, Y, params, activations, loss, epochs_of_batches, learning_rate, reduction, l1, l2)


def _steps(X, Y, params, activations, loss, epochs_of_batches, learning_rate, reduction, l1, l2):
    rate = learning_rate if callable(learning_rate) else (lambda step: learning_rate)
    step = 0
    for epoch, batches in enumerate(epochs_of_batches):
        for idx in batches:
            Xb, Yb = X[:, idx], Y[:, idx]
            AL, caches = network.forward(Xb, params, activations)
            J = network.cost(AL, Yb, loss, reduction, params, l1, l2)
            grads = network.backward(AL, Yb, caches, loss, reduction, l1, l2)
            params = network.update(params, grads, rate(step))
            yield epoch, step, J, params
            step += 1
