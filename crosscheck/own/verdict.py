"""Comparing your function's output with torch's, element by element, and saying what went wrong.

An element agrees when |yours - torch| <= rtol * s, with rtol the project's tolerance for the dtype
(core.tolerances: 2**12 eps in float64) and s the element's scale: max(1, |torch|) for an
activation's value and derivative (the terms its forms cancel are no larger than 1, as for the
derivation targets), and the quantity's largest |torch| for losses, layers and networks (the
project's norm-wise comparison). A wrong element is named with its input and both values.
"""

from fractions import Fraction

import numpy as np

from ..core.tolerances import tolerance_for
from ..derivation.child import ComplexAnswer, as_real
from ..derivation.diagnose import shape_hint


def elementwise_scale(want):
    return np.maximum(1.0, np.abs(want))


def normwise_scale(want):
    tol = tolerance_for(want.dtype if want.dtype.kind == "f" else "float64")
    return np.full(want.shape, max(float(np.max(np.abs(want), initial=0.0)), tol.tiny))


def _factor(got, want, scale, rtol):
    """The constant c with got = c * want on every element, else None."""
    live = np.abs(want) > rtol * scale
    if not live.any() or not np.all(np.isfinite(got)):
        return None
    c = float(np.sum(got[live] * want[live]) / np.sum(want[live] ** 2))
    if c == 0 or not np.all(np.abs(got - c * want) <= rtol * scale * max(1.0, abs(c))):
        return None
    return c


def _factor_words(c, dims):
    named = [f"{k} = {v}" for k, v in dims.items() if v > 1 and np.isclose(c, v, rtol=1e-9, atol=0)]
    named += [f"1/{k}, {k} = {v}" for k, v in dims.items() if v > 1 and np.isclose(c, 1 / v, rtol=1e-9, atol=0)]
    if np.isclose(c, -1.0, rtol=1e-9, atol=0):
        return "the opposite sign: every value is the negative of torch's (check the order of a subtraction)"
    frac = Fraction(c).limit_denominator(64)
    shown = str(frac) if abs(float(frac) - c) <= 1e-9 * abs(c) else f"{c:.6g}"
    return f"off by a constant factor: your values are {shown} times torch's" + (f" ({named[0]})" if named else "")


def compare(quantity, got, want, *, scale, rtol, describe, dims=None, mistakes=None, where=None):
    """None when `got` agrees with torch's `want`; else the sentences a teacher would say.

    describe(index) names an element's inputs; where(index) its region (kink, saturated, ...);
    mistakes maps a typical mistake's name to the value it would give.
    """
    try:
        got = as_real(got)
    except ComplexAnswer as exc:
        return [f"{quantity}: your function {exc}"]
    except (TypeError, ValueError, OverflowError) as exc:
        return [f"{quantity}: your function returned something that is not a numeric array ({exc})"]
    if got.shape != want.shape:
        return [f"{quantity}: {shape_hint(got.shape, want.shape, None, 0)} (torch's shape is {want.shape})"]
    s = scale(want)
    with np.errstate(all="ignore"):
        bad = ~(np.abs(got - want) <= rtol * s)
    if not bad.any():
        return None
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    lines = [
        f"{quantity}: {int(bad.sum())} of {bad.size} elements disagree; first wrong element {list(first)}"
        f"{' (' + describe(first) + ')' if describe(first) else ''}: your function {got[first]:.10g}, torch {want[first]:.10g} "
        f"(allowed difference {rtol * s[first]:.2g})"
    ]
    with np.errstate(all="ignore"):
        if np.any(~np.isfinite(got) & np.isfinite(want)):
            lines.append("non-finite values where torch's are finite: this form overflows or divides by zero there")
            return lines
        for name, value in (mistakes or {}).items():
            if np.all(np.abs(got - value) <= rtol * np.maximum(s, np.abs(value))):
                lines.append(f"matches a typical mistake: {name}")
                return lines
        c = _factor(got, want, s, rtol)
    if c is not None:
        lines.append(_factor_words(c, dims or {}))
    elif where is not None:
        bad_in = sorted({where(tuple(i)) for i in np.argwhere(bad)})
        good_in = {where(tuple(i)) for i in np.argwhere(~bad)}
        if len(bad_in) == 1 and good_in - set(bad_in):
            lines.append(f"wrong only in {bad_in[0]}; right everywhere else")
    return lines
