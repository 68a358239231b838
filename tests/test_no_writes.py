"""No command writes into the working folder unless asked, and --help names every default path."""

import os
import pathlib
import sys

import pytest
from hypothesis.configuration import storage_directory

from crosscheck import cli
from tests.printed import unprintable

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_train_without_out_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status = cli.main(["train", "digits", "--epochs", "1", "--hidden", "4", "--no-progress"])
    out = capsys.readouterr().out
    assert status == 0 and "loss curves" not in out
    assert os.listdir(tmp_path) == []


# The second folder's name would clear a terminal's screen: it is printed with its escapes
@pytest.mark.parametrize("out, shown", [("figs", "figs"), ("f\x1b[2J\rigs", r"f\x1b[2J\rigs")])
def test_train_with_out_writes_the_figure_there(tmp_path, monkeypatch, capsys, out, shown):
    monkeypatch.chdir(tmp_path)
    status = cli.main(["train", "digits", "--epochs", "1", "--hidden", "4", "--no-progress", "--out", out])
    assert status == 0 and os.listdir(tmp_path) == [out]
    assert os.listdir(tmp_path / out) == ["digits_loss.png"]
    printed = capsys.readouterr().out
    assert not unprintable(printed), printed
    assert f"loss curves: {shown}/digits_loss.png" in printed


@pytest.mark.parametrize("command, default", [("report", "build/report/"), ("train", "no figure")])
def test_help_names_the_default_output(command, default, capsys):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    assert default in " ".join(capsys.readouterr().out.split())


def test_the_suite_keeps_its_caches_outside_the_checkout(request):
    """pytest's cache and Hypothesis's database default to .pytest_cache and .hypothesis in the checkout."""
    caches = {"Hypothesis storage": storage_directory(intent_to_write=False).home_directory}
    if hasattr(request.config, "cache"):  # absent under -p no:cacheprovider (nox, the mutants' runs)
        caches["pytest cache_dir"] = request.config.cache.mkdir("crosscheck-probe").parent.parent
    if sys.pycache_prefix:  # `make test` caches bytecode there (PYTHONPYCACHEPREFIX)
        caches["bytecode cache"] = pathlib.Path(sys.pycache_prefix)
    for name, path in caches.items():
        assert not path.resolve().is_relative_to(ROOT), f"{name} is {path}, inside the checkout"
