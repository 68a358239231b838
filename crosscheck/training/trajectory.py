"""What a paired training run found, step by step: the losses of both sides, the worst relative error
per quantity, the first divergence, or a blow-up shared by both (training.lockstep makes the steps'
comparisons; Trajectory.add takes them in order).
"""

import math
from dataclasses import dataclass, field

from ..core.tolerances import AMPLIFIED

# The note of a J row that agreed only to its operands' rounding allowance (tolerances.loss_rounding).
ROUNDING_ONLY = "within its operands' rounding only"
# The note of a row that agreed only within AMPLIFIED times torch's shadow's distance (tolerances:
# "Non-convex stretches"): the run amplifies rounding there.
AMPLIFIED_ONLY = "within the run's amplified rounding only"


@dataclass
class Divergence:
    """The first step at which a quantity went past tolerance."""

    step: int
    epoch: int
    quantity: str
    max_abs: float
    max_rel: float
    rtol: float
    detail: str

    def __str__(self):
        return f"step {self.step} (epoch {self.epoch}): {self.detail}"


@dataclass
class Trajectory:
    """Per-step losses of both sides, the worst relative error per quantity, the first divergence."""

    label: str
    tol: object
    steps: int = 0
    ref_J: list = field(default_factory=list)
    torch_J: list = field(default_factory=list)
    worst_rel: dict = field(default_factory=dict)
    max_param_diff: float = 0.0
    rounding_only: int = 0  # steps whose J agreed only to its operands' rounding (near 0), not to rtol |J|
    amplified: int = 0  # steps where some quantity agreed only within the shadow's amplified rounding
    amplified_from: int = None  # the first of them
    widest: float = 0.0  # the largest relative allowance the shadow gave
    first: Divergence = None
    diverged: Divergence = None  # both sides blew up alike: the training diverged, they agree

    @property
    def ok(self):
        return self.first is None and self.diverged is None

    @property
    def outcome(self):
        """ "agree", "disagree" (the implementations differ) or "diverged" (both blew up alike)."""
        if self.first is not None:
            return "disagree"
        return "diverged" if self.diverged is not None else "agree"

    def add(self, epoch, step, comparison):
        if self.first is None and self.diverged is None and comparison.blown:
            self.diverged = Divergence(step, epoch, "J", math.inf, math.inf, math.inf, comparison.blown)
            return
        if not comparison.rows:
            # Nothing to compare: the reference refused the step. A shared blow-up after an earlier
            # disagreement lands here too; the earlier disagreement stands, so `first` keeps it.
            detail = comparison.refused or comparison.blown or f"step {step}: nothing compared"
            self.first = self.first or Divergence(step, epoch, "J", math.inf, math.inf, math.inf, detail)
            return
        self.steps += 1
        self.ref_J.append(comparison.row("J").ref)
        self.torch_J.append(comparison.row("J").torch)
        self.rounding_only += comparison.row("J").note == ROUNDING_ONLY
        amplified = [r for r in comparison.rows if r.note == AMPLIFIED_ONLY]
        if amplified and self.first is None:  # after a divergence an excused row says nothing of the run
            self.amplified += 1
            self.amplified_from = step if self.amplified_from is None else self.amplified_from
            self.widest = max(self.widest, *(r.rtol for r in amplified))
        for r in comparison.rows:
            self.worst_rel[r.name] = max(self.worst_rel.get(r.name, 0.0), r.max_rel)
            if r.name != "J":
                self.max_param_diff = max(self.max_param_diff, r.max_abs)
        if self.first is None and not comparison.ok:
            r = next(r for r in comparison.rows if not r.ok)
            self.first = Divergence(step, epoch, r.name, r.max_abs, r.max_rel, r.rtol, comparison.first_divergence())

    def summary(self):
        if self.diverged is not None:
            return f"{self.label}: {self.diverged.detail}"
        if self.ok:
            worst = max(self.worst_rel.values(), default=0.0)
            near_0 = (
                f"; at {self.rounding_only} steps J, near 0, agreed only to its operands' rounding"
                if self.rounding_only
                else ""
            )
            amplified = (
                f"; from step {self.amplified_from} the run amplifies rounding: at {self.amplified} steps the "
                f"two agreed only within {AMPLIFIED}x the distance from torch of its run nudged by an eps per "
                f"step (relative allowance up to {self.widest:.1e})"
                if self.amplified
                else ""
            )
            return (
                f"{self.label}: {self.steps} steps agree (worst relative error {worst:.2e}; "
                f"bounds grow per step, at most {self.tol} for J{near_0}{amplified})"
            )
        amplifies = (
            f" (the run amplifies rounding from step {self.amplified_from}; this is past {AMPLIFIED}x the distance "
            "from torch of its run nudged by an eps per step, or past 1 %)"
            if self.amplified
            else ""
        )
        return f"{self.label}: first divergence at {self.first}{amplifies}"
