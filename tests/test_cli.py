"""The command line's contract: exit 2 on bad usage, with a message rather than a traceback."""

import gc
import json
import pathlib
import subprocess
import sys
import tomllib

import pytest

from crosscheck.cli import COMMANDS, build_parser, chosen, entry, main

# (argv, the usage shown): a command's own arguments wrong show that command's usage
USAGES = [
    ([], "usage: crosscheck [-h]"),
    (["no-such-command"], "usage: crosscheck [-h]"),
    (["report", "--no-such-option"], "usage: crosscheck report "),
    (["compare", "a.json", "b.json", "c.json"], "usage: crosscheck compare "),  # the top's usage came
    (["ops", "extra"], "usage: crosscheck ops "),
]


@pytest.mark.parametrize("argv, usage", USAGES)
def test_bad_usage_exits_2(argv, usage, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert capsys.readouterr().err.startswith(usage)


@pytest.fixture
def unfrozen():
    """Nothing frozen before the test, so that only entry() can have frozen anything; afterwards
    everything alive frozen again, as tests/conftest.py keeps a worker's heap."""
    gc.unfreeze()
    yield
    gc.collect()
    gc.freeze()


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


@pytest.mark.parametrize(
    ("argv", "command"),
    [([], None), (["--help"], None), (["--debug", "ops", "--json"], "ops"), (["train", "digits"], "train")],
)
def test_the_command_is_the_first_word_that_is_not_an_option(argv, command):
    assert chosen(argv) == command


def test_a_parser_built_for_one_command_leaves_the_others_bare():
    sub = next(a for a in build_parser({"compare"})._actions if a.dest == "command")
    assert list(sub.choices) == list(COMMANDS)
    with_arguments = {name for name, p in sub.choices.items() if len(p._actions) > 1}  # more than -h
    assert with_arguments == {"compare"}
    whole = next(a for a in build_parser()._actions if a.dest == "command")
    assert all(len(p._actions) > 2 for p in whole.choices.values())  # -h, the command's own, --debug
    assert [a.help for a in sub._choices_actions] == [a.help for a in whole._choices_actions]


# A fresh interpreter (this one has torch loaded): what each light use of the command imports.
LIGHT = """
import contextlib, io, json, sys
from crosscheck.cli import main
loaded = {}
for argv in (["--help"], ["no-such-command"], ["report", "--help"], ["example", "--list"], ["compare", *sys.argv[1:]]):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(argv)
        except SystemExit:
            pass
    loaded[" ".join(argv)] = sorted(m for m in ("torch", "matplotlib", "sklearn") if m in sys.modules)
print(json.dumps(loaded))
"""


def test_the_light_uses_of_the_command_load_no_torch():
    """Each command's module is imported only when that command runs: --help, a usage error,
    `report --help`, `example --list` and `compare` take a tenth of a second instead of the 2 s that
    torch and matplotlib cost."""
    report = pathlib.Path(__file__).resolve().parents[1] / "reports" / "report.json"  # the committed sample
    argv = [sys.executable, "-c", LIGHT, str(report), str(report)]
    loaded = json.loads(subprocess.run(argv, capture_output=True, text=True, check=True).stdout)
    assert loaded == {
        "--help": [],
        "no-such-command": [],
        "report --help": [],
        "example --list": [],
        f"compare {report} {report}": [],
    }
