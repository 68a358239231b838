"""The verdict rule for one printed number: ok, rounding drift or erratum.

A printed value is compared twice (crosscheck.tolerances.printed: one unit of its last digit):
  local       recomputed from the PRINTED values of the step before;
  end to end  recomputed from the example's inputs, by the reference AND by the torch twin.

  end to end agrees                 -> ok (the printed number is right). When the local check
                                       fails all the same, the author carried unrounded values
                                       (or the correct value of a misprinted step) forward; a
                                       note says which, but a right number is never an erratum.
  only the local check agrees       -> rounding drift: right arithmetic on rounded inputs.
  neither agrees                    -> erratum, with the correct value.

Counts, labels and one-hot vectors are exact: they agree only when equal.
"""

import math
import re
from dataclasses import dataclass

import numpy as np

from ..core.tolerances import printed as printed_tolerance

OK, DRIFT, ERRATUM = "ok", "rounding drift", "erratum"
NOT_PRINTED = "not printed"


@dataclass(frozen=True)
class Printed:
    """A number (or exact vector) as the document printed it, with the precision it was printed to."""

    text: str
    value: object  # float, or a tuple of ints for an exact vector, or an int
    decimals: int | None = None  # None: exact
    percent: bool = False

    @property
    def exact(self):
        return self.decimals is None

    @property
    def tolerance(self):
        """Half-width of agreement in the value's own units (a percentage's unit is 1/100)."""
        if self.exact:
            return 0.0
        return printed_tolerance(self.decimals) / (100 if self.percent else 1)

    def format(self, value):
        """`value` written the way this number was printed (same decimals, same % sign)."""
        if self.exact:
            return _exact_text(value)
        if self.percent:
            return f"{100 * value:.{self.decimals}f}%"
        return f"{value:.{self.decimals}f}"


def parse(text, decimals=None, exact=False):
    """A Printed from the document's text; decimals counted from the text unless stated."""
    text = str(text).strip()
    if exact:
        if text.startswith("["):
            items = [s for s in re.split(r"[\s,]+", text.strip("[]")) if s]
            return Printed(text, tuple(int(s) for s in items))
        return Printed(text, int(text))
    percent = text.endswith("%")
    number = text.rstrip("%")
    if not re.fullmatch(r"-?\d+(\.\d+)?", number):
        raise ValueError(f"printed value: expected a decimal number such as 0.72 or 50%, got {text!r}")
    found = len(number.split(".")[1]) if "." in number else 0
    value = float(number) / (100 if percent else 1)
    return Printed(text, value, found if decimals is None else int(decimals), percent)


def agrees(printed, value):
    """True when `value` is within one unit of the printed number's last digit (or equal, if exact)."""
    if printed.exact:
        return _as_exact(value) == printed.value
    # A hair of slack for binary floating point: 0.15 printed, 3/20 computed, 0.01 apart exactly.
    return abs(float(value) - printed.value) <= printed.tolerance * (1 + 1e-9)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    correct: str | None = None
    note: str = ""


def judge(printed, local, reference, torch, misprinted_inputs=(), from_inputs=False):
    """The verdict for one printed value.

    `misprinted_inputs` names the printed values the local step read that were themselves judged
    errata (they explain a failed local check); `from_inputs` says the step reads only the
    example's printed inputs, so that its local and end-to-end checks are the same computation.
    """
    local_ok = agrees(printed, local)
    end_ok = agrees(printed, reference) and agrees(printed, torch)
    if end_ok:
        notes = []
        if not local_ok:
            if misprinted_inputs:
                why = f"computed from the correct value of {', '.join(misprinted_inputs)}, not its misprint"
            else:
                why = "computed from unrounded values"
            notes.append(f"{why} (the printed step before gives {_show(local)})")
        if not printed.exact and not math.isclose(
            round(float(reference), _digits(printed)), printed.value, abs_tol=1e-12
        ):
            notes.append(f"within one unit, though {_show(reference)} rounds to {printed.format(reference)}")
        return Verdict(OK, None, "; ".join(notes))
    correct = printed.format(reference)
    if local_ok:
        return Verdict(DRIFT, correct, f"follows from the rounded printed values; exact value {_show(reference)}")
    if from_inputs:
        return Verdict(ERRATUM, correct, f"the printed inputs give {_show(reference)}")
    return Verdict(
        ERRATUM,
        correct,
        f"matches neither the printed step before ({_show(local)}) nor the exact value ({_show(reference)})",
    )


def _digits(printed):
    return printed.decimals + (2 if printed.percent else 0)


def _as_exact(value):
    array = np.asarray(value)
    if array.ndim == 0:
        return int(round(float(array)))
    return tuple(int(round(float(v))) for v in array.ravel())


def _exact_text(value):
    value = _as_exact(value)
    if isinstance(value, tuple):
        return "[" + ",".join(str(v) for v in value) + "]"
    return str(value)


def _show(value):
    array = np.asarray(value)
    if array.ndim == 0 and np.issubdtype(array.dtype, np.floating):
        return f"{float(array):.6g}"
    if array.ndim == 0:
        return str(array.item())
    return _exact_text(array)
