"""What a cross-check reports for a catalogue entry, and the entry's outcome against its status."""

import math
from dataclasses import dataclass

from ..core.tolerances import tolerance_for

# Every check runs in float64, where the reference and torch should agree to a few thousand eps.
TOLERANCE = tolerance_for("float64")


@dataclass(frozen=True)
class Finding:
    """What one cross-check saw for one entry.

    error: the reference (corrected form for an erratum) against torch, norm-wise relative; for a count,
        0 when the reference's and torch's counts equal the printed (or corrected) one; for a claim, the
        share of cases where it fails; for a citation, 0 when every witness line prints its text.
    printed_error: for an erratum, the printed form against torch (inf for a shape mismatch); for a
        count, its distance from the computed one; for a claim, the share of cases where the printed
        statement fails; for a citation, 1 when the quoted slip is printed on its line.
    how: for an erratum, how the printed form disagrees, led by the kind (shape, sign, value, missing term,
        index, count, wording, code, convention); for any entry, what stopped a check ("seeds: ...").
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
