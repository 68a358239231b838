"""Where a failing training step meets a place at which torch departs from the documents' equations
by design, and by how much: said beside the first divergence (training.lockstep), never in place of
it. The exit status stays a disagreement; the numbers tell the reader whether that departure can
account for what was seen.
"""

import numpy as np

from torch_impl.modules import BCE_GRADIENT_FLOOR


def torch_departures(operands):
    """A sentence when the failing step's batch (operands: allowances.Operands, at the parameters the
    step started from) holds outputs where torch's BCELoss floors its gradient's denominator, else "".

    The documents' dJ/da = (a - y) / (a (1 - a)) makes dJ/dZ[L] = a - y per example; torch divides by
    max(a (1 - a), floor) instead, so on such an example its dJ/dZ[L] is (a - y) a (1 - a) / floor,
    short of a - y by (a - y) (1 - a (1 - a) / floor). The largest of those shortfalls, relative to
    the batch's largest |a - y|, is what the floor can move this step's gradient by: an error far
    larger than it is not the floor's doing. (A float32 sigmoid reaches 1 exactly before a (1 - a)
    passes the floor near 1; the reference refuses that step and says so instead.)
    """
    if operands.loss != "bce":
        return ""
    A = np.asarray(operands.AL, dtype=np.float64)
    Y = np.asarray(operands.Y[:, operands.idx], dtype=np.float64)
    sigma_prime = A * (1 - A)  # the sigmoid's g'(z) = a (1 - a), the denominator torch floors
    floored = sigma_prime < BCE_GRADIENT_FLOOR
    if not floored.any():
        return ""
    shortfall = np.abs(A - Y) * (1 - sigma_prime / BCE_GRADIENT_FLOOR)
    share = float(np.max(shortfall[floored])) / max(float(np.max(np.abs(A - Y))), np.finfo(np.float64).tiny)
    return (
        f"{int(np.count_nonzero(floored))} of the {A.size} outputs of this step's batch have a(1 - a) below "
        f"{BCE_GRADIENT_FLOOR:g}, where torch's BCELoss divides dJ/da by max(a(1 - a), {BCE_GRADIENT_FLOOR:g}) "
        f"rather than the documents' a(1 - a) (torch's safeguard, not a mistake in an equation): there its "
        f"dJ/dZ[L] falls short of the documents' a - y by up to {share:.2g} of the batch's largest |a - y|, "
        "and a difference far larger than that is not the floor's doing"
    )
