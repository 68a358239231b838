"""`crosscheck train`: exit codes, the PNG, and the default digits run's accuracy."""

import warnings

import numpy as np
import pytest
import torch

from crosscheck import cli
from crosscheck.core import convention
from crosscheck.training.runs import train_side_by_side
from reference import training as ref_training
from torch_impl import runtime


def test_train_digits_writes_png_and_agrees(tmp_path, capsys):
    code = cli.main(["train", "digits", "--epochs", "1", "--hidden", "16", "--out", str(tmp_path), "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (tmp_path / "digits_loss.png").stat().st_size > 0
    assert "test accuracy: reference" in out and "largest parameter difference" in out


def test_train_png_path_and_regression(tmp_path):
    path = tmp_path / "sub" / "curve.png"
    code = cli.main(
        [
            "train",
            "diabetes",
            "--epochs",
            "2",
            "--regime",
            "batch",
            "--learning-rate",
            "0.1",
            "--hidden",
            "8,4",
            "--activation",
            "tanh",
            "--out",
            str(path),
            "--no-progress",
        ]
    )
    assert code == 0 and path.exists()


def test_wrong_weight_decay_mapping_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(convention, "weight_decay_for_l2", lambda l2: l2)  # the mapping the docs do not give
    code = cli.main(
        [
            "train",
            "breast_cancer",
            "--epochs",
            "1",
            "--l2",
            "0.01",
            "--l2-as",
            "weight_decay",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    assert code == 1
    assert "diverge: step 0" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["train", "mnist"], ["train", "digits", "--hidden", "a"], ["train", "digits", "--regime", "adam"]]
)
def test_bad_usage_exits_2(argv):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2


def test_zero_epochs_exits_2(tmp_path, capsys):
    # Rejected by argparse's type now (core.arguments), so it leaves by SystemExit(2).
    with pytest.raises(SystemExit) as info:
        cli.main(["train", "digits", "--epochs", "0", "--out", str(tmp_path), "--no-progress"])
    assert info.value.code == 2
    assert "--epochs" in capsys.readouterr().err


def test_default_digits_run_reaches_95_percent_in_both():
    result = train_side_by_side("digits")
    assert result.ok, result.trajectory.summary()
    assert min(result.test_accuracy.values()) >= 0.95, result.test_accuracy


def test_saturated_float32_sigmoid_is_a_divergence_not_bad_input(tmp_path, capsys):
    """At lr 2 in float32 a sigmoid output rounds to exactly 1: the documents' bce is log(0), which the
    reference refuses and torch clamps. That is where the two part, reported as such (exit 1)."""
    code = cli.main(
        [
            "train",
            "breast_cancer",
            "--dtype",
            "float32",
            "--learning-rate",
            "2",
            "--epochs",
            "3",
            "--out",
            str(tmp_path),
            "--no-progress",
        ]
    )
    out = capsys.readouterr()
    assert code == 1
    assert "the reference cannot continue" in out.err and "log" in out.err


# Every shipped data set trains sensibly with the command's own defaults (before: diabetes blew up
# to inf by step 7 and breast_cancer in float32 saturated its sigmoid, both exiting 1).
@pytest.mark.parametrize("argv", [["diabetes"], ["breast_cancer", "--dtype", "float32"]], ids=" ".join)
def test_shipped_data_sets_train_with_defaults(argv, tmp_path, capsys):
    code = cli.main(["train", *argv, "--out", str(tmp_path), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, out[-2000:] + err


def test_sgd_trained_to_a_loss_near_zero_agrees(tmp_path, capsys):
    """Stochastic descent on breast_cancer brings single examples' losses to 1e-8 within one epoch. The
    two sides' J then differ by the rounding of an A[L] next to 1 (5.5e-17 at step 188, half an eps),
    which a bound relative to |J| called a divergence (exit 1). (In float32 the same run rounds a
    sigmoid output to exactly 1 at step 442, where the documents' bce is log(0): the reference
    refuses, as test_saturated_float32_sigmoid_is_a_divergence_not_bad_input expects.)"""
    argv = ["train", "breast_cancer", "--regime", "sgd", "--epochs", "1"]
    code = cli.main([*argv, "--out", str(tmp_path), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 0, out[-2000:] + err


def test_train_diverged_in_both_exits_3_with_its_message(tmp_path, capsys):
    argv = ["train", "diabetes", "--learning-rate", "5", "--epochs", "2", "--out", str(tmp_path), "--no-progress"]
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 3, err
    assert "training diverged in both at step" in err and "lower the learning rate" in err


def test_a_loss_past_overflow_before_any_update_blames_the_regularization(capsys):
    # l2 sum W^2 with l2 = 1e308 overflows at the initial weights: no learning rate could help
    code = cli.main(["train", "digits", "--l2", "1e308", "--regime", "batch", "--epochs", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 3, err
    assert "at step 0" in err and "before any update" in err and "l2" in err
    assert "lower the learning rate" not in err


def test_a_shared_blow_up_says_so_once_without_numpy_warnings(tmp_path, capsys):
    """The blow-up is the verdict's to report: NumPy's overflow warning from inside the reference's loss
    (a path into reference/losses.py on the user's terminal) only said it first, and less clearly."""
    argv = ["train", "diabetes", "--learning-rate", "5", "--epochs", "2", "--no-progress"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = cli.main(argv)
    assert code == 3, capsys.readouterr().err


def test_train_reference_refusing_while_torch_goes_on_exits_1(tmp_path, capsys, monkeypatch):
    """The reference planted to refuse step 3 as its checks refuse an overflow, while torch's diabetes run
    stays finite and moderate: a disagreement at step 3 (exit 1), not 'diverged in both' (exit 3)."""
    train = ref_training.train

    def refusing(*args, **kwargs):
        for item in train(*args, **kwargs):
            if item[1] == 3:
                raise ValueError("L: expected finite values, got inf")
            yield item

    monkeypatch.setattr(ref_training, "train", refusing)
    argv = ["train", "diabetes", "--epochs", "1", "--out", str(tmp_path), "--no-progress"]
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "diverge: step 3 (epoch 0): the reference cannot continue (L: expected finite values" in err
    assert "diverged in both" not in err


def test_a_blow_up_met_by_an_epochs_evaluation_is_diverged_in_both(capsys):
    """diabetes in batch at lr 0.1: the training losses of both sides agree up to 4e132 at step 9, then
    the epoch's evaluation on the test split overflows to inf on both sides. That is a shared blow-up
    (exit 3), not a disagreement (it was exit 1, told as torch's BCELoss clamping, in an mse run)."""
    argv = ["train", "diabetes", "--regime", "batch", "--learning-rate", "0.1", "--epochs", "10", "--no-progress"]
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert code == 3, err
    assert "training diverged in both at step 9" in err and "lower the learning rate" in err
    assert "BCELoss" not in err


def test_the_reference_refusing_an_evaluation_torch_makes_is_a_disagreement(capsys, monkeypatch):
    """The reference planted to refuse the first epoch's evaluation (as its checks refuse an inf) while
    torch's evaluation is finite: a disagreement (exit 1) that names the split and torch's loss there."""
    from crosscheck.training import runs

    class Refusing:
        forward = staticmethod(runs.network.forward)

        @staticmethod
        def cost(*args, **kwargs):
            raise ValueError("L: expected finite values, got inf")

    monkeypatch.setattr(runs, "network", Refusing)
    code = cli.main(["train", "diabetes", "--epochs", "1", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "the reference cannot evaluate the training split after step 11 (L: expected finite values" in err
    assert "torch's loss there:" in err and "diverged in both" not in err and "BCELoss" not in err


def test_a_run_that_parts_past_its_bound_is_taken_again_with_the_shadow(monkeypatch):
    """The shadow runs only where the run fails without it, on the same run; a refusal (no measured
    distance) is not taken again."""
    from crosscheck.training import runs
    from crosscheck.training.trajectory import Divergence, Trajectory

    calls = []
    real = runs._paired_run

    def recording(*args, shadow=False, **kwargs):
        calls.append(shadow)
        trajectory, history, test = real(*args, shadow=shadow, **kwargs)
        if not shadow:
            trajectory.first = Divergence(3, 0, "W1", 1e-9, 1e-9, 1e-12, "planted")
        return trajectory, history, test

    monkeypatch.setattr(runs, "_paired_run", recording)
    result = train_side_by_side("diabetes", epochs=1)
    assert calls == [False, True] and result.ok, result.trajectory.summary()
    assert isinstance(result.trajectory, Trajectory)


def test_an_allocation_that_failed_is_told_from_other_errors():
    # torch's CPU allocator raises a plain RuntimeError: only its words tell it from another
    with pytest.raises(RuntimeError) as refused:
        torch.empty(10**14)  # 400 TB of float32
    with pytest.raises(MemoryError) as numpy_refused:
        np.empty(10**14)
    assert runtime.out_of_memory(refused.value) and runtime.out_of_memory(numpy_refused.value)
    assert runtime.out_of_memory(torch.OutOfMemoryError("CUDA out of memory"))
    assert not runtime.out_of_memory(RuntimeError("mat1 and mat2 shapes cannot be multiplied"))


@pytest.mark.parametrize("options", [{"regime": "batch"}, {"regime": "minibatch", "batch_size": 10**5}], ids=str)
def test_the_run_records_the_batch_size_it_stepped_with(options):
    # digits: 1,797 images, 20 % held out: 1,437 to train on, all in one batch either way
    result = train_side_by_side("digits", epochs=1, **options)
    assert (result.config["batch_size"], result.config["steps"]) == (1437, 1)
