"""The device axis of `crosscheck train`: the twin trains on --device, a missing one is bad usage."""

import pytest

from crosscheck import cli
from crosscheck.training.runs import DEFAULTS, train_side_by_side
from torch_impl import runtime

MISSING = [d for d in runtime.DEVICES if not runtime.available(d)[0]]


@pytest.mark.parametrize("device", MISSING)
def test_train_on_a_missing_device_exits_2_with_the_reason(device, tmp_path, capsys):
    code = cli.main(["train", "digits", "--device", device, "--epochs", "1", "--out", str(tmp_path), "--no-progress"])
    assert code == 2
    assert f"{device} requested but torch." in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_train_runs_on_the_requested_device(device):
    """Float32 on the suite's --device, TF32 off: the trajectory stays within its bound."""
    result = train_side_by_side("digits", epochs=1, hidden=(16,), dtype="float32", device=device)
    assert result.ok, result.trajectory.summary()
    assert result.config["device"] == device


def test_train_cli_takes_device_and_tf32(tmp_path, capsys):
    argv = ["train", "digits", "--device", "cpu", "--tf32", "--epochs", "1", "--hidden", "8", "--out", str(tmp_path)]
    assert cli.main([*argv, "--no-progress"]) == 0, capsys.readouterr().out
    assert DEFAULTS["device"] == "cpu"
