"""The targets of `crosscheck derivation`: each derivative's signature, outputs and catalogue ids.

Kept apart from the probes so that naming the targets (the CLI's help, `import crosscheck`)
does not import torch.
"""

from dataclasses import dataclass

OPINIONS = ("PyTorch autograd", "reference", "finite differences")


@dataclass(frozen=True)
class Target:
    """One derivative a student can check: its signature, outputs and catalogue equations."""

    name: str
    kind: str  # elementwise, softmax, loss, fused, linear
    signature: str
    meaning: str
    outputs: tuple
    equations: tuple  # catalogue id per output (for "mean"; linear swaps dW under "sum")

    def equation_ids(self, reduction):
        if self.kind == "linear" and reduction == "sum":
            return ("000.dA-prev", "000.dW-sum", "000.db-sum")
        return self.equations


def _t(name, kind, signature, meaning, outputs, equations):
    return Target(name, kind, signature, meaning, tuple(outputs), tuple(equations))


TARGETS = {
    t.name: t
    for t in (
        _t("sigmoid", "elementwise", "f(Z) -> g'(Z)", "derivative of sigma(z) = 1/(1+e^-z)", ["g'(Z)"], ["002.sigmoid-prime"]),
        _t("tanh", "elementwise", "f(Z) -> g'(Z)", "derivative of tanh(z)", ["g'(Z)"], ["003.tanh-prime"]),
        _t("relu", "elementwise", "f(Z) -> g'(Z)", "derivative of max(0, z), with g'(0) = 0", ["g'(Z)"], ["002.relu-prime"]),
        _t("leaky_relu", "elementwise", "f(Z) -> g'(Z)", "derivative of leaky ReLU (slope 0.01), g'(0) = 0.01", ["g'(Z)"], ["002.leaky-relu-prime"]),
        _t("elu", "elementwise", "f(Z) -> g'(Z)", "derivative of ELU (alpha 1.0), g'(0) = alpha", ["g'(Z)"], ["002.elu-prime"]),
        _t("identity", "elementwise", "f(Z) -> g'(Z)", "derivative of g(z) = z", ["g'(Z)"], ["004.identity-prime"]),
        _t("softmax", "softmax", "f(dA, A) -> dZ", "gradient back through A = softmax(Z) over each column", ["dZ"], ["003.softmax-jacobian"]),
        _t("bce", "loss", "f(AL, Y) -> dA[L]", "per-example derivative of binary cross-entropy", ["dA[L]"], ["002.bce-dA"]),
        _t("cce", "loss", "f(AL, Y) -> dA[L]", "per-example derivative of categorical cross-entropy", ["dA[L]"], ["004.cce-dA"]),
        _t("mse", "loss", "f(AL, Y) -> dA[L]", "per-example derivative of doc 003's MSE, (1/n) sum_k (a_k - y_k)^2", ["dA[L]"], ["003.mse-prime"]),
        _t("sse", "loss", "f(AL, Y) -> dA[L]", "per-example derivative of doc 004's squared loss, sum_k (a_k - y_k)^2", ["dA[L]"], ["004.sse-dA"]),
        _t("sigmoid_bce", "fused", "f(AL, Y) -> dZ[L]", "per-example dZ[L] of a sigmoid output with binary cross-entropy", ["dZ[L]"], ["000.dZ-last"]),
        _t("softmax_cce", "fused", "f(AL, Y) -> dZ[L]", "per-example dZ[L] of a softmax output with categorical cross-entropy", ["dZ[L]"], ["004.softmax-cce-dZ"]),
        _t("linear", "linear", "f(dZ, A_prev, W, b) -> (dA_prev, dW, db)", "backward through Z = W A_prev + b", ["dA_prev", "dW", "db"], ["000.dA-prev", "002.dW", "002.db"]),
    )
}
