"""Why a training step may have parted from torch where torch itself departs from the documents'
equations by design: said beside the first divergence (training.lockstep), never in place of it.
The exit status stays a disagreement; the sentence tells the reader where to look first.
"""

import numpy as np

from torch_impl.modules import BCE_GRADIENT_FLOOR


def torch_departures(operands):
    """A sentence when the failing step's batch (operands: allowances.Operands) holds outputs where
    torch's BCELoss floors its gradient's denominator, else "".

    dJ/da = (a - y) / (a (1 - a)) in the documents; torch divides by max(a (1 - a), 1e-12). On such
    an example the two gradients differ by the ratio of the two denominators, which no tolerance for
    rounding covers; a run saturating its sigmoid (a within 1e-12 of 0 or 1) parts there.
    """
    if getattr(operands, "loss", None) != "bce":  # planted steps in tests carry a bare callable
        return ""
    AL = np.asarray(operands.AL, dtype=np.float64)
    floored = int(np.count_nonzero(AL * (1 - AL) < BCE_GRADIENT_FLOOR))
    if not floored:
        return ""
    return (
        f"{floored} of the {AL.size} outputs of this step's batch have a(1 - a) below {BCE_GRADIENT_FLOOR:g}, "
        f"where torch's BCELoss divides dJ/da by max(a(1 - a), {BCE_GRADIENT_FLOOR:g}) instead of the "
        "documents' a(1 - a): on those examples torch's gradient is not the documents', and that alone can "
        "part the two (torch's safeguard, not a mistake in an equation)"
    )
