"""`crosscheck train`'s run: a data set trained by both implementations from one initialization,
compared after every step (training.lockstep), with per-epoch metrics of both sides."""

import math
import time
from dataclasses import dataclass

import numpy as np

from reference import metrics, network
from reference import training as ref_training
from torch_impl import training as torch_training

from ..core import convention
from ..core.progress import bar as progress_bar
from ..core.tolerances import trajectory_tolerance
from . import datasets
from .blowup import diverged, past_overflow
from .lockstep import L2_AS, StepComparison, initial_parameters, lockstep, one_torch_thread, paired_runs
from .trajectory import Trajectory

__all__ = ["DATASET_DEFAULTS", "DEFAULTS", "L2_AS", "TrainingResult", "initial_parameters", "train_side_by_side"]


@dataclass
class TrainingResult:
    """What `crosscheck train` shows: per-epoch history of both sides, test metrics, the trajectory."""

    dataset: str
    config: dict
    history: list  # one dict per epoch
    trajectory: Trajectory
    test_accuracy: dict  # {"reference": float, "torch": float}, or None for regression
    per_class_accuracy: dict
    test_loss: dict
    seconds: float

    @property
    def ok(self):
        return self.trajectory.ok

    @property
    def outcome(self):
        return self.trajectory.outcome


DEFAULTS = dict(
    regime="minibatch",
    batch_size=32,
    learning_rate=0.2,
    epochs=25,
    hidden=(64,),
    activation="relu",
    seed=0,
    dtype="float64",
    l1=0.0,
    l2=0.0,
    l2_as="loss",
    reduction="mean",
    device="cpu",  # where the torch twin trains (torch_impl.runtime.DEVICES)
)

# Per data set, what differs from DEFAULTS so that each trains sensibly as shipped. diabetes is a
# regression whose mse gradients are far larger than a classifier's: at 0.2 both sides blow up to
# inf by step 7 (measured), at 0.01 the test mse reaches 0.73 (standardised target). breast_cancer
# at 0.2 saturates a float32 sigmoid to exactly 1 by step 150 (log(0) in the documents' bce); at
# 0.05 it reaches 96.5% test accuracy in both dtypes without saturating.
DATASET_DEFAULTS = {
    "diabetes": dict(learning_rate=0.01),
    "breast_cancer": dict(learning_rate=0.05),
}


def _evaluate(data, params, activations, twin, X, Y, y, reduction, l1, l2):
    """Loss and accuracy of both sides on one split."""
    AL, _ = network.forward(X, params, activations)
    ref_J = network.cost(AL, Y, data.loss, reduction, params, l1, l2)
    torch_J, A = torch_training.evaluate(
        twin, convention.columns_to_rows(X), convention.columns_to_rows(Y), data.loss, reduction, l1, l2
    )
    out = {"ref_loss": ref_J, "torch_loss": torch_J}
    if data.classification:
        predict = metrics.predict_binary if data.output == "sigmoid" else metrics.predict_argmax
        out["ref_pred"] = np.ravel(predict(AL))
        out["torch_pred"] = torch_training.predict(A, data.output)
        out["ref_acc"] = metrics.accuracy(y, out["ref_pred"])
        out["torch_acc"] = torch_training.accuracy(y, out["torch_pred"])
    return out


def train_side_by_side(dataset="digits", progress=False, **options):
    """Train the reference and the torch twin on a data set from one initialization; compare every step."""
    unknown = set(options) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"options: unknown {sorted(unknown)}, expected some of {sorted(DEFAULTS)}")
    cfg = {**DEFAULTS, **DATASET_DEFAULTS.get(dataset, {}), **options}
    if cfg["regime"] not in ref_training.REGIMES:
        raise ValueError(f"regime: expected one of {', '.join(ref_training.REGIMES)}, got {cfg['regime']!r}")
    hidden = tuple(cfg["hidden"])
    if any(not isinstance(n, (int, np.integer)) or n < 1 for n in hidden):
        raise ValueError(f"hidden: expected positive layer sizes, got {hidden!r}")
    start = time.perf_counter()
    data = datasets.load(dataset, cfg["seed"], cfg["dtype"])
    cfg["batch_size"] = ref_training.step_size(data.m, cfg["regime"], cfg["batch_size"])  # recorded as taken
    sizes = [data.n_in, *hidden, data.n_out]
    activations = [cfg["activation"]] * len(hidden) + [data.output]
    params = initial_parameters(sizes, cfg["activation"], cfg["seed"], cfg["dtype"])
    per_epoch = ref_training.batches_per_epoch(data.m, cfg["regime"], cfg["batch_size"])
    steps = per_epoch * cfg["epochs"]
    trajectory, history, test = _paired_run(dataset, cfg, data, params, activations, per_epoch, progress)
    if trajectory.first is not None and math.isfinite(trajectory.first.max_rel):
        # Parted by a measured distance past its bound: the bounds assume a run that does not amplify
        # rounding. Taken again with torch's shadow, which measures that (tolerances: "Non-convex
        # stretches"); only here, as a run that passes without it passes with it.
        trajectory, history, test = _paired_run(
            dataset, cfg, data, params, activations, per_epoch, progress, shadow=True
        )
    last = history[-1] if history else None
    test_accuracy = per_class = None
    if last and data.classification:
        test_accuracy = {"reference": last["ref_test_acc"], "torch": last["torch_test_acc"]}
        per_class = {
            "reference": metrics.per_class_accuracy(data.y_test, test["ref_pred"]),
            "torch": metrics.per_class_accuracy(data.y_test, test["torch_pred"]),
        }
    test_loss = {"reference": last["ref_test_loss"], "torch": last["torch_test_loss"]} if last else None
    return TrainingResult(
        dataset,
        {**cfg, "hidden": hidden, "steps": steps},
        history,
        trajectory,
        test_accuracy,
        per_class,
        test_loss,
        time.perf_counter() - start,
    )


def _paired_run(dataset, cfg, data, params, activations, per_epoch, progress, shadow=False):
    """(trajectory, history, latest test evaluation) of the two sides' run, with torch's shadow if asked."""
    # Drawn lazily, one epoch at a time, and counted without drawing: memory stays O(one epoch of
    # indices) however many epochs are asked for (a list of every epoch grew without bound).
    batches = ref_training.batch_order(data.m, cfg["regime"], cfg["epochs"], cfg["seed"], cfg["batch_size"])
    steps = per_epoch * cfg["epochs"]
    tol = trajectory_tolerance(cfg["dtype"], max(steps, 1))
    l1, l2, reduction = cfg["l1"], cfg["l2"], cfg["reduction"]
    options = (cfg["learning_rate"], reduction, l1, l2, cfg["l2_as"], cfg["dtype"])
    runs = paired_runs(
        data.X_train,
        data.Y_train,
        params,
        activations,
        data.loss,
        batches,
        *options,
        device=cfg["device"],
        shadow=shadow,
    )
    trajectory = Trajectory(dataset, tol)
    history, test = [], {}
    desc = f"train {dataset}" + (" again, with torch's shadow" if shadow else "")
    with progress_bar(total=steps, desc=desc, unit="steps", enabled=progress) as bar, one_torch_thread():
        paired = lockstep(runs.ref, runs.torch, tol, len(activations), dataset, params, runs.shadow)
        _run_epochs(paired, trajectory, history, per_epoch, bar, data, activations, reduction, l1, l2, test)
    return trajectory, history, test


def _refused_evaluation(trajectory, split, step, refusal, twin, X, Y, options):
    """The comparison that ends a run whose epoch-end evaluation the reference refused (its checks
    reject inf and nan, and the documents' bce log(0)): a shared blow-up when torch's loss (options:
    loss, reduction, l1, l2) on the same split is past overflow too, as after the steps
    (training.blowup), otherwise the reference parting from torch there."""
    J, _ = torch_training.evaluate(twin, convention.columns_to_rows(X), convention.columns_to_rows(Y), *options)
    if past_overflow(J, trajectory_tolerance(trajectory.tol.dtype, step + 1)):
        blown = diverged(step, f"loss {J} on the {split} split")
        return StepComparison(f"{trajectory.label} step {step}", [], blown=blown)
    refused = (
        f"the reference cannot evaluate the {split} split after step {step} ({refusal}); torch's loss there: {J:.6g}"
    )
    return StepComparison(f"{trajectory.label} step {step}", [], refused=refused)


def _run_epochs(steps, trajectory, history, per_epoch, bar, data, activations, reduction, l1, l2, latest):
    """Walk the paired steps, recording each comparison and, at each epoch's end, both sides' metrics
    (the latest test-split evaluation is kept in `latest`)."""
    for epoch, step, comparison, ref_params, twin in steps:
        trajectory.add(epoch, step, comparison)
        if trajectory.diverged is not None:
            return  # both blew up alike: nothing further to compare or evaluate
        bar.update(1)
        if (step + 1) % per_epoch:
            continue  # not the last step of an epoch
        splits = {
            "training": (data.X_train, data.Y_train, data.y_train),
            "test": (data.X_test, data.Y_test, data.y_test),
        }
        evaluated = {}
        for split, (X, Y, y) in splits.items():
            try:
                evaluated[split] = _evaluate(data, ref_params, activations, twin, X, Y, y, reduction, l1, l2)
            except ValueError as refusal:
                options = (data.loss, reduction, l1, l2)
                trajectory.add(epoch, step, _refused_evaluation(trajectory, split, step, refusal, twin, X, Y, options))
                return  # the run ends here, as lockstep ends at a step the reference refuses
        train, test = evaluated["training"], evaluated["test"]
        row = {
            "epoch": epoch + 1,
            "ref_loss": train["ref_loss"],
            "torch_loss": train["torch_loss"],
            "ref_test_loss": test["ref_loss"],
            "torch_test_loss": test["torch_loss"],
        }
        if data.classification:
            row.update(
                ref_train_acc=train["ref_acc"],
                torch_train_acc=train["torch_acc"],
                ref_test_acc=test["ref_acc"],
                torch_test_acc=test["torch_acc"],
            )
        history.append(row)
        latest.update(test)
