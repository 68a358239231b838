"""The functional L-layer network of docs 000, 002 and 004: forward, cost, backward, update.

params holds "W1", "b1", ..., "WL", "bL"; activations names g[1..L] (a name, or (name, {parameter:
value}) for a non-default leaky slope or ELU alpha). A cache per layer keeps
A[l-1], W[l], b[l], Z[l], A[l] and g[l]'s name, as doc 004's "Output A[l], cache(Z[l])".
"""

import numpy as np

from . import _validate, gradients, losses
from . import activations as act

# Output/loss pairs whose dZ[L] the documents write in closed form: dZ[L] = A[L] - Y
# (doc 000 "Gradients - Last Layer", doc 004 "dZ2 = A2 - Y"; the softmax + cce case is the same algebra).
SHORTCUT_PAIRS = {("sigmoid", "bce"), ("softmax", "cce")}


def linear_forward(A_prev, W, b):
    """Z[l] = W[l] A[l-1] + b[l] (doc 000 "Forward Propagation Equations"; doc 002)."""
    W = _validate.as_matrix("W", W)
    A_prev = _validate.as_matrix("A_prev", A_prev, rows=W.shape[1])
    b = _validate.as_matrix("b", b, rows=W.shape[0], cols=1)
    return W @ A_prev + b


def linear_backward(dZ, A_prev, W, reduction="mean"):
    """dW = (1/m) dZ A_prev^T, db = (1/m) sum_i dZ[:, i], dA_prev = W^T dZ (doc 002 "dW"; doc 004).

    Under reduction="sum" (doc 000: dW = dZ A^T, db = sum_axis=1 dZ) the 1/m is dropped.
    """
    W = _validate.as_matrix("W", W)
    dZ = _validate.as_matrix("dZ", dZ, rows=W.shape[0])
    A_prev = _validate.as_matrix("A_prev", A_prev, rows=W.shape[1], cols=dZ.shape[1])
    _validate.choice("reduction", reduction, losses.REDUCTIONS)
    return _linear_backward(dZ, A_prev, W, reduction)


def _linear_backward(dZ, A_prev, W, reduction):
    """linear_backward on arrays already checked (backward's loop: forward() made and checked them)."""
    return gradients._dA_prev(W, dZ), gradients._dW(dZ, A_prev, reduction), gradients._db(dZ, reduction)


def _check_network(X, params, activations):
    """Validate X, params and activations together; return X and the number of layers L."""
    if isinstance(activations, str) or not isinstance(activations, (list, tuple)) or not activations:
        raise ValueError(f"activations: expected a non-empty list of names, one per layer, got {activations!r}")
    for activation in activations:
        act.resolve(activation)
    if not isinstance(params, dict):
        raise ValueError(f"params: expected a dict with keys W1, b1, ..., got {type(params).__name__}")
    L = len(activations)
    expected = {f"{p}{l}" for l in range(1, L + 1) for p in "Wb"}
    if set(params) != expected:
        missing = sorted(expected - set(params))
        extra = sorted(set(params) - expected)
        raise ValueError(
            f"params: expected keys {sorted(expected)} for {L} activations, missing {missing}, unexpected {extra}"
        )
    X = _validate.as_matrix("X", X)
    n_prev = X.shape[0]
    for l in range(1, L + 1):
        W = _validate.as_matrix(f"W{l}", params[f"W{l}"])
        if W.shape[1] != n_prev:
            raise ValueError(
                f"W{l}: layer shapes do not chain: expected {n_prev} columns "
                f"(n[{l - 1}] = {n_prev}), got shape {W.shape}"
            )
        _validate.as_matrix(f"b{l}", params[f"b{l}"], rows=W.shape[0], cols=1)
        n_prev = W.shape[0]
    return X, L


def _plus_bias(WA, b):
    """W A + b, adding b in place into the fresh product W A (one n[l] x m array instead of two).

    Where b's dtype would promote the product's (float64 b, float32 W), the plain sum keeps NumPy's promotion.
    """
    if np.result_type(WA, b) != WA.dtype:
        return WA + b
    WA += b
    return WA


def forward(X, params, activations):
    """A[0] = X; Z[l] = W[l] A[l-1] + b[l]; A[l] = g[l](Z[l]) for l = 1..L (doc 000 "Forward & Backward Prop Summary")."""
    A, L = _check_network(X, params, activations)
    caches = []
    for l in range(1, L + 1):
        W, b = np.asarray(params[f"W{l}"]), np.asarray(params[f"b{l}"])
        Z = _plus_bias(W @ A, b)
        A_next = act.forward(activations[l - 1], Z)
        caches.append({"A_prev": A, "W": W, "b": b, "Z": Z, "A": A_next, "activation": activations[l - 1]})
        A = A_next
    return A, caches


def regularization(params, l1=0.0, l2=0.0):
    """l2 sum W^2 + l1 sum |W| over every weight matrix, never the biases (doc 004 "DEFINE LOSS FUNCTION")."""
    l1, l2 = _validate.non_negative("l1", l1), _validate.non_negative("l2", l2)
    if not isinstance(params, dict):
        raise ValueError(f"params: expected a dict with keys W1, b1, ..., got {type(params).__name__}")
    weights = [_validate.as_matrix(k, v) for k, v in params.items() if k.startswith("W")]
    return float(l2 * sum(np.sum(W * W) for W in weights) + l1 * sum(np.sum(np.abs(W)) for W in weights))


def cost(AL, Y, loss, reduction="mean", params=None, l1=0.0, l2=0.0):
    """J = (1/m) sum L(i) (docs 001, 002, 004) or sum L(i) (doc 000), plus doc 004's L1/L2 terms."""
    _validate.choice("reduction", reduction, losses.REDUCTIONS)
    l1, l2 = _validate.non_negative("l1", l1), _validate.non_negative("l2", l2)
    J = losses.reduce(losses.per_example(AL, Y, loss), reduction)
    if l1 or l2:
        if params is None:
            raise ValueError("params: l1/l2 regularization needs the weights, got params=None")
        J += regularization(params, l1, l2)
    return J


CACHE_KEYS = ("A_prev", "W", "b", "Z", "A", "activation")  # what forward() keeps of each layer


def _check_caches(AL, caches):
    """ValueError where caches are not a list like forward()'s, or AL is not the last layer's output
    in shape (an AL of another batch ended in NumPy's matmul words)."""
    if not isinstance(caches, (list, tuple)) or not caches:
        raise ValueError(
            f"caches: expected the non-empty list forward() returns, got {type(caches).__name__} {caches!r:.80}"
        )
    for l, cache in enumerate(caches, 1):
        missing = [k for k in CACHE_KEYS if k not in cache] if isinstance(cache, dict) else None
        if missing is None or missing:
            what = f"missing {missing}" if missing else type(cache).__name__
            raise ValueError(f"caches: expected forward()'s dict of {', '.join(CACHE_KEYS)} for layer {l}, got {what}")
    if np.shape(AL) != np.shape(caches[-1]["A"]):
        raise ValueError(
            f"AL: expected the shape of the last layer's A in caches, {np.shape(caches[-1]['A'])}, got {np.shape(AL)}"
        )


def backward(AL, Y, caches, loss, reduction="mean", l1=0.0, l2=0.0):
    """Backprop for layers L..1 (doc 004 "Pseudo code for back propagation for layer l"; doc 000 summary).

    dA[L] = dL(i)/dA[L]; dZ[l] = dA[l] * g'(Z[l]); dW[l] = (1/m) dZ[l] A[l-1]^T (+ 2 l2 W + l1 sign W);
    db[l] = (1/m) sum dZ[l]; dA[l-1] = W[l]^T dZ[l]. dA and dZ stay per example (no 1/m).
    """
    _validate.choice("reduction", reduction, losses.REDUCTIONS)
    l1, l2 = _validate.non_negative("l1", l1), _validate.non_negative("l2", l2)
    _check_caches(AL, caches)
    L = len(caches)
    grads = {f"dA{L}": losses.derivative(AL, Y, loss)}
    AL = np.asarray(AL)
    last = caches[-1]["activation"]
    if (act.resolve(last)[0].name, loss) in SHORTCUT_PAIRS:
        # The documents' closed form; it also avoids dividing by A[L] near 0 or 1.
        dZ = gradients._dZ_last(AL, np.asarray(Y, dtype=AL.dtype))
    else:
        dZ = act.backward(last, grads[f"dA{L}"], caches[-1]["Z"], AL)
    for l in range(L, 0, -1):
        cache = caches[l - 1]
        if l < L:
            dZ = act.backward(cache["activation"], grads[f"dA{l}"], cache["Z"], cache["A"])
        grads[f"dZ{l}"] = dZ
        dA_prev, dW, db = _linear_backward(dZ, cache["A_prev"], cache["W"], reduction)
        if l2:
            dW = dW + 2 * l2 * cache["W"]
        if l1:
            dW = dW + l1 * np.sign(cache["W"])
        grads[f"dA{l - 1}"], grads[f"dW{l}"], grads[f"db{l}"] = dA_prev, dW, db
    return grads


def update(params, grads, learning_rate):
    """W[l] := W[l] - alpha dW[l], b[l] := b[l] - alpha db[l] (doc 000 "Update Parameters")."""
    learning_rate = _validate.non_negative("learning_rate", learning_rate)
    missing = [f"d{k}" for k in params if f"d{k}" not in grads]
    if missing:
        raise ValueError(f"grads: expected a gradient for every parameter, missing {missing}")
    # Each gradient of its parameter's shape (a vector db once broadcast b into a matrix). Not held
    # finite: a step that blows up gives inf parameters, which the next forward() refuses by name.
    for k, v in params.items():
        _validate.real_of_shape(f"d{k}", grads[f"d{k}"], np.shape(v))
    return {k: np.asarray(v) - learning_rate * np.asarray(grads[f"d{k}"]) for k, v in params.items()}
