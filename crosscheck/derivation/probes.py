"""The examiner's probes for `crosscheck derivation`, by target: written by hand around the places where
derivations go wrong (kinks, saturation, probabilities near 0 and 1, m = 1, square layers where a
transpose hides) and filled with seeded draws (see derivation.probe for what a probe holds)."""

import functools

from .activation_probes import elementwise_probes, softmax_probes
from .linear_probes import linear_probes
from .loss_probes import fused_probes, loss_probes
from .network_probes import network_probes
from .probe import Probe
from .targets import OPINIONS, TARGETS

__all__ = ["OPINIONS", "TARGETS", "Probe", "probes_for"]


@functools.lru_cache(maxsize=64)
def probes_for(target, dtype="float64", reduction="mean"):
    """The probes for a target name, in the student's dtype (and reduction, for linear)."""
    kind = TARGETS[target].kind
    if kind == "elementwise":
        return elementwise_probes(target, dtype)
    if kind == "softmax":
        return softmax_probes(dtype)
    if kind == "loss":
        return loss_probes(target, dtype)
    if kind == "fused":
        return fused_probes(target, dtype)
    if kind == "network":
        return network_probes(target, dtype, reduction)
    return linear_probes(dtype, reduction)
