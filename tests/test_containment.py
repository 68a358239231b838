"""Student code runs contained, and the CLI ends cleanly however it is stopped.

The behaviours that need a real process of their own: a closed pipe, Ctrl-C, --debug, an
internal error. The per-input outcomes of student code are rows of tests/test_battery.py.
"""

import io
import json
import os
import pathlib
import pickle
import signal
import subprocess
import sys
import time

import pytest
from battery_files import plant

from crosscheck import cli
from crosscheck.core import forkserver, ops_cmd
from crosscheck.derivation import contained
from crosscheck.derivation import student as student_module
from crosscheck.derivation.result import DerivationResult
from crosscheck.derivation.student import judge_file
from crosscheck.derivation.targets import TARGETS
from tests.processes import ended

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _env(tmp_path):
    return {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}


def test_judge_file_returns_a_verdict_and_names_the_outcome(tmp_path):
    plant(tmp_path)
    good = judge_file("relu", tmp_path / "student.py", "good")
    gone = judge_file("relu", tmp_path / "student.py", "calls_os_exit", timeout=5.0)
    assert isinstance(good, DerivationResult) and good.ok and good.outcome == "judged"
    assert not gone.ok and gone.exit_code == 1 and gone.outcome == "exited"
    assert gone.to_dict()["outcome"] == "exited"
    said = judge_file("relu", tmp_path / "student.py", "prints_then_exits", timeout=5.0)
    assert said.outcome == "exited" and "about to leave" in " ".join(said.notes)


FORKED = """
import os, pathlib
import numpy as np
CALLS = []
def counts(Z):
    CALLS.append(1)  # module state: a child that inherited the last check's would count on
    pathlib.Path("seen").write_text(f"{os.getpid()} {len(CALLS)}")
    return (Z > 0).astype(float)
def kills_its_parent(Z):
    os.kill(os.getppid(), 9)
    return (Z > 0).astype(float)
def forges_a_status(Z):
    # The zygote's stdout is the parent's pipe; the child's own fds do not reach it, /proc does.
    with open(f"/proc/{os.getppid()}/fd/1", "w") as pipe:
        pipe.write('{"pid": 1, "status": 0}\\n{"pid": 1}\\n')
    return (Z > 0).astype(float)
def interrupts(Z):
    raise KeyboardInterrupt
"""
ZYGOTE_ONLY = pytest.mark.skipif(not contained.FORK, reason="checks fork from a zygote on Linux only")


@pytest.mark.parametrize("fork", [True, False], ids=["zygote", "fresh interpreter"])
def test_both_ways_of_starting_a_child_give_the_same_outcomes(fork, tmp_path, monkeypatch):
    """Outside Linux each check starts a fresh interpreter (contained.FORK): the same outcomes."""
    monkeypatch.setattr(contained, "FORK", fork)
    plant(tmp_path)
    student = tmp_path / "student.py"
    assert judge_file("relu", student, "good").ok
    assert judge_file("relu", student, "calls_os_exit", timeout=5.0).outcome == "exited"
    assert judge_file("relu", student, "kills_itself", timeout=5.0).outcome == "crashed"
    assert judge_file("relu", student, "hangs", timeout=0.25).outcome == "timeout"  # never returns: any limit
    assert judge_file("relu", student, "huge", timeout=5.0).outcome == "out of memory"
    (tmp_path / "forked.py").write_text(FORKED)
    assert judge_file("relu", tmp_path / "forked.py", "interrupts", timeout=5.0).outcome == "crashed"
    for _ in range(5):  # a limit shorter than the start-up: the child may not even have opened its log
        assert judge_file("relu", student, "good", timeout=1e-4).outcome == "timeout"


@ZYGOTE_ONLY
@pytest.mark.skipif(not pathlib.Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_student_that_writes_into_the_zygotes_pipe_gets_no_result_and_the_next_check_is_clean(tmp_path):
    (tmp_path / "forked.py").write_text(FORKED)
    forged = judge_file("relu", tmp_path / "forked.py", "forges_a_status", timeout=10.0)
    assert not forged.ok and forged.outcome == "no result" and "tampered with" in str(forged.to_dict())
    assert judge_file("relu", tmp_path / "forked.py", "counts").ok


@pytest.mark.parametrize(
    "limits, word",
    [({"memory": 2**47 + 1}, "--memory"), ({"memory": 2**63}, "--memory"), ({"timeout": 86400.5}, "--timeout")],
    ids=["memory past 2**47", "memory past a C long", "timeout past a day"],
)
def test_limits_past_what_the_child_can_be_given_are_bad_usage(limits, word, tmp_path):
    plant(tmp_path)
    with pytest.raises(ValueError, match=f"{word}: expected"):
        judge_file("relu", tmp_path / "student.py", "good", **limits)


def test_memory_above_the_hard_limit_is_bad_usage(tmp_path, monkeypatch):
    plant(tmp_path)
    monkeypatch.setattr(student_module.resource, "getrlimit", lambda which: (2**30, 2**30))
    with pytest.raises(ValueError, match=r"--memory: expected at most .* hard address-space limit, 1073741824"):
        judge_file("relu", tmp_path / "student.py", "good", memory=2**31)


@ZYGOTE_ONLY
def test_checks_share_one_zygote_and_each_child_starts_fresh(tmp_path, monkeypatch):
    (tmp_path / "forked.py").write_text(FORKED)
    seen = []
    real = contained._run_child

    def spy(workdir, timeout, memory):
        status = real(workdir, timeout, memory)
        seen.append(((workdir / "seen").read_text().split(), contained._zygote.proc.pid))
        return status

    monkeypatch.setattr(contained, "_run_child", spy)
    assert judge_file("relu", tmp_path / "forked.py", "counts").ok
    assert judge_file("relu", tmp_path / "forked.py", "counts").ok
    (pid1, calls1), zygote1 = seen[0]
    (pid2, calls2), zygote2 = seen[1]
    assert zygote1 == zygote2 and pid1 != pid2  # one zygote, a child per check
    assert calls1 == calls2  # the second child loaded the student's file anew


@ZYGOTE_ONLY
def test_a_student_that_ends_the_zygote_gets_an_outcome_and_the_next_check_a_new_zygote(tmp_path):
    (tmp_path / "forked.py").write_text(FORKED)
    ended = judge_file("relu", tmp_path / "forked.py", "kills_its_parent", timeout=10.0)
    assert not ended.ok and ended.exit_code == 1 and ended.outcome == "crashed"
    assert "ended the process that started it" in str(ended.to_dict())
    assert judge_file("relu", tmp_path / "forked.py", "counts").ok


@ZYGOTE_ONLY
def test_an_interrupted_check_ends_its_child_and_the_next_check_is_not_misread(tmp_path, monkeypatch):
    """Ctrl-C while a child runs: the child ends, and the zygote's late answer is never read as the
    next job's (the zygote is replaced)."""
    (tmp_path / "student.py").write_text(HANGS)
    real = forkserver.ForkServer.status
    children = []

    def interrupted(self, pid, timeout):
        if not children:
            deadline = time.monotonic() + 30
            while not (running := list(tmp_path.glob("crosscheck-student-*/running"))) or not running[0].read_text():
                assert time.monotonic() < deadline, "the student's code never ran"
                time.sleep(0.02)
            children.append(int(running[0].read_text()))
            raise KeyboardInterrupt
        return real(self, pid, timeout)

    monkeypatch.setattr(contained.tempfile, "tempdir", str(tmp_path))  # the check's folder, to see "running"
    monkeypatch.setattr(forkserver.ForkServer, "status", interrupted)
    with pytest.raises(KeyboardInterrupt):
        judge_file("relu", tmp_path / "student.py", "hangs", timeout=60.0)
    assert not contained._zygote.usable()  # closed: the next check starts another
    (tmp_path / "forked.py").write_text(FORKED)
    assert judge_file("relu", tmp_path / "forked.py", "counts").ok
    if pathlib.Path("/proc").is_dir():
        deadline = time.monotonic() + 10
        while not ended(children[0]):
            assert time.monotonic() < deadline, "the child still runs the student's code"
            time.sleep(0.02)


SPY = """
import sys
def spy(*args):
    print("loaded:", sorted({m.split(".")[0] for m in sys.modules} & {"torch", "crosscheck"}))
    raise RuntimeError("spy")
"""


@pytest.mark.parametrize("target", ["relu", "network"])  # plain arrays; dicts and lists of caches
def test_the_child_runs_student_code_without_torch_or_crosscheck_loaded(target, tmp_path):
    # The arguments travel by pickle: an object of a crosscheck class would import crosscheck (and
    # torch) into the child, against containment's promise and at 1.5 s a check.
    (tmp_path / "spy.py").write_text(SPY)
    printed = [n for n in judge_file(target, tmp_path / "spy.py", "spy").notes if n.startswith("your function printed")]
    assert printed and set(printed[0].removeprefix("your function printed:").split("\n")) == {
        " loaded: []",
        "loaded: []",
    }


class _Recorder(pickle.Unpickler):
    """Loads a pickle here, noting the module of every class or function it imports."""

    def __init__(self, file):
        super().__init__(file)
        self.modules = set()

    def find_class(self, module, name):
        self.modules.add(module)
        return super().find_class(module, name)


@pytest.mark.parametrize("target", TARGETS)
def test_the_arguments_sent_to_the_child_import_numpy_only(target, tmp_path, monkeypatch):
    """Every target's probe arguments, as written for the child (args.pkl), import nothing but NumPy:
    what the child above shows for two targets, for each target without starting a child."""
    sent = []

    def no_child(workdir, timeout, memory):
        sent.append((workdir / "args.pkl").read_bytes())
        (workdir / "log.txt").write_bytes(b"")
        return 0  # and no result: the check ends there

    monkeypatch.setattr(contained, "_run_child", no_child)
    (tmp_path / "spy.py").write_text(SPY)
    assert not judge_file(target, tmp_path / "spy.py", "spy").ok
    recorder = _Recorder(io.BytesIO(sent[0]))
    recorder.load()
    assert recorder.modules, "the arrays' reconstruction is imported from NumPy"
    assert all(m == "numpy" or m.startswith("numpy.") for m in recorder.modules), recorder.modules


def _into_a_closed_pipe(argv, tmp_path):
    """Run argv with its stdout a pipe whose reader is already closed: its first write fails (EPIPE)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            argv, stdout=write, stderr=subprocess.PIPE, cwd=tmp_path, env=_env(tmp_path), text=True, timeout=300
        )
    finally:
        os.close(write)


def test_a_verdict_outlives_a_closed_pipe(tmp_path):
    """`crosscheck compare OLD NEW | head -1` under pipefail: a regression found is still exit 1 when
    the reader has gone (it was exit 0, and CI passed a report that got worse)."""
    record = {"id": "a", "ok": True, "error": 1e-16, "eps": 2e-16}
    for name, r in (("old.json", record), ("new.json", {**record, "ok": False, "error": 0.5})):
        (tmp_path / name).write_text(json.dumps({"schema_version": 1, "sections": [{"key": "m", "records": [r]}]}))
    done = _into_a_closed_pipe([sys.executable, "-m", "crosscheck", "compare", "old.json", "new.json"], tmp_path)
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_output_that_cannot_be_written_is_exit_2_with_one_line(stdout, tmp_path):
    """`crosscheck ... > /dev/full` and `crosscheck ... >&-`: the output has nowhere to go (both were
    exit 70, "internal error")."""
    argv = [sys.executable, "-m", "crosscheck", "example", "--list"]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            argv,
            stdout=full if stdout == "full" else None,
            stderr=subprocess.PIPE,
            preexec_fn=(lambda: os.close(1)) if stdout == "closed" else None,
            cwd=tmp_path,
            env=_env(tmp_path),
            text=True,
            timeout=300,
        )
    (line,) = done.stderr.splitlines()
    assert done.returncode == 2 and line.startswith("crosscheck example: error: stdout"), done.stderr
    assert "expected somewhere to write the output" in line


def test_a_name_the_terminals_encoding_lacks_prints_escaped(tmp_path):
    """Under PYTHONIOENCODING=ascii an id with a non-ASCII letter ended compare with the codec's words
    (exit 2) in place of its verdict."""
    record = {"id": "Z\u00fc", "ok": True, "error": 1e-16, "eps": 2e-16}
    for name, r in (("old.json", record), ("new.json", {**record, "ok": False, "error": 0.5})):
        (tmp_path / name).write_text(json.dumps({"schema_version": 1, "sections": [{"key": "m", "records": [r]}]}))
    argv = [sys.executable, "-m", "crosscheck", "compare", "old.json", "new.json"]
    env = {**_env(tmp_path), "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(argv, capture_output=True, cwd=tmp_path, env=env, text=True, timeout=300)
    assert done.returncode == 1 and "WORSE    m/Z\\xfc: passed, now fails" in done.stdout, done.stderr


def test_output_into_a_closed_pipe_exits_0_quietly(tmp_path):
    """`python -m crosscheck` started outside the checkout (the repository on PYTHONPATH only) writes
    into a pipe nobody reads any more, as `crosscheck ... | head -1` does once head has its line."""
    plain = _into_a_closed_pipe([sys.executable, "-c", "print('x')"], tmp_path)
    assert plain.returncode != 0 and "BrokenPipeError" in plain.stderr, "the pipe really is closed"
    done = _into_a_closed_pipe([sys.executable, "-m", "crosscheck", "example", "--list"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


HANGS = """
import os, pathlib, time
def hangs(Z):
    pathlib.Path("running").write_text(str(os.getpid()))  # in the child's working folder
    while True:
        time.sleep(0.01)
"""


def test_ctrl_c_exits_130_with_one_line_and_ends_the_child(tmp_path):
    (tmp_path / "student.py").write_text(HANGS)
    argv = ["derivation", "relu", "student.py:hangs", "--timeout", "120"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "crosscheck", *argv],
        cwd=tmp_path,
        env=_env(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
        # A test run started in the background inherits SIGINT ignored; Ctrl-C needs the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 120  # wait until the student's code is running in the child
        while not (running := list(tmp_path.glob("crosscheck-student-*/running"))) or not running[0].read_text():
            assert time.monotonic() < deadline and proc.poll() is None, "the student's code never ran"
            time.sleep(0.02)
        child = int(running[0].read_text())
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err.strip().splitlines() == ["crosscheck derivation: interrupted"]
    assert not any(p.name.startswith("crosscheck-student-") for p in tmp_path.iterdir())
    if pathlib.Path("/proc").is_dir():
        deadline = time.monotonic() + 10
        while not ended(child):
            assert time.monotonic() < deadline, "the child still runs the student's code"
            time.sleep(0.02)


def _broken(args):
    raise ZeroDivisionError("planted")


def test_internal_error_is_one_line_exit_70_and_debug_shows_the_traceback(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ops_cmd, "run", _broken)  # a planted bug inside a command
    assert cli.main(["ops"]) == 70
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "crosscheck ops: internal error: ZeroDivisionError: planted (run with --debug for the traceback)"
    ]
    assert cli.main(["ops", "--debug"]) == 70
    assert "Traceback" in capsys.readouterr().err
    assert cli.main(["--debug", "ops"]) == 70
    assert "Traceback" in capsys.readouterr().err


def test_bad_input_with_debug_shows_the_traceback(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["derivation", "relu", "missing.py:f", "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().splitlines()[-1].startswith("crosscheck derivation: error:")
