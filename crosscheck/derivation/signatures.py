"""Accepting the signatures students write for a target where the documents allow more than one.

The linear layer's backward pass needs dZ, A_prev and W; the target passes (dZ, A_prev, W, b) so
that a function written beside its forward pass fits, and b is unused by the backward pass. A
function that takes exactly three positional parameters, d_linear(dZ, A_prev, W), is called
without b.
"""

import functools
import inspect

# target -> (how many arguments the target passes, how many trailing ones a signature may leave out)
OPTIONAL_TRAILING = {"linear": (4, 1)}  # (dZ, A_prev, W, b): b may be left out


def _positional_count(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # builtins and some callables have no signature: call as given
        return None
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


def fit_signature(target, fn):
    """fn, or fn wrapped to drop the trailing arguments its signature leaves out (linear's b)."""
    if target not in OPTIONAL_TRAILING:
        return fn
    arity, drop = OPTIONAL_TRAILING[target]
    if _positional_count(fn) != arity - drop:
        return fn

    @functools.wraps(fn)
    def without_trailing(*args):
        return fn(*args[: len(args) - drop])

    return without_trailing
