"""Central finite differences with an error estimate: the third, framework-free opinion on a derivative."""

import numpy as np

from ..core.tolerances import FD_TRUST

# Central differences: h = eps^(1/3) * scale balances truncation (h^2) and rounding (eps / h).
FD_STEP = float(np.finfo(np.float64).eps) ** (1 / 3)


def _central(F, X, h, rows=None, size=0.0):
    """(F(X + H) - F(X - H)) / ((X + H) - (X - H)) and its rounding bound eps (|F+| + |F-| + 2 size) / 2H.

    The step actually taken is (X + H) - (X - H), exact in floating point, not 2H. `size` is the
    magnitude of the intermediate terms F rounds (e.g. 1 for log(1 - a), whose argument rounds
    in absolute terms), where that exceeds |F|. With `rows`, one row is perturbed at a time and
    F returns one value per column.
    """
    eps = np.finfo(np.float64).eps
    if rows is None:
        up, down = X + h, X - h
        Fu, Fd = F(up), F(down)
        return (Fu - Fd) / (up - down), eps * (np.abs(Fu) + np.abs(Fd) + 2 * size) / (up - down)
    D, R = np.empty_like(X), np.empty_like(X)
    for k in range(X.shape[0]):  # a loop over units: every column (example) moves at once
        up, down = X.copy(), X.copy()
        up[k] += h[k]
        down[k] -= h[k]
        Fu, Fd = F(up).ravel(), F(down).ravel()
        D[k] = (Fu - Fd) / (up[k] - down[k])
        R[k] = eps * (np.abs(Fu) + np.abs(Fd) + 2 * np.ravel(size)) / (up[k] - down[k])
    return D, R


def finite_difference(F, X, h, rows=None, size=0.0):
    """Central difference with step h and its error estimate |D(h) - D(2h)| + rounding (see tolerances)."""
    D, R = _central(F, X, h, rows, size)
    return D, np.abs(D - _central(F, X, 2 * h, rows, size)[0]) + R


def abstain(D, err, scale, skip):
    """Blank the differences that are too inaccurate to judge, saying why."""
    skip = np.where((skip == "") & ~(err <= FD_TRUST * scale), "ill-conditioned", skip)
    bad = skip != ""
    return np.where(bad, np.nan, D), np.where(bad, np.nan, err), skip
