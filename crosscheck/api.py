"""The public API: check your own NumPy code against PyTorch autograd, or a derivative against a target.

    from crosscheck import assert_activation
    import numpy as np, torch.nn.functional as F
    softplus = lambda Z: np.logaddexp(0, Z)
    d_softplus = lambda Z: 1 / (1 + np.exp(-Z))
    assert_activation(softplus, d_softplus, F.softplus)   # AssertionError with the diagnosis if wrong

check_* return a result (ok, diagnosis, message); assert_* raise AssertionError(message) when not
ok. The pytest plugin's `crosscheck` fixture hands out the assert_* functions.
"""

from .derivation import check_derivation
from .derivation.grade import grade_file
from .derivation.student import judge_file
from .derivation.targets import TARGETS
from .own.checks import LOSS_KINDS, OwnResult, check_activation, check_layer, check_loss, check_network
from .own.draws import SEED

__all__ = [
    "LOSS_KINDS",
    "TARGETS",
    "OwnResult",
    "assert_activation",
    "assert_layer",
    "assert_loss",
    "assert_network",
    "check_activation",
    "check_derivation",
    "check_layer",
    "check_loss",
    "check_network",
    "grade_file",
    "judge_file",
]


def _raise_unless_ok(result):
    if not result.ok:
        raise AssertionError(result.message)
    return result


def assert_activation(g, g_prime, torch_g, seed=SEED):
    """g and its derivative g_prime (NumPy, elementwise) against torch_g and autograd, at kinks and in saturation."""
    return _raise_unless_ok(check_activation(g, g_prime, torch_g, seed=seed))


def assert_loss(L, dL, torch_loss, kind="binary", seed=SEED):
    """L(A, Y) (the value torch_loss computes) and dL(A, Y) = dL/dA against torch_loss and autograd."""
    return _raise_unless_ok(check_loss(L, dL, torch_loss, kind=kind, seed=seed))


def assert_layer(forward, backward, torch_module, reduction="mean", seed=SEED):
    """A layer's forward(A_prev, *params) and backward(dZ, A_prev, *params) against torch_module's autograd."""
    return _raise_unless_ok(check_layer(forward, backward, torch_module, reduction=reduction, seed=seed))


def assert_network(forward, backward, sizes, activations, loss, reduction="mean", seed=SEED):
    """A whole network's forward(X, params) and backward(AL, Y, caches) against torch's twin of it."""
    return _raise_unless_ok(check_network(forward, backward, sizes, activations, loss, reduction=reduction, seed=seed))
