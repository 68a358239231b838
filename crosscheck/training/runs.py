"""Whole training runs, step by step: the reference loop and torch.optim.SGD on the same batches.

After every step the loss J and every parameter W[l], b[l] are compared (crosscheck.compare, with
tolerances.trajectory_tolerance); the first step and quantity past tolerance are named.
"""

import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np
from tqdm import tqdm

from reference import metrics, network
from reference import training as ref_training
from torch_impl import runtime
from torch_impl import training as torch_training
from torch_impl.twin import Twin

from ..core import convention
from ..core.compare import compare
from ..core.ops import resolved
from ..core.tolerances import trajectory_tolerance
from . import datasets

L2_AS = ("loss", "weight_decay")


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
    first: Divergence = None

    @property
    def ok(self):
        return self.first is None

    def add(self, epoch, step, comparison):
        self.steps += 1
        self.ref_J.append(comparison.row("J").ref)
        self.torch_J.append(comparison.row("J").torch)
        for r in comparison.rows:
            self.worst_rel[r.name] = max(self.worst_rel.get(r.name, 0.0), r.max_rel)
            if r.name != "J":
                self.max_param_diff = max(self.max_param_diff, r.max_abs)
        if self.first is None and not comparison.ok:
            r = next(r for r in comparison.rows if not r.ok)
            self.first = Divergence(step, epoch, r.name, r.max_abs, r.max_rel, r.rtol, comparison.first_divergence())

    def summary(self):
        if self.ok:
            worst = max(self.worst_rel.values(), default=0.0)
            return f"{self.label}: {self.steps} steps agree (worst relative error {worst:.2e}, {self.tol})"
        return f"{self.label}: first divergence at {self.first}"


def lockstep(ref_steps, torch_steps, tol, L, label=""):
    """Yield (epoch, step, comparison, ref_params, twin) after each step of two runs taken together."""
    order = step_order(L)
    for (epoch, step, J, params), (t_epoch, t_step, t_J, twin) in zip(ref_steps, torch_steps, strict=True):
        if (epoch, step) != (t_epoch, t_step):
            raise ValueError(f"torch_steps: expected step {step} of epoch {epoch}, got step {t_step} of epoch {t_epoch}")
        ref = {"J": np.array(J), **params}
        other = {"J": np.array(t_J), **twin.parameters_as_numpy()}
        yield epoch, step, compare(ref, other, tol, order, label=f"{label} step {step}"), params, twin


def paired_runs(X, Y, params, activations, loss, batches, learning_rate, reduction="mean", l1=0.0, l2=0.0,
                l2_as="loss", dtype="float64", torch_learning_rate=None, weight_decay=None):
    """The two step generators (reference, torch) from the same params over the same batches.

    L2 goes into torch as a loss term (l2_as="loss") or as SGD's weight_decay = 2 l2
    (convention.weight_decay_for_l2); weight_decay= overrides that mapping (to test a wrong one),
    torch_learning_rate= gives torch its own rate or schedule (to plant a divergence).
    """
    if l2_as not in L2_AS:
        raise ValueError(f"l2_as: expected one of {', '.join(L2_AS)}, got {l2_as!r}")
    sizes = [X.shape[0]] + [params[f"W{l}"].shape[0] for l in range(1, len(activations) + 1)]
    twin = Twin(sizes, resolved(activations), dtype).load(params)
    if l2_as == "weight_decay":
        wd = convention.weight_decay_for_l2(l2) if weight_decay is None else weight_decay
        torch_l2, reported = 0.0, l2
    else:
        wd, torch_l2, reported = (0.0 if weight_decay is None else weight_decay), l2, 0.0
    ref_run = ref_training.train(X, Y, params, activations, loss, batches, learning_rate, reduction, l1, l2)
    torch_run = torch_training.train(
        twin, convention.columns_to_rows(X), convention.columns_to_rows(Y), loss, batches,
        learning_rate if torch_learning_rate is None else torch_learning_rate, reduction, l1, torch_l2, wd, reported,
    )
    return ref_run, torch_run


def run_pair(X, Y, params, activations, loss, epochs_of_batches, learning_rate, label="", dtype="float64", **options):
    """Train both sides (see paired_runs for the options) and return their Trajectory."""
    batches = [list(epoch) for epoch in epochs_of_batches]
    tol = trajectory_tolerance(dtype, max(sum(len(epoch) for epoch in batches), 1))
    ref_run, torch_run = paired_runs(X, Y, params, activations, loss, batches, learning_rate, dtype=dtype, **options)
    trajectory = Trajectory(label, tol)
    with one_torch_thread():
        for epoch, step, comparison, _, _ in lockstep(ref_run, torch_run, tol, len(activations), label):
            trajectory.add(epoch, step, comparison)
    return trajectory


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


DEFAULTS = dict(regime="minibatch", batch_size=32, learning_rate=0.2, epochs=25, hidden=(64,),
                activation="relu", seed=0, dtype="float64", l1=0.0, l2=0.0, l2_as="loss", reduction="mean")


def _evaluate(data, params, activations, twin, X, Y, y, reduction, l1, l2):
    """Loss and accuracy of both sides on one split."""
    AL, _ = network.forward(X, params, activations)
    ref_J = network.cost(AL, Y, data.loss, reduction, params, l1, l2)
    torch_J, A = torch_training.evaluate(twin, convention.columns_to_rows(X), convention.columns_to_rows(Y),
                                         data.loss, reduction, l1, l2)
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
    cfg = {**DEFAULTS, **options}
    if cfg["regime"] not in ref_training.REGIMES:
        raise ValueError(f"regime: expected one of {', '.join(ref_training.REGIMES)}, got {cfg['regime']!r}")
    hidden = tuple(cfg["hidden"])
    if any(not isinstance(n, (int, np.integer)) or n < 1 for n in hidden):
        raise ValueError(f"hidden: expected positive layer sizes, got {hidden!r}")
    start = time.perf_counter()
    data = datasets.load(dataset, cfg["seed"], cfg["dtype"])
    sizes = [data.n_in, *hidden, data.n_out]
    activations = [cfg["activation"]] * len(hidden) + [data.output]
    params = initial_parameters(sizes, cfg["activation"], cfg["seed"], cfg["dtype"])
    batches = list(ref_training.batch_order(data.m, cfg["regime"], cfg["epochs"], cfg["seed"], cfg["batch_size"]))
    steps = sum(len(e) for e in batches)
    tol = trajectory_tolerance(cfg["dtype"], max(steps, 1))
    l1, l2, reduction = cfg["l1"], cfg["l2"], cfg["reduction"]
    ref_run, torch_run = paired_runs(data.X_train, data.Y_train, params, activations, data.loss, batches,
                                     cfg["learning_rate"], reduction, l1, l2, cfg["l2_as"], cfg["dtype"])
    trajectory = Trajectory(dataset, tol)
    history = []
    ends = set(np.cumsum([len(e) for e in batches]) - 1)
    bar = tqdm(total=steps, file=sys.stderr, disable=not progress, desc=f"train {dataset}", unit="step")
    test = {}
    with bar, one_torch_thread():
        try:
            _run_epochs(lockstep(ref_run, torch_run, tol, len(activations), dataset), trajectory, history, ends, bar,
                        data, activations, reduction, l1, l2, test)
        except ValueError as exc:
            # Options and data were validated above, so this is the run breaking down numerically: in
            # float32 a saturated sigmoid rounds A[L] to exactly 1 and the documents' bce is log(0),
            # which the reference refuses while torch's BCELoss clamps the log at -100 and goes on.
            # That is a divergence at this step, not bad input.
            trajectory.first = trajectory.first or Divergence(
                trajectory.steps, history[-1]["epoch"] if history else 0, "J", math.inf, math.inf, tol.rtol,
                f"the reference cannot continue ({exc}); torch carries on (its BCELoss clamps log at -100)")
    last = history[-1] if history else None
    test_accuracy = per_class = None
    if last and data.classification:
        test_accuracy = {"reference": last["ref_test_acc"], "torch": last["torch_test_acc"]}
        per_class = {"reference": metrics.per_class_accuracy(data.y_test, test["ref_pred"]),
                     "torch": metrics.per_class_accuracy(data.y_test, test["torch_pred"])}
    test_loss = {"reference": last["ref_test_loss"], "torch": last["torch_test_loss"]} if last else None
    return TrainingResult(dataset, {**cfg, "hidden": hidden, "steps": steps}, history, trajectory,
                          test_accuracy, per_class, test_loss, time.perf_counter() - start)



def _run_epochs(steps, trajectory, history, ends, bar, data, activations, reduction, l1, l2, latest):
    """Walk the paired steps, recording each comparison and, at each epoch's end, both sides' metrics
    (the latest test-split evaluation is kept in `latest`)."""
    for epoch, step, comparison, ref_params, twin in steps:
        trajectory.add(epoch, step, comparison)
        bar.update(1)
        if step not in ends:
            continue
        train = _evaluate(data, ref_params, activations, twin, data.X_train, data.Y_train, data.y_train, reduction, l1, l2)
        test = _evaluate(data, ref_params, activations, twin, data.X_test, data.Y_test, data.y_test, reduction, l1, l2)
        row = {"epoch": epoch + 1, "ref_loss": train["ref_loss"], "torch_loss": train["torch_loss"],
               "ref_test_loss": test["ref_loss"], "torch_test_loss": test["torch_loss"]}
        if data.classification:
            row.update(ref_train_acc=train["ref_acc"], torch_train_acc=train["torch_acc"],
                       ref_test_acc=test["ref_acc"], torch_test_acc=test["torch_acc"])
        history.append(row)
        latest.update(test)
