"""The command line's contract: exit 2 on bad usage, with a message rather than a traceback."""

import gc
import pathlib
import sys
import tomllib

import pytest

from crosscheck.cli import entry, main


@pytest.mark.parametrize("argv", [[], ["no-such-command"], ["report", "--no-such-option"]])
def test_bad_usage_exits_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.fixture
def unfrozen():
    """Nothing frozen before the test, and the collector given back after it: gc.freeze() is for a
    process about to exit."""
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize(("argv", "status"), [(["ops"], 0), (["no-such-command"], 2)])
def test_the_installed_command_exits_with_mains_status_and_skips_the_final_collection(
    argv, status, monkeypatch, unfrozen
):
    monkeypatch.setattr(sys, "argv", ["crosscheck", *argv])
    try:
        got = entry()
    except SystemExit as exc:  # argparse's bad usage leaves main() this way
        got = exc.code
    assert got == status
    assert gc.get_freeze_count() > 0, "the objects alive at exit are frozen, out of the last collection's walk"
    scripts = tomllib.loads((pathlib.Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert scripts["project"]["scripts"]["crosscheck"] == "crosscheck.cli:entry"
