"""Explaining a wrong derivative as a teacher would: a typical mistake, a constant factor, the sign,
the transpose, a wrong shape, non-finite values, or one region such as the kink."""

from fractions import Fraction

import numpy as np

from ..core.tolerances import derivation_rtol

DIM_NAMES = {"n": "n (the number of rows/units)", "m": "m (the number of examples)", "n_prev": "n[l-1]"}


def shape_hint(got, want, target, o):
    hint = f"wrong shape: got {got}, expected {want}"
    if got == want[::-1]:
        return hint + " (the transpose's shape: check the order of the product or a missing .T)"
    if len(want) == 2 and got == (want[0],):
        return hint + " (the column dimension was lost: keep 2-D arrays, e.g. keepdims=True in a sum)"
    if len(want) == 2 and len(got) == 2 and got[0] == want[0] and want[1] == 1:
        return hint + " (not summed over the examples: sum over axis=1)"
    if len(want) == 2 and len(got) == 2 and got[1] == want[1] and want[0] == 1:
        return hint + " (summed over the wrong axis)"
    if got == ():
        return hint + " (a scalar came back: return an array the shape of the input, e.g. np.ones_like(Z))"
    return hint


def _factor_name(factors, dims):
    """Name the per-probe factors: a constant (2, 1/2, -1, ...) or a power of n or m, else None."""
    cs = np.array(factors)
    if np.allclose(cs, cs[0], rtol=1e-6, atol=0):
        frac = Fraction(float(cs[0])).limit_denominator(64)
        exact = abs(float(frac) - cs[0]) <= 1e-6 * abs(cs[0])
        return str(frac) if exact else f"{cs[0]:.6g}"
    for key in ("n", "m", "n_prev"):
        size = np.array([d.get(key, np.nan) for d in dims], dtype=float)
        for power, form in ((1, "{}"), (-1, "1/{}")):
            for k in (1, 2, 0.5, -1, -2, -0.5):
                if np.allclose(cs, k * size**power, rtol=1e-6, atol=0):
                    prefix = "" if k == 1 else "-" if k == -1 else f"{Fraction(k).limit_denominator(4)} * "
                    return prefix + form.format(DIM_NAMES[key])
    return None


def _factor_sentence(name):
    if name == "-1":
        return "the opposite sign: every value is the negative of the right one (check the order of a subtraction)"
    if name.startswith("-"):
        return f"the opposite sign and off by a constant factor: your values are {name} times the right ones"
    return f"off by a constant factor: your values are {name} times the right ones"


def diagnose_output(records, target, o):
    """Sentences for one output, from its records over all probes (most specific first)."""
    out = []
    problems = [r for r in records if r.problem]
    if problems:
        out.append(
            f"{problems[0].problem} (probe '{problems[0].probe.label}'"
            + (f", and {len(problems) - 1} more probes" if len(problems) > 1 else "")
            + ")"
        )
    judged = [r for r in records if r.got is not None]
    wrong = [r for r in judged if any(m.any() for m in r.bad.values())]
    if not wrong:
        return out
    ref = lambda r: r.probe.opinions["reference"][r.o]  # noqa: E731
    nonfinite = [(r, i) for r in wrong for i in zip(*np.nonzero(~np.isfinite(r.got) & np.isfinite(ref(r))))]
    if nonfinite:
        r, i = nonfinite[0]
        out.append(
            f"non-finite values where the true value is finite ({len(nonfinite)} elements, e.g. "
            f"{r.probe.labels[o](i)} gives {r.got[i]}): this form overflows or divides by zero there"
        )
    rtol = derivation_rtol(wrong[0].probe.args[0].dtype.name)
    if all(not np.any(r.got) for r in judged):
        out.append("zero everywhere: the derivative is not zero (did the function return an unfilled array?)")
        return out
    # A teacher's catalogue of typical mistakes, checked before the generic patterns.
    names = {k for r in judged for k in r.probe.mistakes}
    for name in sorted(names):
        hits = []
        for r in judged:
            mk = r.probe.mistakes.get(name, (None,) * 3)[o]
            if mk is not None and mk.shape == r.got.shape:
                with np.errstate(all="ignore"):
                    hits.append(bool(np.all(np.abs(r.got - mk) <= rtol * np.maximum(r.probe.scale[o], np.abs(mk)))))
        if hits and all(hits):
            out.append(f"matches a typical mistake: {name}")
            return out
    # A constant factor (or the sign) on every judged probe.
    factors, dims = [], []
    for r in judged:
        e, s = ref(r), r.probe.scale[o]
        live = np.abs(e) > rtol * s
        if not live.any() or not np.all(np.isfinite(r.got)):
            factors = None
            break
        c = float(np.sum(r.got[live] * e[live]) / np.sum(e[live] * e[live]))
        if c == 0 or not np.all(np.abs(r.got - c * e) <= rtol * s * max(1.0, abs(c))):
            factors = None
            break
        factors.append(c), dims.append(r.probe.dims)
    if factors:
        name = _factor_name(factors, dims)
        out.append(
            _factor_sentence(name)
            if name
            else "off by a factor that changes with the shape: " + ", ".join(f"{c:.4g}" for c in factors)
        )
        return out
    # The transpose, on probes where the shapes allow it.
    square = [
        r for r in judged if r.got.shape == ref(r).shape and r.got.shape[0] == r.got.shape[-1] and r.got.ndim == 2
    ]
    if (
        square
        and all(
            np.all(np.abs(r.got - ref(r).T) <= rtol * np.maximum(r.probe.scale[o], r.probe.scale[o].T)) for r in square
        )
        and any(not np.allclose(ref(r), ref(r).T) for r in square)
    ):
        out.append(
            "the transpose of the right answer (on square shapes): check the order of the product or a missing .T"
        )
        return out
    # One region: the kink, one side of it, saturation, one label value.
    regions = [r for r in judged if r.probe.regions[o] is not None]
    if regions and len(regions) == len(judged):
        bad_in = {str(x) for r in wrong for x in r.probe.regions[o][r.bad["reference"] | r.bad["PyTorch autograd"]]}
        all_in = {str(x) for r in judged for x in np.ravel(r.probe.regions[o])}
        for side in ("z < 0", "z > 0"):  # a wrong branch that also takes the kink
            if bad_in == {side, "z = 0 (the kink)"}:
                bad_in = {side.replace("<", "<=").replace(">", ">=") + " (the kink included)"}
        if len(bad_in) == 1 and len(all_in) > 1:
            (region,) = bad_in
            sentence = f"wrong only where {region}; right everywhere else"
            if region.startswith("z = 0"):
                r = next(r for r in wrong if (r.probe.regions[o] == region).any())
                i = tuple(np.argwhere(r.probe.regions[o] == region)[0])
                sentence += (
                    f": at z = 0 the documents and PyTorch take g'(0) = {ref(r)[i]:g}, you give {r.got[i]:g} "
                    "(decide which side of the kink z = 0 belongs to)"
                )
            out.append(sentence)
            return out
    if not nonfinite:
        out.append(
            "no simple pattern (not a constant factor, the sign, the transpose or one region): compare the worst elements"
        )
    return out
