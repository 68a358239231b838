"""Two training runs taken in lockstep: the reference loop and torch.optim.SGD over the same batches.

After every step the loss J and every parameter W[l], b[l] are compared (core.compare), each
against its own bound at that step (core.tolerances: trajectory_tolerance for J, parameter_bound
for the parameters, both growing with the step); the first step and quantity past it are named.
When both sides blow up alike (J or the parameters stop being finite on both at the same step)
the training diverged, not the implementations: that is its own outcome, `Trajectory.diverged`
(training.trajectory, the record of a paired run).
The reference's input checks refuse inf and nan, so its side of a blow-up is often a refusal of the
step rather than an inf: that counts as its blow-up only when the step before agreed and torch's
same step blew up too (see training.blowup); a refusal while torch goes on is a disagreement.
"""

import itertools
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np

from reference import training as ref_training
from torch_impl import runtime
from torch_impl import training as torch_training
from torch_impl.twin import Twin

from ..core import convention
from ..core.compare import Comparison, compare_arrays
from ..core.ops import resolved
from ..core.tolerances import (
    SHADOW_NUDGE_EPS,
    Tolerance,
    loss_tolerance,
    parameter_bound,
    trajectory_tolerance,
)
from .allowances import amplified_loss_tolerance, amplified_row, excused, shadow_distances, with_operands
from .blowup import blown_in_both
from .diagnosis import torch_departures
from .trajectory import ROUNDING_ONLY, Trajectory

L2_AS = ("loss", "weight_decay")
SHADOW_SEED = 0  # the shadow's nudges (tolerances: "Non-convex stretches") are drawn from this seed


class Runs(NamedTuple):
    """paired_runs' step generators: the reference's, torch's, and torch's shadow (None unless asked)."""

    ref: object
    torch: object
    shadow: object = None


def one_torch_thread():
    """torch on one intra-op thread for the run, then restored.

    The matrices here are tiny: a second OpenMP worker gains nothing, and on a busy machine its
    spin-waiting made each step about ten times slower (measured: digits default run 37 s vs 3.8 s).
    """
    return runtime.threads(1)


def step_order(L):
    """J, W1, b1, ..., WL, bL: what is compared after each step, in this order."""
    return ["J"] + [f"{p}{l}" for l in range(1, L + 1) for p in "Wb"]


def initial_parameters(sizes, hidden, seed, dtype="float64"):
    """W[l] ~ N(0, gain^2 / n[l-1]) (gain sqrt 2 after relu, 1 otherwise), b[l] = 0, from the seed alone."""
    rng = np.random.default_rng(seed)
    params = {}
    for l in range(1, len(sizes)):
        gain = np.sqrt(2.0) if (l < len(sizes) - 1 and hidden in ("relu", "leaky_relu")) else 1.0
        params[f"W{l}"] = (rng.normal(size=(sizes[l], sizes[l - 1])) * gain / np.sqrt(sizes[l - 1])).astype(dtype)
        params[f"b{l}"] = np.zeros((sizes[l], 1), dtype=dtype)
    return params


@dataclass
class StepComparison(Comparison):
    """One step's comparison; `blown` names a blow-up shared by both sides, `refused` the reference's
    refusal of a step torch took ("" when none). Either makes the step not ok, rows or none."""

    blown: str = ""
    refused: str = ""
    departure: str = ""  # where torch departs from the documents by design on this step (diagnosis)

    @property
    def ok(self):
        return not (self.blown or self.refused) and super().ok

    def first_divergence(self):
        said = super().first_divergence()
        return f"{said}; {self.departure}" if self.departure and not self.ok else said


def _paired(ref_steps, torch_steps):
    """zip(strict) of the two runs, except that where the reference refuses to go on (its input
    checks reject inf and nan) after torch took the same step, the pair is (its ValueError, torch's)
    and the pairing ends there."""
    ref_steps, torch_steps = iter(ref_steps), iter(torch_steps)
    for torch_item in torch_steps:
        try:
            ref_item = next(ref_steps)
        except StopIteration:
            raise ValueError("torch_steps: expected as many steps as the reference, got more") from None
        except ValueError as refusal:
            yield refusal, torch_item
            return
        yield ref_item, torch_item
    if next(ref_steps, None) is not None:
        raise ValueError("torch_steps: expected as many steps as the reference, got fewer")


def _refused_step(label, refusal, torch_item, agreed, loss_tol):
    """The comparison for a step the reference refused: a shared blow-up when the step before agreed
    and torch's step blew up too, otherwise the reference parting from torch (a disagreement)."""
    _, t_step, t_J, twin = torch_item
    other = {"J": np.array(t_J), **twin.parameters_as_numpy()}
    blown = blown_in_both(t_step, None, other, loss_tol) if agreed else ""
    refused = "" if blown else f"the reference cannot continue ({refusal}); torch's loss at that step: {t_J:.6g}"
    return StepComparison(f"{label} step {t_step}", [], blown=blown, refused=refused)


def lockstep(ref_steps, torch_steps, tol, L, label="", start=None, shadow_steps=None):
    """Yield (epoch, step, comparison, ref_params, twin) after each step of two runs taken together.

    ref_steps yields (epoch, step, J, params, the step's allowances.Operands, which give J's allowances
    and the diagnosis of a failure) as paired_runs gives them; torch_steps (epoch, step, J, twin). J at step k is held to trajectory_tolerance(dtype, k + 1)
    relative to torch's |J|, plus the rounding of its operands (tolerances.loss_tolerance, asked for
    only where the first fails); each parameter to its own
    parameter_bound, grown by the reference's measured update at each step from `start` (the
    initial parameters; without them step 0's update is measured against zero). A step the
    reference refuses is the last: its comparison has no rows and ref_params is None, and it says
    whether both sides blew up there (`blown`) or the reference parted from torch (`refused`).
    shadow_steps, torch's run again with a rounding's nudge per step (paired_runs(shadow=True)),
    measures how much the run amplifies rounding: a quantity past its bound agrees when within
    AMPLIFIED times the shadow's distance from torch (tolerances: "Non-convex stretches").
    """
    order = step_order(L)
    previous = {name: np.array(v, dtype=np.float64) for name, v in (start or {}).items()}
    bounds = dict.fromkeys(order[1:], 0.0)
    agreed = True  # both sides start from the same parameters
    distances = dict.fromkeys(order[1:], 0.0)
    shadow_steps = None if shadow_steps is None else iter(shadow_steps)
    for i, (ref_item, torch_item) in enumerate(_paired(ref_steps, torch_steps)):
        # J's bound at this step; it also says how near overflow a loss is (training.blowup).
        loss_tol = trajectory_tolerance(tol.dtype, i + 1)
        if isinstance(ref_item, ValueError):
            t_epoch, t_step, _, twin = torch_item
            yield t_epoch, t_step, _refused_step(label, ref_item, torch_item, agreed, loss_tol), None, twin
            return
        (epoch, step, J, params, operands), (t_epoch, t_step, t_J, twin) = ref_item, torch_item
        if (epoch, step) != (t_epoch, t_step):
            raise ValueError(
                f"torch_steps: expected step {step} of epoch {epoch}, got step {t_step} of epoch {t_epoch}"
            )
        ref = {"J": np.array(J), **params}
        other = {"J": np.array(t_J), **twin.parameters_as_numpy()}
        shadow = shadow_distances(next(shadow_steps, None), step, other, tol) if shadow_steps is not None else {}
        J_row = compare_arrays("J", ref["J"], other["J"], loss_tol)
        if not J_row.ok:  # near 0, J also errs by its operands' rounding, absolute (tolerances): asked for here
            rounding = operands()
            J_row = compare_arrays("J", ref["J"], other["J"], loss_tolerance(loss_tol, t_J, rounding))
            J_row.note = ROUNDING_ONLY if J_row.ok else J_row.note  # its max_rel is against the allowance then
            if not J_row.ok and shadow:
                J_tol = amplified_loss_tolerance(loss_tol, t_J, rounding, shadow["J"], operands, distances)
                J_row = amplified_row(J_row, ref["J"], other["J"], J_tol)
        rows = [J_row]
        # A blow-up is shared only from a step that agreed: after a disagreement it may be its consequence.
        blown = blown_in_both(step, ref, other, loss_tol) if agreed else ""
        for name in order[1:]:
            new = np.asarray(ref[name], dtype=np.float64)
            old = previous.get(name, np.zeros_like(new))
            scale = max(float(np.max(np.abs(new), initial=0.0)), tol.tiny)
            update = float(np.max(np.abs(new - old), initial=0.0)) / scale
            if not blown and np.isfinite(update):
                bounds[name] = parameter_bound(tol.dtype, bounds[name], update)
            step_tol = Tolerance(tol.dtype, bounds[name], tol.tiny, i + 1)
            row = compare_arrays(name, ref[name], other[name], step_tol)
            if not row.ok and shadow:
                amplified = replace(step_tol, rtol=max(bounds[name], excused(shadow[name])))
                row = amplified_row(row, ref[name], other[name], amplified)
            rows.append(row)
            previous[name] = new
        if all(r.ok for r in rows):  # a failed step's distances would excuse the bug in J
            distances = {r.name: r.max_abs for r in rows[1:]}  # where the next step starts from, side to side
        # blown by name: Comparison's third field is set_aside (passed by position, a blow-up landed there).
        comparison = StepComparison(f"{label} step {step}", rows, blown=blown)
        if agreed and not comparison.ok:  # the first failure only: each later one would cost a forward pass
            comparison.departure = torch_departures(operands)
        agreed = comparison.ok
        yield epoch, step, comparison, params, twin


def paired_runs(
    X,
    Y,
    params,
    activations,
    loss,
    batches,
    learning_rate,
    reduction="mean",
    l1=0.0,
    l2=0.0,
    l2_as="loss",
    dtype="float64",
    torch_learning_rate=None,
    weight_decay=None,
    device=None,
    shadow=False,
):
    """The step generators (Runs: reference, torch, and with shadow=True torch's shadow, its run
    again nudged by a rounding per step) from the same params over the same batches.

    L2 goes into torch as a loss term (l2_as="loss") or as SGD's weight_decay = 2 l2
    (convention.weight_decay_for_l2); weight_decay= overrides that mapping (to test a wrong one),
    torch_learning_rate= gives torch its own rate or schedule (to plant a divergence); the twin
    runs on device= (default the CPU).
    """
    if l2_as not in L2_AS:
        raise ValueError(f"l2_as: expected one of {', '.join(L2_AS)}, got {l2_as!r}")
    sizes = [X.shape[0]] + [params[f"W{l}"].shape[0] for l in range(1, len(activations) + 1)]
    twin = Twin(sizes, resolved(activations), dtype, device).load(params)
    if l2_as == "weight_decay":
        wd = convention.weight_decay_for_l2(l2) if weight_decay is None else weight_decay
        torch_l2, reported = 0.0, l2
    else:
        wd, torch_l2, reported = (0.0 if weight_decay is None else weight_decay), l2, 0.0
    # Both sides walk the same batches; tee keeps a lazy `batches` lazy (lockstep takes one step of
    # each in turn, so tee buffers at most an epoch) and works on a list alike.
    # (A fourth copy only for a shadow: one nobody walks would buffer every batch.)
    ref_batches, torch_batches, rounding_batches, *shadow_batches = itertools.tee(batches, 4 if shadow else 3)
    ref_run = ref_training.train(X, Y, params, activations, loss, ref_batches, learning_rate, reduction, l1, l2)
    ref_run = with_operands(ref_run, rounding_batches, X, Y, params, activations, loss, reduction, l1, l2, dtype)
    rows = convention.columns_to_rows(X), convention.columns_to_rows(Y)
    rate = learning_rate if torch_learning_rate is None else torch_learning_rate

    def torch_run(twin, batches):
        return torch_training.train(twin, *rows, loss, batches, rate, reduction, l1, torch_l2, wd, reported)

    shadow_run = None
    if shadow:
        nudge = SHADOW_NUDGE_EPS * float(np.finfo(dtype).eps)
        shadow_twin = Twin(sizes, resolved(activations), dtype, device).load(params)
        shadow_run = torch_training.nudged(torch_run(shadow_twin, shadow_batches[0]), nudge, SHADOW_SEED)
    return Runs(ref_run, torch_run(twin, torch_batches), shadow_run)


def run_pair(X, Y, params, activations, loss, epochs_of_batches, learning_rate, label="", dtype="float64", **options):
    """Train both sides (see paired_runs for the options) and return their Trajectory.

    The epochs are drawn as training reaches them (memory O(one epoch)); each step has its own
    bound, so the trajectory's `tol` is set at the end to the bound of the last step compared."""
    tol = trajectory_tolerance(dtype, 1)  # lockstep reads its dtype and floor; the bounds grow per step
    runs = paired_runs(X, Y, params, activations, loss, epochs_of_batches, learning_rate, dtype=dtype, **options)
    trajectory = Trajectory(label, tol)
    with one_torch_thread():
        steps = lockstep(runs.ref, runs.torch, tol, len(activations), label, params, runs.shadow)
        for epoch, step, comparison, _, _ in steps:
            trajectory.add(epoch, step, comparison)
            if trajectory.diverged is not None:
                break
    trajectory.tol = trajectory_tolerance(dtype, max(trajectory.steps, 1))
    return trajectory
