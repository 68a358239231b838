"""Whole training runs agree step by step: three regimes x regularizations x reductions x dtypes."""

import math
from dataclasses import dataclass

import numpy as np
import pytest
import torch

from crosscheck.core import convention
from crosscheck.core.compare import compare_arrays
from crosscheck.core.tolerances import AMPLIFIED_CEILING, tolerance_for, trajectory_tolerance
from crosscheck.training.allowances import Operands, amplified_loss_tolerance
from crosscheck.training.lockstep import initial_parameters, lockstep, paired_runs, run_pair
from crosscheck.training.trajectory import Trajectory
from reference import network
from reference.training import batch_order, batches_per_epoch
from torch_impl import training as torch_training
from torch_impl.modules import BCE_GRADIENT_FLOOR
from torch_impl.twin import Twin

# Per regime: how the epochs are cut, the network, and a learning rate for reduction="mean".
# Different hidden/output pairs per regime so each loss meets each regime somewhere.
REGIMES = {
    # regime: (m, epochs, batch_size, hidden, output, loss, lr)  -> steps
    "batch": (24, 50, None, "tanh", "softmax", "cce", 0.5),  # 50 steps
    "sgd": (12, 5, None, "relu", "sigmoid", "bce", 0.1),  # 60 steps
    "minibatch": (24, 10, 5, "sigmoid", "identity", "mse", 0.3),  # 5 batches x 10 = 50 steps
}
REGS = {
    "none": (0.0, 0.0, "loss"),
    "l1": (0.01, 0.0, "loss"),
    "l2-loss": (0.0, 0.02, "loss"),
    "l2-weight_decay": (0.0, 0.02, "weight_decay"),
}


@dataclass(frozen=True)
class Run:
    regime: str
    reg: str
    reduction: str = "mean"
    dtype: str = "float64"
    seed: int = 0

    def __str__(self):
        return f"{self.regime}-{self.reg}-{self.reduction}-{self.dtype}"


# SGD's batch is one example, where mean and sum are the same cost: "sum" is run for the others.
RUNS = [Run(g, r, red) for g in REGIMES for r in REGS for red in ("mean", "sum") if not (g == "sgd" and red == "sum")]
RUNS += [Run(g, r, "mean", "float32") for g in REGIMES for r in REGS]


def setup(run, lr_override=None):
    """Data, initial parameters, batch order and learning rate for a Run, all from its seed."""
    m, epochs, batch_size, hidden, output, loss, lr = REGIMES[run.regime]
    rng = np.random.default_rng(run.seed)
    sizes = [4, 6, 1 if loss == "bce" else 3]
    X = rng.normal(size=(4, m))
    if loss == "bce":
        Y = rng.integers(0, 2, size=(1, m)).astype(float)
    elif loss == "cce":
        Y = np.eye(3)[:, rng.integers(0, 3, size=m)]
    else:
        Y = rng.normal(size=(3, m))
    params = initial_parameters(sizes, hidden, run.seed + 1, run.dtype)
    order = list(batch_order(m, run.regime, epochs, run.seed + 2, batch_size))
    if run.reduction == "sum":  # J grows with the batch: keep the same step length
        lr /= len(order[0][0])
    return X.astype(run.dtype), Y.astype(run.dtype), params, [hidden, output], loss, order, lr


def pair(run, **options):
    X, Y, params, activations, loss, order, lr = setup(run)
    l1, l2, l2_as = REGS[run.reg]
    options = dict(reduction=run.reduction, l1=l1, l2=l2, l2_as=l2_as) | options
    return run_pair(X, Y, params, activations, loss, order, lr, label=str(run), dtype=run.dtype, **options)


@pytest.mark.parametrize("run", RUNS, ids=str)
def test_trajectories_agree_step_by_step(run):
    trajectory = pair(run)
    assert trajectory.steps >= 50
    assert trajectory.ok, trajectory.summary()
    assert trajectory.rounding_only == 0 and "rounding" not in trajectory.summary()  # no J here is near 0


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("regime", list(REGIMES))
def test_weight_decay_two_l2_matches_and_l2_alone_is_caught(regime, dtype):
    right = pair(Run(regime, "l2-weight_decay", dtype=dtype))
    assert right.ok, right.summary()
    l2 = REGS["l2-weight_decay"][1]
    wrong = pair(Run(regime, "l2-weight_decay", dtype=dtype), weight_decay=l2)
    assert not wrong.ok
    # The loss at step 0 is computed before any update, so the first miss is a weight after step 0.
    assert (wrong.first.step, wrong.first.quantity) == (0, "W1"), wrong.summary()


def test_weight_decay_mapping_inside_torch_alone():
    """One torch.optim.SGD step: weight_decay = 2 l2 equals l2 sum W^2 in the loss; biases untouched by decay."""
    l2, lr = 0.07, 0.3
    gen = torch.Generator().manual_seed(5)
    X = torch.randn(8, 4, generator=gen, dtype=torch.float64)
    Y = torch.randn(8, 2, generator=gen, dtype=torch.float64)
    start = initial_parameters([4, 3, 2], "tanh", 5)
    runs = {}
    for name, (loss_l2, wd) in {
        "loss": (l2, 0.0),
        "decay": (0.0, convention.weight_decay_for_l2(l2)),
        "none": (0.0, 0.0),
    }.items():
        twin = Twin([4, 3, 2], ["tanh", "identity"]).load(start)
        list(torch_training.train(twin, X, Y, "mse", [[np.arange(8)]], lr, l2=loss_l2, weight_decay=wd))
        runs[name] = twin.parameters_as_numpy()
    for key in runs["loss"]:
        np.testing.assert_allclose(runs["decay"][key], runs["loss"][key], rtol=0, atol=1e-15)
    for key in ("b1", "b2"):
        np.testing.assert_array_equal(runs["decay"][key], runs["none"][key])
    assert not np.allclose(runs["decay"]["W1"], runs["none"]["W1"])


PLANTED = [("batch", 0), ("batch", 31), ("sgd", 17), ("minibatch", 1), ("minibatch", 44)]


@pytest.mark.parametrize("regime,k", PLANTED, ids=[f"{r}-step{k}" for r, k in PLANTED])
def test_first_divergence_names_the_planted_step(regime, k):
    """torch's learning rate moves by 1e-6 (relative) from step k on: the report must say step k."""
    run = Run(regime, "none")
    lr = setup(run)[-1]
    trajectory = pair(run, torch_learning_rate=lambda step: lr if step < k else lr * (1 + 1e-6))
    assert not trajectory.ok
    assert trajectory.first.step == k, trajectory.summary()
    assert trajectory.first.quantity == "W1", trajectory.summary()
    assert f"step {k}" in str(trajectory.first)


@pytest.mark.parametrize(
    "regime,batch_size,sizes",
    [("batch", None, [10]), ("sgd", None, [1] * 10), ("minibatch", 4, [4, 4, 2]), ("minibatch", 10, [10])],
)
def test_batch_order_covers_every_example_once_per_epoch(regime, batch_size, sizes):
    epochs = list(batch_order(10, regime, 3, seed=7, batch_size=batch_size))
    assert len(epochs) == 3
    for batches in epochs:
        assert [len(b) for b in batches] == sizes
        np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(10))
    again = list(batch_order(10, regime, 3, seed=7, batch_size=batch_size))
    assert all(np.array_equal(a, b) for e1, e2 in zip(epochs, again) for a, b in zip(e1, e2))
    if regime == "batch":  # the examples in their own order: batch GD's sums in a fixed order
        assert all(np.array_equal(batches[0], np.arange(10)) for batches in epochs)
    else:  # a fresh shuffle each epoch
        assert not np.array_equal(np.concatenate(epochs[0]), np.concatenate(epochs[1]))


@pytest.mark.parametrize(
    "kwargs,name",
    [
        (dict(regime="adam"), "regime"),
        (dict(regime="minibatch"), "batch_size"),
        (dict(regime="sgd", m=0), "m"),
        (dict(regime="sgd", epochs=-1), "epochs"),
    ],
)
def test_batch_order_rejects_bad_input(kwargs, name):
    args = dict(m=10, epochs=1, seed=0) | kwargs
    with pytest.raises(ValueError, match=name):
        list(batch_order(args.pop("m"), args.pop("regime"), args.pop("epochs"), args.pop("seed")))


def test_run_pair_rejects_unknown_l2_route():
    with pytest.raises(ValueError, match="l2_as"):
        pair(Run("batch", "none"), l2_as="adamw")


@pytest.mark.parametrize("regime,batch_size", [("batch", None), ("sgd", None), ("minibatch", 4), ("minibatch", 3)])
def test_steps_are_counted_without_drawing_the_batches(regime, batch_size):
    drawn = next(batch_order(10, regime, 1, seed=7, batch_size=batch_size))
    assert batches_per_epoch(10, regime, batch_size) == len(drawn)


def test_batch_order_is_lazy_and_checks_its_arguments_at_the_call():
    """A run of 10^12 epochs starts at once (nothing is drawn ahead), and a bad argument raises
    before the first epoch is asked for."""
    first = next(batch_order(10, "minibatch", 10**12, seed=0, batch_size=4))
    assert [len(b) for b in first] == [4, 4, 2]
    with pytest.raises(ValueError, match="batch_size"):
        batch_order(10, "minibatch", 1, seed=0)


def test_paired_runs_share_one_lazy_order():
    """Handed a generator, both sides take the same batches (paired_runs tees it): the losses are the
    list's, step for step, and the two sides agree."""
    run = Run("minibatch", "none")
    X, Y, params, activations, loss, order, lr = setup(run)
    m, epochs, batch_size = REGIMES["minibatch"][:3]
    tol = trajectory_tolerance(run.dtype, 50)

    def losses(batches):
        ref_run, torch_run, _ = paired_runs(X, Y, params, activations, loss, batches, lr)
        steps = list(lockstep(ref_run, torch_run, tol, len(activations)))
        assert all(comparison.ok for _, _, comparison, _, _ in steps)
        return [(c.row("J").ref, c.row("J").torch) for _, _, c, _, _ in steps]

    from_generator = losses(batch_order(m, "minibatch", epochs, run.seed + 2, batch_size))
    assert len(from_generator) == 50 and from_generator == losses(order)


# A learning rate off by 2e-4 (relative) and the wrong weight-decay mapping, each planted from step 0:
# the old bound (total steps x rtol applied from step 0) let the first pass every step in float32.
PLANTS = {
    "learning rate x (1 + 2e-4)": lambda lr, l2: dict(torch_learning_rate=lr * (1 + 2e-4)),
    "weight_decay = l2 (not 2 l2)": lambda lr, l2: dict(weight_decay=l2),
}


@pytest.mark.parametrize("shadow", [False, True], ids=["alone", "with the shadow"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("regime", list(REGIMES))
@pytest.mark.parametrize("plant", list(PLANTS))
def test_planted_error_is_caught_within_50_steps(plant, regime, dtype, shadow):
    """Also with torch's shadow, as `crosscheck train` takes a failing run again: nothing here amplifies,
    and no step before the divergence is excused by it (nor after: a failure is no amplification)."""
    run = Run(regime, "l2-weight_decay", dtype=dtype)
    lr = setup(run)[-1]
    trajectory = pair(run, **PLANTS[plant](lr, REGS[run.reg][1]), shadow=shadow)
    assert trajectory.outcome == "disagree", trajectory.summary()
    assert trajectory.first.step < 50, trajectory.summary()
    assert trajectory.amplified == 0 and "amplifies" not in trajectory.summary()


# The reference's input checks refuse inf and nan, so its side of this blow-up is a refusal of the step
# (its per-example loss overflows) while torch's loss at the same step is inf.
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_both_blowing_up_alike_is_diverged_not_disagreement(dtype):
    """A learning rate of 1e4 sends both sides to inf together: the outcome names the training, not the code."""
    run = Run("batch", "none", dtype=dtype)
    X, Y, params, activations, loss, order, _ = setup(run)
    Y = Y * 0 + 1e3  # identity + mse on huge targets: the step overshoots and grows every time
    trajectory = run_pair(X, Y, params, ["tanh", "identity"], "mse", order, 1e4, dtype=dtype)
    assert trajectory.outcome == "diverged", trajectory.summary()
    assert not trajectory.ok
    k = trajectory.diverged.step
    assert f"training diverged in both at step {k}: " in trajectory.summary()
    assert "lower the learning rate" in trajectory.summary()


def test_run_pair_streams_its_epochs():
    """run_pair draws epochs as it trains: a run that ends early (here by blowing up in a few steps)
    never draws the rest, so memory is O(one epoch) however many epochs are offered."""
    run = Run("batch", "none")
    X, Y, params, activations, loss, order, _ = setup(run)
    drawn = []

    def epochs(limit=50):
        for i in range(limit + 1):
            assert i < limit, "run_pair drew every epoch before its first step"
            drawn.append(i)
            yield order[0]

    trajectory = run_pair(X, Y * 0 + 1e3, params, ["tanh", "identity"], "mse", epochs(), 1e4)
    assert trajectory.outcome == "diverged", trajectory.summary()
    assert len(drawn) <= trajectory.diverged.step + 2


def test_blow_up_after_a_disagreement_stays_a_disagreement():
    """The same blow-up with torch's rate planted 1e-3 off: the steps disagree before either side overflows,
    so the overflow is no shared blow-up; no step after the first disagreement is counted as one."""
    run = Run("batch", "none")
    X, Y, params, activations, loss, order, _ = setup(run)
    Y = Y * 0 + 1e3
    ref_run, torch_run, _ = paired_runs(
        X, Y, params, ["tanh", "identity"], "mse", order, 1e4, torch_learning_rate=1.001e4
    )
    steps = [c for _, _, c, _, _ in lockstep(ref_run, torch_run, trajectory_tolerance(run.dtype, 50), 2)]
    first = next(k for k, c in enumerate(steps) if not c.ok)
    assert first < len(steps) - 1 and not any(c.blown for c in steps[first:])
    trajectory = run_pair(X, Y, params, ["tanh", "identity"], "mse", order, 1e4, torch_learning_rate=1.001e4)
    assert trajectory.outcome == "disagree" and trajectory.first.step == first, trajectory.summary()


class PlantedTwin:
    """Stands in for the torch twin of a planted step: only its parameters are read."""

    def __init__(self, params):
        self.params = params

    def parameters_as_numpy(self):
        return self.params


class PlantedOperands:
    """A planted reference step's operands (allowances.Operands): no rounding allowance for J, and a
    loss at which torch departs from no equation."""

    loss = "planted"

    def __call__(self):
        return 0.0


def planted_refusal(torch_J1, dtype="float64", torch_J0=1.0, torch_params1=None):
    """Two planted steps: step 0 (reference J 1.0) and step 1, which the reference refuses with the message
    its input checks give for an overflow, while torch's step 1 gives torch_J1. Returns the steps' comparisons
    and the Trajectory recording them."""
    params = {"W1": np.ones((1, 1), dtype=dtype), "b1": np.zeros((1, 1), dtype=dtype)}

    def ref_steps():
        yield 0, 0, 1.0, params, PlantedOperands()
        raise ValueError("L: expected finite values, got inf")

    torch_steps = [(0, 0, torch_J0, PlantedTwin(params)), (0, 1, torch_J1, PlantedTwin(torch_params1 or params))]
    tol = trajectory_tolerance(dtype, 2)
    trajectory = Trajectory("planted", tol)
    steps = []
    for epoch, step, comparison, _, _ in lockstep(ref_steps(), torch_steps, tol, 1, "planted", params):
        trajectory.add(epoch, step, comparison)
        steps.append(comparison)
    return steps, trajectory


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("torch_J1", ["inf", "nan", "largest"])
def test_reference_refusal_where_torch_overflows_too_is_diverged(torch_J1, dtype):
    """torch's loss at the refused step is inf, nan, or the dtype's largest number (within the step's bound
    of overflow, so a reference agreeing within it may overflow): a shared blow-up, named with its step."""
    J1 = float(np.finfo(dtype).max) if torch_J1 == "largest" else float(torch_J1)
    steps, trajectory = planted_refusal(J1, dtype)
    assert [c.ok for c in steps] == [True, False]
    assert trajectory.outcome == "diverged", trajectory.summary()
    assert trajectory.diverged.step == 1
    assert trajectory.summary() == f"planted: training diverged in both at step 1: loss {J1}; lower the learning rate"


def test_reference_refusal_where_torch_parameters_are_not_finite_is_diverged():
    nan_params = {"W1": np.full((1, 1), np.nan), "b1": np.zeros((1, 1))}
    _, trajectory = planted_refusal(5.0, torch_params1=nan_params)
    assert trajectory.outcome == "diverged", trajectory.summary()
    assert "at step 1: parameters not finite (loss 5.0)" in trajectory.summary()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("torch_J1", ["moderate", "half the largest"])
def test_reference_refusal_while_torch_stays_finite_is_a_disagreement(torch_J1, dtype):
    """The reference refuses step 1 while torch's loss stays finite (2.0, or half the dtype's largest: far
    beyond any step's bound from overflow): the implementations part there; that is never a blow-up."""
    J1 = 2.0 if torch_J1 == "moderate" else float(np.finfo(dtype).max) / 2
    steps, trajectory = planted_refusal(J1, dtype)
    assert not steps[1].ok and not steps[1].blown
    assert trajectory.outcome == "disagree", trajectory.summary()
    assert trajectory.first.step == 1
    assert "the reference cannot continue (L: expected finite values, got inf)" in trajectory.summary()


def test_reference_refusal_after_a_disagreement_is_not_a_shared_blow_up():
    """torch's step 1 is inf, but step 0 already disagreed (J 1.0 against 1.5): the blow-up may be that
    disagreement's consequence, so it stays a disagreement, at step 0."""
    steps, trajectory = planted_refusal(math.inf, torch_J0=1.5)
    assert [c.ok for c in steps] == [False, False] and not steps[1].blown
    assert trajectory.outcome == "disagree" and trajectory.first.step == 0, trajectory.summary()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("regime", list(REGIMES))
def test_learning_rate_off_by_a_few_rtol_is_caught_at_once(regime, dtype):
    """The parameter bound scales with each step's update: an error of 4 x rtol in the rate shows at
    step 0, where a bound of (k + 1) x rtol of the whole W would let it through for many steps."""
    run = Run(regime, "none", dtype=dtype)
    X, Y, params, activations, loss, order, lr = setup(run)
    # Biases away from 0, so that no parameter's first update is its whole value (b starts at 0).
    params = {k: v + 1 if k.startswith("b") else v for k, v in params.items()}
    rate = lr * (1 + 4 * tolerance_for(dtype).rtol)
    trajectory = run_pair(X, Y, params, activations, loss, order, lr, dtype=dtype, torch_learning_rate=rate)
    assert trajectory.outcome == "disagree", trajectory.summary()
    assert trajectory.first.step <= 1, trajectory.summary()


@pytest.mark.parametrize(
    "kwargs, expected", [({}, 0.0), (dict(l2=0.5), 7.0), (dict(l1=0.1), 0.6), (dict(l1=0.1, l2=0.5), 7.6)]
)
def test_regularization_adds_only_the_penalties_asked_for(kwargs, expected):
    """Doc 004's l2 sum W^2 + l1 sum |W| over the weights, never the biases, worked by hand for
    W1 = [1, -2], W2 = [3]: sum W^2 = 14, sum |W| = 6."""
    params = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([[5.0]]), "W2": np.array([[3.0]]), "b2": np.array([[-7.0]])}
    assert network.regularization(params, **kwargs) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_learning_rate_schedule_is_followed_by_both_sides(dtype):
    """Both sides take the same decaying schedule (a function of the step) and agree at every step;
    the reference holding its first rate instead parts from torch at step 1."""
    X, Y, params, activations, loss, order, lr = setup(Run("batch", "none", dtype=dtype))
    schedule = lambda step: lr * 0.8**step  # noqa: E731
    trajectory = run_pair(X, Y, params, activations, loss, order, schedule, dtype=dtype)
    assert trajectory.ok and trajectory.steps == 50, trajectory.summary()
    held = run_pair(X, Y, params, activations, loss, order, schedule, dtype=dtype, torch_learning_rate=lambda step: lr)
    assert held.first is not None and held.first.step == 1, held.summary()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_loss_alone_off_is_caught_at_step_0(dtype):
    """torch's reported J off by 8 rtol of its dtype while its parameters stay exact (a reported
    objective that misses a term would do this): the loss's own bound at step 0 is 1 rtol, so step 0
    names J. A bound grown for many steps from step 0 would let every step pass."""
    X, Y, params, activations, loss, order, lr = setup(Run("batch", "none", dtype=dtype))
    ref_run, torch_run, _ = paired_runs(X, Y, params, activations, loss, order, lr, dtype=dtype)
    off = 1 + 8 * tolerance_for(dtype).rtol
    shifted = ((epoch, step, J * off, twin) for epoch, step, J, twin in torch_run)
    trajectory = Trajectory("J alone", trajectory_tolerance(dtype, 1))
    for epoch, step, comparison, _, _ in lockstep(ref_run, shifted, trajectory_tolerance(dtype, 1), 2, "", params):
        trajectory.add(epoch, step, comparison)
    assert (trajectory.first.step, trajectory.first.quantity) == (0, "J"), trajectory.summary()


# One input, a sigmoid unit and bce, trained hard: within a few steps J is tiny (1e-4 in float32,
# 1e-5 in float64), some A[L] a few eps from 0 or 1. Each side rounds A[L] on its own, which moves
# its log terms by about eps whatever J is: the two J differed by 5e-9 (float32, step 2) and
# 1.7e-17 (float64, step 1), under one eps, and a bound relative to |J| called both a divergence.
@pytest.mark.parametrize("dtype,lr", [("float32", 15.0), ("float64", 20.0)])
def test_a_loss_trained_near_zero_agrees_to_its_rounding(dtype, lr):
    X = np.array([[2.0, -1.0, 1.5, -2.5]], dtype=dtype)
    Y = np.array([[1.0, 0.0, 1.0, 0.0]], dtype=dtype)
    params = {"W1": np.array([[0.5]], dtype=dtype), "b1": np.zeros((1, 1), dtype=dtype)}
    trajectory = run_pair(X, Y, params, ["sigmoid"], "bce", [[np.arange(4)]] * 100, lr, dtype=dtype)
    assert trajectory.ok, trajectory.summary()
    assert trajectory.steps == 100 and trajectory.ref_J[-1] < 1e-4
    # and it says so: the worst relative error is then measured against that rounding, not |J|
    assert 0 < trajectory.rounding_only < 100
    assert (
        f"at {trajectory.rounding_only} steps J, near 0, agreed only to its operands' rounding" in trajectory.summary()
    )


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_loss_alone_off_near_zero_is_still_caught(dtype):
    """The same run with torch's reported J off by 1e-3 (absolute) from step 5 on, its parameters exact:
    far beyond J's rounding allowance near zero (4 eps for these bce terms), so step 5 names J."""
    X = np.array([[2.0, -1.0, 1.5, -2.5]], dtype=dtype)
    Y = np.array([[1.0, 0.0, 1.0, 0.0]], dtype=dtype)
    params = {"W1": np.array([[0.5]], dtype=dtype), "b1": np.zeros((1, 1), dtype=dtype)}
    ref_run, torch_run, _ = paired_runs(X, Y, params, ["sigmoid"], "bce", [[np.arange(4)]] * 20, 15.0, dtype=dtype)
    shifted = ((epoch, step, J + 1e-3 * (step >= 5), twin) for epoch, step, J, twin in torch_run)
    trajectory = Trajectory("J alone near zero", trajectory_tolerance(dtype, 1))
    for epoch, step, comparison, _, _ in lockstep(ref_run, shifted, trajectory_tolerance(dtype, 1), 1, "", params):
        trajectory.add(epoch, step, comparison)
    assert (trajectory.first.step, trajectory.first.quantity) == (5, "J"), trajectory.summary()


@pytest.mark.parametrize("dtype,z0", [("float32", 15.0), ("float64", 33.0)])
@pytest.mark.parametrize("factor", [0.5, 0.0])
def test_a_loss_off_where_a_term_is_ill_conditioned_is_caught(dtype, z0, factor):
    """A sigmoid unit with y = 0 at a next to 1 (1 - a near 3e-7 and 5e-15): log(1 - a) is known only to
    about 4 eps / (1 - a) there (0.2 of J = 3.7 in float32, 0.05 of J = 8.3 in float64); torch's J
    halved or zeroed is still far past that rounding. (An allowance grown by (k + 1) rtol let both
    pass.)"""
    X = np.array([[1.0, -1.0, 0.5, -0.5]], dtype=dtype)
    Y = np.array([[0.0, 0.0, 1.0, 0.0]], dtype=dtype)
    params = {"W1": np.array([[z0]], dtype=dtype), "b1": np.zeros((1, 1), dtype=dtype)}
    ref_run, torch_run, _ = paired_runs(X, Y, params, ["sigmoid"], "bce", [[np.arange(4)]] * 3, 1e-4, dtype=dtype)
    planted = ((epoch, step, J * factor, twin) for epoch, step, J, twin in torch_run)
    epoch, step, comparison, _, _ = next(lockstep(ref_run, planted, trajectory_tolerance(dtype, 1), 1, "", params))
    assert step == 0 and not comparison.row("J").ok, comparison.first_divergence()


@pytest.mark.parametrize("loss", ["bce", "cce", "mse", "sse"])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_a_loss_off_by_3_percent_late_in_float32_is_caught(loss, reduction):
    """torch's J 3 % high from step 200 of a float32 run, its parameters exact: at a loss of 1e-3 to 0.7
    the operands' rounding allowance (a few eps of each term) is far below 3 %, so step 200 names J.
    (With that allowance grown by (k + 1) rtol, 201 x 2**7 eps, every one of these passed.)"""
    rng = np.random.default_rng(5)
    n_out = {"bce": 1, "cce": 3}.get(loss, 2)
    X = rng.normal(size=(3, 48)).astype("float32")
    if loss == "bce":
        Y = (X[:1] + X[1:2] > 0).astype("float32")
    elif loss == "cce":
        Y = np.eye(3, dtype="float32")[:, np.argmax(X, axis=0)]
    else:
        Y = np.tanh(X[:2]).astype("float32")
    output = {"bce": "sigmoid", "cce": "softmax"}.get(loss, "identity")
    params = initial_parameters([3, 8, n_out], "tanh", 6, "float32")
    order = batch_order(48, "minibatch", 70, 7, 16)  # 3 steps an epoch: 210 steps
    lr = 0.3 if reduction == "mean" else 0.3 / 16
    ref_run, torch_run, _ = paired_runs(X, Y, params, ["tanh", output], loss, order, lr, reduction, dtype="float32")
    planted = ((epoch, step, J * (1.03 if step >= 200 else 1.0), twin) for epoch, step, J, twin in torch_run)
    trajectory = Trajectory("3 % late", trajectory_tolerance("float32", 1))
    for epoch, step, comparison, _, _ in lockstep(ref_run, planted, trajectory_tolerance("float32", 1), 2, "", params):
        trajectory.add(epoch, step, comparison)
        if trajectory.first is not None:
            break
    assert (trajectory.first.step, trajectory.first.quantity) == (200, "J"), trajectory.summary()


def _first_J_row(X, Y, params, activations, loss, reduction, dtype, torch_J):
    """J's row at step 0 of a one-step run whose torch side reports torch_J(J) instead of its J."""
    ref_run, torch_run, _ = paired_runs(
        X, Y, params, activations, loss, [[np.arange(X.shape[1])]], 0.0, reduction, dtype=dtype
    )
    planted = ((epoch, step, torch_J(J), twin) for epoch, step, J, twin in torch_run)
    _, _, comparison, _, _ = next(lockstep(ref_run, planted, trajectory_tolerance(dtype, 1), 1, "", params))
    return comparison.row("J")


def test_a_loss_whose_rounding_allowance_overflows_gets_none():
    """sse of 1.44e308 (finite) has a rounding allowance 2 |a - y| (|a| + |y|) c of inf (each term is
    twice the loss or more): an allowance of inf let torch's J of 1.0 pass."""
    X, Y = np.array([[1.0]]), np.array([[0.0]])
    params = {"W1": np.array([[1.2e154]]), "b1": np.zeros((1, 1))}
    with np.errstate(over="ignore"):
        row = _first_J_row(X, Y, params, ["identity"], "sse", "sum", "float64", lambda J: 1.0)
    assert not row.ok, row


def test_a_loss_within_ulps_of_log_0_gets_the_log_of_its_rounding_not_a_linear_estimate():
    """float32, y = 0 and a one ulp below 1: L = -log(1 - a) = 16.6, and moving a by 4 eps moves L by
    at most log(5) = 1.6, where the linear estimate 4 eps / (1 - a) = 8 let J + 2.5 pass."""
    X, Y = np.array([[1.0]], dtype="float32"), np.array([[0.0]], dtype="float32")
    params = {"W1": np.array([[16.6]], dtype="float32"), "b1": np.zeros((1, 1), dtype="float32")}
    assert _first_J_row(X, Y, params, ["sigmoid"], "bce", "mean", "float32", lambda J: J).ok
    assert not _first_J_row(X, Y, params, ["sigmoid"], "bce", "mean", "float32", lambda J: J + 2.5).ok


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_softmax_over_300_classes_agrees_at_a_loss_near_0(dtype):
    """The label on the largest logit, the 299 others at e^(z - max) = 0.7 ulp of 1: J is near 0 and each
    side rounds the softmax's sum of 300 terms on its own, so the two J differ by several eps (9 in
    float64), more than a sigmoid's 4 eps: the allowance grows with n[L]."""
    n, eps = 300, float(np.finfo(dtype).eps)
    X, Y = np.array([[1.0]], dtype=dtype), np.eye(n, 1, dtype=dtype)
    z = np.full((n, 1), np.log(0.7 * eps / 2))
    z[0] = 0.0  # noqa: E702
    params = {"W1": z.astype(dtype), "b1": np.zeros((n, 1), dtype=dtype)}
    assert _first_J_row(X, Y, params, ["softmax"], "cce", "mean", dtype, lambda J: J).ok


def _amplifying_steps(d, shadow_ratio, steps=12):
    """A planted run that amplifies: the reference's W1 parts from torch's by d 2^k relative at step k (past
    the bounds, which assume a run that does not amplify), and torch's shadow (its run again, nudged)
    by shadow_ratio times that. J is 1.0 on every side."""
    start = {"W1": np.ones((1, 4)), "b1": np.zeros((1, 1))}

    def at(distance):
        return {"W1": start["W1"] * (1 + distance), "b1": start["b1"]}

    ref = [(0, k, 1.0, at(d * 2**k), PlantedOperands()) for k in range(steps)]
    torch_steps = [(0, k, 1.0, PlantedTwin(start)) for k in range(steps)]
    shadow = [(0, k, 1.0, PlantedTwin(at(shadow_ratio * d * 2**k))) for k in range(steps)]
    return start, ref, torch_steps, iter(shadow)


@pytest.mark.parametrize(
    "d, shadow_ratio, agree",
    [
        (1e-12, 1 / 1.3, True),  # the shadow parts as the reference does (digits, SGD at lr 0.2: 1.2-1.4x)
        (1e-12, 1 / 100, False),  # the reference 100x further: torch's BCELoss floor on breast_cancer was 80-100x
        (1e-12, 0.0, False),  # a run that does not amplify: the shadow stays with torch
        (5e-3, 1 / 1.3, False),  # past 1 %: different runs, which the shadow no longer excuses
    ],
    ids=["amplifies alike", "reference 100x further", "shadow stays", "past the ceiling"],
)
def test_the_shadow_excuses_only_the_distance_the_run_amplifies(d, shadow_ratio, agree):
    start, ref, torch_steps, shadow = _amplifying_steps(d, shadow_ratio)
    tol = trajectory_tolerance("float64", 1)
    trajectory = Trajectory("planted", tol)
    for epoch, step, comparison, _, _ in lockstep(iter(ref), torch_steps, tol, 1, "planted", start, shadow):
        trajectory.add(epoch, step, comparison)
    assert trajectory.ok is agree, trajectory.summary()
    if agree:
        assert trajectory.amplified == 12 and trajectory.amplified_from == 0
        assert "the run amplifies rounding: at 12 steps" in trajectory.summary()
    else:
        assert trajectory.first.quantity == "W1"


def test_without_a_shadow_an_amplifying_run_is_a_disagreement():
    start, ref, torch_steps, _ = _amplifying_steps(1e-12, 1 / 1.3)
    tol = trajectory_tolerance("float64", 1)
    comparison = next(lockstep(iter(ref), torch_steps, tol, 1, "planted", start))[2]
    assert not comparison.ok and comparison.rows[1].name == "W1"


@pytest.mark.parametrize(
    "output, loss, reduction, l2",
    [("softmax", "cce", "mean", 0.0), ("sigmoid", "bce", "sum", 0.0), ("identity", "mse", "mean", 0.05)],
)
def test_Js_first_order_spread_is_each_gradients_1_norm_times_its_distance(output, loss, reduction, l2):
    """Operands.spread, what J is allowed where the two sides' parameters differ by the distances last
    measured: sum over W[l], b[l] of ||dJ/dW[l]||_1 d[W[l]] on the step's batch, with torch's
    gradients as the oracle; and no looser than that: every element moved by its distance in the
    sign of its gradient moves torch's J by the spread, to first order."""
    rng = np.random.default_rng(5)
    sizes = [4, 5, 3 if loss == "cce" else 1]
    X = rng.normal(size=(4, 9))
    if loss == "cce":
        Y = np.eye(3)[:, rng.integers(0, 3, size=9)]
    elif loss == "bce":
        Y = rng.integers(0, 2, size=(1, 9)).astype(float)
    else:
        Y = rng.normal(size=(1, 9))
    params = initial_parameters(sizes, "tanh", 5)
    params = {k: v + 0.1 if k.startswith("b") else v for k, v in params.items()}
    activations, idx = ["tanh", output], np.arange(2, 8)  # the step's batch: 6 of the 9 examples
    distances = {"W1": 3e-8, "b1": 5e-8, "W2": 7e-8, "b2": 1.1e-7}

    def torch_J_and_grads(at):
        twin = Twin(sizes, activations, "float64").load(at)
        rows = convention.columns_to_rows(X[:, idx]), convention.columns_to_rows(Y[:, idx])
        capture = twin.capture(*rows, loss, reduction, 0.0, l2)
        grads = {f"W{l}": capture.grad_W[l - 1] for l in (1, 2)}
        return capture.J, {**grads, **{f"b{l}": capture.grad_b[l - 1].reshape(-1, 1) for l in (1, 2)}}

    J, grads = torch_J_and_grads(params)
    spread = Operands(X, Y, idx, params, activations, loss, reduction, 0.0, l2, "float64").spread(distances)
    assert spread == pytest.approx(sum(np.abs(grads[n]).sum() * d for n, d in distances.items()), rel=1e-12)
    moved, _ = torch_J_and_grads({n: v + np.sign(grads[n]) * distances[n] for n, v in params.items()})
    assert moved - J == pytest.approx(spread, rel=1e-4)


@pytest.mark.parametrize(
    "a, floored", [(1 - 2**-41, True), (2**-41, True), (1 - 2**-38, False), (2**-38, False), (0.5, False)]
)
def test_torchs_bce_gradient_is_floored_where_its_constant_says(a, floored):
    """BCE_GRADIENT_FLOOR against torch itself, y = 0: the documents' dL/da is 1 / (1 - a); torch's is
    a / max(a (1 - a), 1e-12), which differs once a (1 - a) is below 1e-12 (2^-41 is 4.5e-13, 2^-38 3.6e-12)."""
    A = torch.tensor([[a]], dtype=torch.float64, requires_grad=True)
    torch.nn.BCELoss()(A, torch.zeros((1, 1), dtype=torch.float64)).backward()
    documents = 1 / (1 - a)
    if floored:
        assert A.grad.item() == pytest.approx(a / BCE_GRADIENT_FLOOR, rel=1e-12)
        assert A.grad.item() != pytest.approx(documents, rel=1e-3)
    else:
        assert A.grad.item() == pytest.approx(documents, rel=1e-12)


# name: (seed, W2's row, b2, dtype, learning rate, torch's rate) of a one-step run of a 3-4-1 tanh-sigmoid
# net on 8 examples (labels drawn from the seed)
FLOORED = {
    # z near 30, a (1 - a) near 9e-14: torch's floored gradient parts from the documents' at step 0 unplanted
    "every output near 1": (7, None, 30.0, "float64", 0.1, 0.1),
    # 2 of 8 floored at the step's start, 8 after its update: the count is taken where the step started
    "some outputs": (1, [30.0, -30.0, 20.0, 10.0], 10.0, "float64", 5.0, 5.0),
    # a float32 sigmoid reaches 1 exactly before a (1 - a) passes the floor there; near 0 it does not
    "every output near 0, float32": (7, None, -30.0, "float32", 0.1, 0.1),
    # off the floor, parted by a wrong rate: nothing said of the floor
    "no output": (7, None, 0.0, "float64", 0.1, 0.1 * 1.01),
}


@pytest.mark.parametrize("case", FLOORED)
def test_a_divergence_where_torchs_bce_floor_applies_says_where_and_how_much(case):
    """The divergence counts the outputs past torch's floor at the parameters the failing step started
    from, and says how far torch's dJ/dZ[L] falls short of the documents' a - y there, relative to the
    batch's largest |a - y|: both from torch's own forward and backward at those parameters."""
    seed, W2, b2, dtype, lr, torch_rate = FLOORED[case]
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(3, 8)).astype(dtype), rng.integers(0, 2, size=(1, 8)).astype(dtype)
    params = initial_parameters([3, 4, 1], "tanh", seed, dtype)
    params["W2"] = params["W2"] if W2 is None else np.array([W2], dtype=dtype)
    params["b2"] = np.full((1, 1), b2, dtype=dtype)
    capture = (
        Twin([3, 4, 1], ["tanh", "sigmoid"], dtype)
        .load(params)
        .capture(convention.columns_to_rows(X), convention.columns_to_rows(Y), "bce")
    )
    A, dZ = capture.A[-1].astype(np.float64), 8 * capture.grad_Z[-1].astype(np.float64)  # per example
    floored = int(np.count_nonzero(A * (1 - A) < BCE_GRADIENT_FLOOR))
    share = np.max(np.abs(dZ - (A - Y.T))) / np.max(np.abs(A - Y.T))
    trajectory = run_pair(
        X, Y, params, ["tanh", "sigmoid"], "bce", [[np.arange(8)]], lr, dtype=dtype, torch_learning_rate=torch_rate
    )
    assert trajectory.first is not None and trajectory.first.step == 0, trajectory.summary()
    detail = trajectory.first.detail
    if not floored:
        assert "floor" not in detail and "1e-12" not in detail, detail
        return
    assert f"{floored} of the 8 outputs of this step's batch have a(1 - a) below 1e-12" in detail, detail
    said = float(detail.split("falls short of the documents' a - y by up to ")[1].split(" ")[0])
    assert said == pytest.approx(share, rel=0.05), detail


class _Spread:
    """Operands whose first-order spread is given, whatever the distances."""

    def __init__(self, value):
        self.value = value

    def spread(self, distances):
        return self.value


@pytest.mark.parametrize(
    "spread, J_off, agree",
    [
        (1e-3, 1.5e-3, True),  # within twice the spread (SPREAD_SAFETY)
        (1e-3, 3e-3, False),  # past it
        (1.0, 0.9 * AMPLIFIED_CEILING, True),  # a spread of all of J: the allowance stops at the ceiling
        (1.0, 1.5 * AMPLIFIED_CEILING, False),
    ],
)
def test_Js_allowance_where_a_run_amplifies_is_twice_the_spread_up_to_the_ceiling(spread, J_off, agree):
    """J = 1 with no rounding, a shadow 1e-12 from torch: the spread, however large (the distances of
    two runs that went apart), never lets J past AMPLIFIED_CEILING (1 %) of |J|."""
    tol = amplified_loss_tolerance(trajectory_tolerance("float64", 10), 1.0, 0.0, 1e-12, _Spread(spread), {"W1": 1.0})
    assert compare_arrays("J", np.array(1.0 + J_off), np.array(1.0), tol).ok is agree


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_the_shadows_nudge_is_a_rounding_per_step_drawn_from_its_seed(dtype):
    """Each parameter moves by at most one eps relative per step, and the same seed draws the same nudges."""
    eps = float(np.finfo(dtype).eps)
    params = initial_parameters([3, 4, 2], "tanh", 0, dtype)

    def run(seed):
        twin = Twin([3, 4, 2], ["tanh", "identity"], dtype).load(params)
        steps = ((0, k, 0.0, twin) for k in range(1))
        ((_, _, _, nudged_twin),) = torch_training.nudged(steps, eps, seed)
        return nudged_twin.parameters_as_numpy()

    first, again, other = run(0), run(0), run(1)
    for name, value in params.items():
        np.testing.assert_array_equal(first[name], again[name])
        moved = np.abs(first[name] - value)
        assert np.all(moved <= 2 * eps * np.abs(value)), name  # (1 + eps u) rounds to within an eps
    assert any(np.any(first[n] != value) for n, value in params.items())
    assert any(np.any(first[n] != other[n]) for n in params)
