"""What a cross-check reports for a catalogue entry, and the entry's outcome against its status."""

import math
from dataclasses import dataclass

from ..core.tolerances import tolerance_for

# Every check runs in float64, where the reference and torch should agree to a few thousand eps.
TOLERANCE = tolerance_for("float64")


@dataclass(frozen=True)
class Finding:
    """What one cross-check saw for one entry.

    error: the reference (corrected form for an erratum) against torch, norm-wise relative.
    printed_error: for an erratum, the printed form against torch (inf for a shape mismatch).
    how: for an erratum, how the printed form disagrees (shape, sign, factor, value).
    """

    error: float
    printed_error: float = math.nan
    how: str = ""


@dataclass(frozen=True)
class Outcome:
    entry: object  # the catalogue Entry
    error: float
    printed_error: float
    how: str
    checks: tuple

    @property
    def ok(self):
        """verified: the twins agree; erratum: the corrected form agrees and the printed one does not."""
        agrees = self.error <= TOLERANCE.rtol
        if self.entry.status == "verified":
            return agrees
        return agrees and self.printed_error > TOLERANCE.rtol
