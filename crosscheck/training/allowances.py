"""What a training step's J and parameters are allowed past their bounds (core.tolerances), asked for
only where a bound fails (training.lockstep): the rounding and the first-order spread of the
operands J is taken of (Operands, one per reference step), and torch's shadow, its run again nudged
by a rounding per step, whose distance from torch says how much the run amplifies rounding.
"""

import functools
from dataclasses import dataclass, replace

import numpy as np

from reference import network

from ..core.compare import compare_arrays
from ..core.tolerances import AMPLIFIED, AMPLIFIED_CEILING, SPREAD_SAFETY, Tolerance, loss_rounding, loss_tolerance
from .trajectory import AMPLIFIED_ONLY


def with_operands(ref_run, batches, X, Y, params, activations, loss, reduction, l1, l2, dtype):
    """The reference's steps, each with the step's Operands (its batch at the parameters the step
    started from), which lockstep asks J's allowances of only where J fails against |J| alone."""
    indices = (idx for epoch in batches for idx in epoch)
    for (epoch, step, J, updated), idx in zip(ref_run, indices):
        yield epoch, step, J, updated, Operands(X, Y, idx, params, activations, loss, reduction, l1, l2, dtype)
        params = updated


@dataclass
class Operands:
    """A reference step's batch (columns idx of X, Y) and the parameters it started from. Called, it
    gives J's allowance for its operands' rounding (tolerances.loss_rounding); spread() how far J
    moves to first order where the parameters move (the reference's forward pass again, and its
    backward for spread)."""

    X: object
    Y: object
    idx: object
    params: dict
    activations: list
    loss: str
    reduction: str
    l1: float
    l2: float
    dtype: str

    @functools.cached_property
    def _forward(self):
        """(A[L], caches) on the batch: one forward pass whether one allowance is asked for or both."""
        return network.forward(self.X[:, self.idx], self.params, self.activations)

    @property
    def AL(self):
        """The network's outputs on the batch at the parameters the step started from."""
        return self._forward[0]

    def __call__(self):
        return loss_rounding(self.loss, self.AL, self.Y[:, self.idx], self.reduction, self.dtype)

    def spread(self, distances):
        """sum over W[l], b[l] of ||dJ/dW[l]||_1 * distances[W[l]]: the most J moves, to first order,
        where each parameter's elements move by up to its distance (Hoelder's inequality)."""
        AL, caches = self._forward
        grads = network.backward(AL, self.Y[:, self.idx], caches, self.loss, self.reduction, self.l1, self.l2)
        return float(sum(np.sum(np.abs(grads[f"d{name}"])) * d for name, d in distances.items()))


def shadow_distances(shadow_item, step, other, tol):
    """{quantity: the shadow's relative distance from torch} at one step, measured as compare_arrays
    measures the reference's; a distance that is not finite (the shadow blew up) allows nothing."""
    if shadow_item is None or shadow_item[1] != step:
        raise ValueError(f"shadow_steps: expected step {step}, got {shadow_item and shadow_item[1]}")
    _, _, s_J, shadow = shadow_item
    nudged = {"J": np.array(s_J), **shadow.parameters_as_numpy()}
    one = Tolerance(tol.dtype, tol.rtol, tol.tiny)
    distances = {name: compare_arrays(name, nudged[name], other[name], one).max_rel for name in other}
    return {name: d if np.isfinite(d) else 0.0 for name, d in distances.items()}


def excused(distance):
    """The relative allowance a shadow's distance from torch gives (tolerances: "Non-convex stretches")."""
    return min(AMPLIFIED * distance, AMPLIFIED_CEILING)


def amplified_loss_tolerance(loss_tol, J, rounding, distance, operands, distances):
    """J's tolerance where the run amplifies: the shadow's relative allowance (its distance from torch
    in J), plus how far J moves to first order where the parameters it is taken at differ by the
    distances last measured (operands.spread), together never past AMPLIFIED_CEILING of |J| beyond
    its operands' rounding. J is torch's."""
    amplified = replace(loss_tol, rtol=max(loss_tol.rtol, excused(distance)))
    room = max(AMPLIFIED_CEILING - amplified.rtol, 0.0) * abs(J)
    spread = min(SPREAD_SAFETY * operands.spread(distances), room)
    return loss_tolerance(amplified, J, rounding + spread)


def amplified_row(row, ref, other, amplified_tol):
    """The row again against the shadow's allowance: noted AMPLIFIED_ONLY when it agrees only so."""
    again = compare_arrays(row.name, ref, other, amplified_tol)
    if not again.ok:
        return row
    again.note = AMPLIFIED_ONLY
    return again
