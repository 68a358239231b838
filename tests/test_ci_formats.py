"""What CI and scripts read: JSON from every command that prints a table, plain progress lines in logs,
pytest arguments passed through `make test`, and a report folder that git does not track."""

import io
import json
import pathlib
import shutil
import subprocess

import pytest

from crosscheck import cli
from crosscheck.core import progress
from crosscheck.core.matrix import kink_matrix, quick_matrix
from crosscheck.report import collect, command, write
from crosscheck.report.context import Context
from crosscheck.report.providers import PROVIDERS

ROOT = pathlib.Path(__file__).resolve().parents[1]


# --- --json ------------------------------------------------------------------------------------


def _small_build(out_dir, quick=False, progress=True, **_):
    """`crosscheck report` on two matrix cases and one kink case: the command's plumbing, quickly."""
    ctx = Context(
        out_dir=pathlib.Path(out_dir), quick=quick, progress=False, cases=quick_matrix()[:2], kinks=kink_matrix()[:1]
    )
    report = collect(ctx, providers=[p for p in PROVIDERS if p.key in ("matrix", "kinks")])
    return report, write(report, out_dir)


# (argv, what the JSON holds: a list of records with these keys, or a dict with these keys)
JSON_COMMANDS = [
    (
        ["bench", "--quick", "--repeats", "1", "--no-progress", "--json"],
        ("list", {"dtype", "m", "reference_ms", "torch_ms"}),
    ),
    (
        ["train", "diabetes", "--epochs", "1", "--hidden", "4", "--no-progress", "--json"],
        ("dict", {"dataset", "config", "ok", "history", "first_divergence", "loss_curves"}),
    ),
    (["example", "--list", "--json"], ("list", {"name", "example", "source"})),
    (["report", "--no-progress", "--json"], ("dict", {"verdict", "headline", "exit_status", "sections", "files"})),
]


@pytest.mark.parametrize("argv, shape", JSON_COMMANDS, ids=lambda v: v[0] if isinstance(v, list) else None)
def test_json_output(argv, shape, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # default output folders land here, never in the checkout
    monkeypatch.setattr(command, "build", _small_build)
    assert cli.main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    kind, keys = shape
    if kind == "list":
        assert isinstance(doc, list) and doc and all(keys <= set(item) for item in doc)
    else:
        assert isinstance(doc, dict) and keys <= set(doc)


# --- progress ----------------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


# (seconds per update, updates, total, lines printed): a tenth at most once a second, every 10 s
# when slower, and one line at the end; nothing when switched off.
PROGRESS = [
    (0.001, 1000, 1000, 1),  # fast: only the closing line
    (0.5, 100, 100, 1 + 9),  # 50 s: each tenth (they come 5 s apart)
    (0.05, 100, 100, 1 + 4),  # 5 s: a tenth every 0.5 s, printed once a second: 2nd, 4th, 6th, 8th tenth
    (30.0, 3, None, 1 + 2),  # no total, slow: every 10 s
]


@pytest.mark.parametrize("dt, updates, total, lines", PROGRESS, ids=["fast", "slow", "quick-tenths", "no-total"])
def test_plain_progress_lines(dt, updates, total, lines):
    stream, clock = io.StringIO(), Clock()
    with progress.Lines(None, "matrix", total, "cases", stream, clock=clock) as bar:
        for _ in range(updates):
            clock.t += dt
            bar.update(1)
    out = stream.getvalue().splitlines()
    assert len(out) == lines, out
    assert out[-1].startswith(f"matrix: {updates}") and "\r" not in stream.getvalue()


def test_progress_bar_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert isinstance(progress.bar(range(3), "x", stream=io.StringIO()), progress.Lines)
    assert not isinstance(progress.bar(range(3), "x", stream=Terminal()), progress.Lines)
    quiet = io.StringIO()
    assert list(progress.bar(range(3), "x", enabled=False, stream=quiet)) == [0, 1, 2] and quiet.getvalue() == ""


# --- set-up and folders ------------------------------------------------------------------------


def _git(*args):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)


# train writes no figure unless --out asks for one (tests/test_no_writes.py), so only report has a default folder.
@pytest.mark.parametrize("argv, option", [(["report"], "out")], ids=["report"])
def test_default_output_folders_are_not_tracked(argv, option):
    """What `crosscheck report` and `crosscheck train` write by default is ignored by git: a clone stays clean."""
    out = getattr(cli.build_parser().parse_args(argv), option)
    assert _git("check-ignore", "-q", out).returncode == 0, f"{out} is not ignored by git"
    assert _git("ls-files", out).stdout == "", f"{out} holds tracked files"


def test_make_test_passes_pytest_arguments_through():
    if shutil.which("make") is None:
        pytest.skip("no make")
    dry = subprocess.run(
        ["make", "-n", "test", "PYTEST_ARGS=--junitxml=out.xml -k report"], cwd=ROOT, capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    (line,) = [line for line in dry.stdout.splitlines() if "-m pytest" in line]
    assert line.endswith("-m pytest -n auto -q --junitxml=out.xml -k report")
