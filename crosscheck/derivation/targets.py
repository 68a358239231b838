"""The targets of `crosscheck derivation`: each derivative's signature, outputs and catalogue ids.

Activation targets come from the operator registry (every elementwise activation, softmax), so a
registered activation is a target with no other edit; losses, fused output layers and the linear
layer are listed here.
"""

from dataclasses import dataclass

from ..core.ops import ACTIVATIONS

OPINIONS = ("PyTorch autograd", "reference", "finite differences")

# A layer's dW and db under J = sum L(i) (doc 000) instead of the mean (doc 002).
SUM_EQUATIONS = {"002.dW": "000.dW-sum", "002.db": "000.db-sum"}


@dataclass(frozen=True)
class Target:
    """One derivative a student can check: its signature, outputs and catalogue equations."""

    name: str
    kind: str  # elementwise, softmax, loss, fused, linear, network
    signature: str
    meaning: str
    outputs: tuple
    equations: tuple  # catalogue id per output ("" for an extension); for "mean" (linear swaps dW under "sum")

    def equation_ids(self, reduction):
        if self.kind == "linear" and reduction == "sum":
            return ("000.dA-prev", "000.dW-sum", "000.db-sum")
        if self.kind == "network" and reduction == "sum":
            return tuple(SUM_EQUATIONS.get(e, e) for e in self.equations)
        return self.equations

    @property
    def extension(self):
        return not any(self.equations)


def _activation_target(op):
    record = op.reference
    if not record.elementwise:
        return Target(
            op.name,
            "softmax",
            "f(dA, A) -> dZ",
            f"gradient back through A = {op.name}(Z) over each column",
            ("dZ",),
            (record.catalogue,),
        )
    params = "".join(f", {k} {p.default:g}" for k, p in op.params.items())
    at_kinks = "".join(f", g'({k:g}) = {record.g_prime(k, **record.defaults()):g}" for k in op.kinks)
    meaning = f"derivative of {record.formula}{params}{at_kinks}" + (" (extension)" if op.extension else "")
    return Target(op.name, "elementwise", "f(Z) -> g'(Z)", meaning, ("g'(Z)",), (record.catalogue,))


def _t(name, kind, signature, meaning, outputs, equations):
    return Target(name, kind, signature, meaning, tuple(outputs), tuple(equations))


TARGETS = {
    t.name: t
    for t in (
        *(_activation_target(op) for op in ACTIVATIONS.values()),
        _t(
            "bce",
            "loss",
            "f(AL, Y) -> dA[L]",
            "per-example derivative of binary cross-entropy",
            ["dA[L]"],
            ["002.bce-dA"],
        ),
        _t(
            "cce",
            "loss",
            "f(AL, Y) -> dA[L]",
            "per-example derivative of categorical cross-entropy",
            ["dA[L]"],
            ["004.cce-dA"],
        ),
        _t(
            "mse",
            "loss",
            "f(AL, Y) -> dA[L]",
            "per-example derivative of doc 003's MSE, (1/n) sum_k (a_k - y_k)^2",
            ["dA[L]"],
            ["003.mse-prime"],
        ),
        _t(
            "sse",
            "loss",
            "f(AL, Y) -> dA[L]",
            "per-example derivative of doc 004's squared loss, sum_k (a_k - y_k)^2",
            ["dA[L]"],
            ["004.sse-dA"],
        ),
        _t(
            "sigmoid_bce",
            "fused",
            "f(AL, Y) -> dZ[L]",
            "per-example dZ[L] of a sigmoid output with binary cross-entropy",
            ["dZ[L]"],
            ["000.dZ-last"],
        ),
        _t(
            "softmax_cce",
            "fused",
            "f(AL, Y) -> dZ[L]",
            "per-example dZ[L] of a softmax output with categorical cross-entropy",
            ["dZ[L]"],
            ["004.softmax-cce-dZ"],
        ),
        _t(
            "linear",
            "linear",
            "f(dZ, A_prev, W[, b]) -> (dA_prev, dW, db)",
            "backward through Z = W A_prev + b",
            ["dA_prev", "dW", "db"],
            ["000.dA-prev", "002.dW", "002.db"],
        ),
        _t(
            "two_layer",
            "network",
            "f(X, Y, params, caches) -> (dW1, db1, dW2, db2)",
            "doc 001's 2-layer network (sigmoid, sigmoid, bce); caches = {'A1', 'A2'}",
            ["dW1", "db1", "dW2", "db2"],
            ["001.dW1", "001.db1", "001.dW2", "001.db2"],
        ),
        _t(
            "network",
            "network",
            "f(X, Y, params, caches) -> (dW1, db1, dW2, db2, dW3, db3)",
            "docs 000/004's L-layer network, L = 3 (relu, tanh, sigmoid, bce); caches[l-1] = {'A_prev', 'W', 'b', 'Z', 'A', 'activation'}",
            ["dW1", "db1", "dW2", "db2", "dW3", "db3"],
            ["002.dW", "002.db"] * 3,
        ),
    )
}
