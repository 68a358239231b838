"""When a training run has blown up on both sides alike: the training diverged, not the implementations.

A loss past overflow on both sides, or parameters no longer finite on both, is a shared blow-up.
The reference's input checks refuse inf and nan, so its side of a blow-up may be a refusal of the
step (ref None): then torch's step decides. Whether the step before agreed is the caller's to
judge (training.lockstep): after a disagreement a blow-up may be its consequence.
"""

import numpy as np


def _finite(trace):
    return all(np.all(np.isfinite(v)) for v in trace.values())


def past_overflow(J, loss_tol):
    """True when a loss is not finite or lies within its step's bound of the dtype's largest number:
    the other side, held to agree within that bound, may then have overflowed to inf (or been
    refused for it) with neither side wrong."""
    largest = float(np.finfo(loss_tol.dtype).max)
    return not np.isfinite(J) or abs(float(J)) * (1 + loss_tol.rtol) >= largest


def diverged(step, what):
    """The diverged-in-both sentence at a step past the first, where a learning rate has acted."""
    return f"training diverged in both at step {step}: {what}; lower the learning rate"


def blown_in_both(step, ref, other, loss_tol):
    """The diverged-in-both message when both sides' losses are past overflow (or neither side's
    parameters are finite), else "". ref is None when the reference refused the step: its checks
    reject inf and nan, so the refusal stands for its blow-up and torch's step decides."""
    J = other["J"] if ref is None else ref["J"]
    if (ref is None or past_overflow(ref["J"], loss_tol)) and past_overflow(other["J"], loss_tol):
        if step == 0:  # step 0's loss is taken at the initial weights, before any step of the learning rate
            return (
                f"training diverged in both at step 0: loss {float(J)} at the initial parameters, before any "
                "update (no learning rate is at fault); lower l1, l2 or the scale of the weights or the data"
            )
        return diverged(step, f"loss {float(J)}")
    if (ref is None or not _finite(ref)) and not _finite(other):
        return diverged(step, f"parameters not finite (loss {float(J)})")
    return ""
