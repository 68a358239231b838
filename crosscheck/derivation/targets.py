"""The targets of `crosscheck derivation`: each derivative's signature, outputs and catalogue ids.

Activation targets come from the operator registry (every elementwise activation, softmax), so a
registered activation is a target with no other edit; losses, fused output layers and the linear
layer are listed here.
"""

from dataclasses import dataclass

from ..core.ops import ACTIVATIONS

OPINIONS = ("PyTorch autograd", "reference", "finite differences")


@dataclass(frozen=True)
class Target:
    """One derivative a student can check: its signature, outputs and catalogue equations."""

    name: str
    kind: str  # elementwise, softmax, loss, fused, linear
    signature: str
    meaning: str
    outputs: tuple
    equations: tuple  # catalogue id per output ("" for an extension); for "mean" (linear swaps dW under "sum")

    def equation_ids(self, reduction):
        if self.kind == "linear" and reduction == "sum":
            return ("000.dA-prev", "000.dW-sum", "000.db-sum")
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
            "f(dZ, A_prev, W, b) -> (dA_prev, dW, db)",
            "backward through Z = W A_prev + b",
            ["dA_prev", "dW", "db"],
            ["000.dA-prev", "002.dW", "002.db"],
        ),
    )
}
