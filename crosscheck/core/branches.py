"""Branch ambiguity at kinks: telling a rounding flip at ReLU's 0 from a wrong derivative.

At realistic sizes some pre-activation Z = W A_prev + b lands within rounding of a kink (ReLU and
leaky ReLU at 0, ELU at 0 for alpha != 1); the reference and torch, summing in different orders,
may then put it on different sides and take different branches of g'. Such an element is
BRANCH-AMBIGUOUS when |Z_ref - kink| <= kink_band(dtype) x s, with s = |W| |A_prev| + |b| the term
scale of Z (tolerances.py says why), AND the two sides' Z differ. Where both sides computed the
same Z bit for bit (the exact-zero kink cases) they took the same input, so g'(kink) must agree:
the documented convention g'(0) is still verified there and a wrong g'(0) is still caught.

For an ambiguous element torch's dZ is compared with dA x g' on either branch (g' evaluated at Z
pushed just below and just above the kink); the reference's element is replaced by the branch
closer to torch's value. If torch's value matches neither branch, the replaced element still
differs and the ordinary norm-wise comparison reports it. Because dW, db and dA[l-1] are linear
in dZ, the replacement's difference delta is carried down exactly: dW += (1/m) delta A_prev^T,
db += (1/m) sum delta, dA[l-1] += W^T delta, and at the layer below dZ += delta_dA x g'(Z) before
that layer's own ambiguous elements are resolved. The reference's own arithmetic is kept
everywhere else, so only the consequences of the flip are accepted, never another error.
"""

from dataclasses import dataclass, field

import numpy as np

from reference import activations as act
from reference import network

from .tolerances import kink_band


@dataclass
class SetAside:
    """How many elements of each dZ were branch-ambiguous, and how many of those torch flipped."""

    ambiguous: dict = field(default_factory=dict)  # "dZ1": count
    flipped: dict = field(default_factory=dict)
    elements: dict = field(default_factory=dict)  # "dZ1": size of dZ1

    @property
    def count(self):
        return sum(self.ambiguous.values())

    @property
    def total(self):
        return sum(self.elements.values())

    def __str__(self):
        return f"{self.count:,} of {self.total:,} elements set aside as branch-ambiguous"


def one_sided(record, params, z, kink):
    """(g' on the branch below the kink, g' on the branch above), each evaluated at Z or, where Z lies
    on the other side or at the kink, at the nearest float beyond it."""
    at = z.dtype.type(kink)
    below = np.where(z < at, z, np.nextafter(at, z.dtype.type(-np.inf)))
    above = np.where(z > at, z, np.nextafter(at, z.dtype.type(np.inf)))
    return record.g_prime(below, **params), record.g_prime(above, **params)


def ambiguous_mask(Z_ref, Z_torch, term_scale, kinks, dtype):
    """Elements within the rounding band of a kink whose Z differs between the two sides."""
    band = kink_band(dtype) * term_scale
    near = np.zeros(Z_ref.shape, dtype=bool)
    for kink in kinks:
        near |= np.abs(Z_ref - kink) <= band
    return near & (Z_ref != Z_torch)


def _resolve_layer(record, params, Z_ref, Z_torch, scale, dA, dZ, dZ_torch, dtype):
    """(accepted dZ, ambiguous count, flipped count) for one layer."""
    mask = ambiguous_mask(Z_ref, Z_torch, scale, record.kinks, dtype)
    accepted = dZ.copy()
    ambiguous = flipped = 0
    for kink in record.kinks:
        below, above = one_sided(record, params, Z_ref, kink)
        here = mask & (np.abs(Z_ref - kink) <= kink_band(dtype) * scale) & (below != above)
        if not here.any():
            continue
        low, high = dA[here] * below[here], dA[here] * above[here]
        take_high = np.abs(dZ_torch[here] - high) < np.abs(dZ_torch[here] - low)
        chosen = np.where(take_high, high, low)
        flipped += int(np.count_nonzero(chosen != accepted[here]))
        accepted[here] = chosen
        ambiguous += int(np.count_nonzero(here))
        mask &= ~here  # an element near two kinks is resolved at the first
    return accepted, ambiguous, flipped


def _comparable(ref, other, l):
    """Both sides hold Z[l] and dZ[l] of one shape (else the comparison itself reports what is wrong)."""
    names = (f"Z{l}", f"dZ{l}")
    if not all(n in other for n in names):
        return False
    return all(np.shape(other[n]) == np.shape(ref[n]) for n in names)


def resolve_branches(ref, other, X, params, activations, reduction, dtype):
    """(the reference trace with branch flips accepted, SetAside). ref and other are document-layout
    traces (traces.reference_trace, traces.torch_trace); activations as (name, parameters) per layer."""
    ref = dict(ref)
    L = len(activations)
    set_aside = SetAside()
    delta_dA = None
    for l in range(L, 0, -1):
        record, p = act.resolve(activations[l - 1])
        A_prev = X if l == 1 else ref[f"A{l - 1}"]
        W = params[f"W{l}"]
        before = ref[f"dZ{l}"]
        if delta_dA is not None:
            # a flip above changed dA[l]; dZ[l] = dA[l] * g'(Z[l]) is linear in dA[l]
            ref[f"dA{l}"] = ref[f"dA{l}"] + delta_dA
            ref[f"dZ{l}"] = before + act.backward(activations[l - 1], delta_dA, ref[f"Z{l}"], ref[f"A{l}"])
        if record.elementwise and record.kinks and _comparable(ref, other, l):
            scale = np.abs(W) @ np.abs(A_prev) + np.abs(params[f"b{l}"])
            Z_torch = np.asarray(other[f"Z{l}"], dtype=ref[f"Z{l}"].dtype)
            dZ_torch = np.asarray(other[f"dZ{l}"], dtype=ref[f"Z{l}"].dtype)
            ref[f"dZ{l}"], count, flips = _resolve_layer(
                record, p, ref[f"Z{l}"], Z_torch, scale, ref[f"dA{l}"], ref[f"dZ{l}"], dZ_torch, dtype
            )
            set_aside.ambiguous[f"dZ{l}"], set_aside.flipped[f"dZ{l}"] = count, flips
            set_aside.elements[f"dZ{l}"] = ref[f"dZ{l}"].size
        delta = ref[f"dZ{l}"] - before
        if not np.any(delta):
            delta_dA = None
            continue
        dA_prev, dW, db = network.linear_backward(delta, A_prev, W, reduction)
        ref[f"dW{l}"], ref[f"db{l}"] = ref[f"dW{l}"] + dW, ref[f"db{l}"] + db
        if l == 1:
            ref["dA0"] = ref["dA0"] + dA_prev
        delta_dA = dA_prev
    return ref, set_aside
