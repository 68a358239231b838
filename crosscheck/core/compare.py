"""Comparing two traces quantity by quantity, in chain order, and naming the first divergence."""

from dataclasses import dataclass, field

import numpy as np


def chain_order(L):
    """Z1, A1, ..., ZL, AL, J, dAL, dZL, dWL, dbL, dA(L-1), ..., db1, dA0: the order of the computation."""
    names = [f"{q}{l}" for l in range(1, L + 1) for q in ("Z", "A")] + ["J"]
    for l in range(L, 0, -1):
        names += [f"dA{l}", f"dZ{l}", f"dW{l}", f"db{l}"]
    return names + ["dA0"]


@dataclass
class Row:
    """One quantity's agreement."""

    name: str
    max_abs: float
    max_rel: float
    rtol: float
    ok: bool
    index: tuple = ()
    ref: float = float("nan")
    torch: float = float("nan")
    note: str = ""


@dataclass
class Comparison:
    label: str
    rows: list = field(default_factory=list)
    set_aside: object = None  # branches.SetAside: dZ elements judged against both branches of a kink

    @property
    def ok(self):
        return all(r.ok for r in self.rows)

    @property
    def worst_rel(self):
        return max((r.max_rel for r in self.rows), default=0.0)

    def row(self, name):
        return next(r for r in self.rows if r.name == name)

    def first_divergence(self):
        """A sentence naming where the two first went apart, and what the quantity before it did."""
        for i, r in enumerate(self.rows):
            if r.ok:
                continue
            where = f"{self.label}: first divergence at {r.name}"
            if r.note:
                detail = r.note
            else:
                detail = (
                    f"element {r.index}: reference {r.ref:.10g}, torch {r.torch:.10g}; "
                    f"max abs error {r.max_abs:.3g}, relative {r.max_rel:.3g} > rtol {r.rtol:.1e}"
                )
            before = (
                f"; the quantity before it, {self.rows[i - 1].name}, agreed (relative {self.rows[i - 1].max_rel:.1e})"
                if i > 0
                else ""
            )
            aside = f"; {self.set_aside}" if self.set_aside is not None and self.set_aside.count else ""
            return f"{where}: {detail}{before}{aside}"
        return f"{self.label}: every quantity agrees"


def compare_arrays(name, ref, other, tol):
    """Row for one quantity: norm-wise relative error against tol (see tolerances)."""
    ref = np.asarray(ref, dtype=np.float64)
    other = np.asarray(other, dtype=np.float64)
    if ref.shape != other.shape:
        return Row(
            name, np.inf, np.inf, tol.rtol, False, note=f"shape {ref.shape} in the reference, {other.shape} in torch"
        )
    if ref.size == 0:
        return Row(name, 0.0, 0.0, tol.rtol, True)
    with np.errstate(over="ignore", invalid="ignore"):  # inf - inf, 1e308 - -1e308: reported below, not warned
        diff = np.asarray(ref - other)  # one array, made absolute in place (a 0-d one for J)
    np.abs(diff, out=diff)
    index = tuple(int(i) for i in np.unravel_index(np.argmax(diff), diff.shape))
    max_abs = float(diff[index])
    # argmax stops at the first NaN and otherwise finds any inf: a finite largest difference means
    # every difference is finite, without a pass of its own over the arrays.
    if not np.isfinite(max_abs):
        bad = tuple(int(i) for i in np.argwhere(~np.isfinite(diff))[0])
        # Two finite values can still be too far apart for their difference (1e308 and -1e308)
        what = "the difference overflows" if np.isfinite(ref[bad]) and np.isfinite(other[bad]) else "non-finite value"
        return Row(
            name,
            np.inf,
            np.inf,
            tol.rtol,
            False,
            bad,
            float(ref[bad]),
            float(other[bad]),
            note=f"{what} at {bad}: reference {ref[bad]}, torch {other[bad]}",
        )
    scale = max(float(other.max()), -float(other.min()), tol.tiny)  # max |other| without an |other| array
    max_rel = max_abs / scale
    return Row(name, max_abs, max_rel, tol.rtol, max_rel <= tol.rtol, index, float(ref[index]), float(other[index]))


def compare(ref, other, tol, order=None, label=""):
    """Compare two {name: array} traces over `order` (default: every name of ref, in its order)."""
    order = list(ref) if order is None else order
    rows = []
    for name in order:
        if name not in ref or name not in other:
            side = "reference" if name not in ref else "torch"
            rows.append(Row(name, np.inf, np.inf, tol.rtol, False, note=f"missing from the {side} trace"))
            continue
        rows.append(compare_arrays(name, ref[name], other[name], tol))
    return Comparison(label, rows)
