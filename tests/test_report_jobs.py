"""`crosscheck report --jobs N`: sections shared between processes give the report one process gives,
and a worker that dies fails its section by name instead of passing it."""

import contextlib
import itertools
import multiprocessing
import os
import pathlib
import signal
import subprocess
import sys
import time

import pytest

from crosscheck.cli import main
from crosscheck.core.matrix import kink_matrix, quick_matrix
from crosscheck.core.realistic import BATCHES, RealisticCase, realistic_tier
from crosscheck.core.tolerances import DTYPES
from crosscheck.report import collect, model, runner
from crosscheck.report.context import Context
from crosscheck.report.providers import PROVIDERS, Provider, Split
from tests.processes import children, ended

ROOT = pathlib.Path(__file__).resolve().parents[1]
SMALL = ("matrix", "kinks", "realistic", "environment")


def _small_context(out_dir):
    kinks = [c for c in kink_matrix() if c.pairing == "softmax_cce" and c.m == 7 and c.hidden == "relu"]
    # small networks, in the tier's product order (a split section's parts must come back in order)
    realistic = [
        RealisticCase((20, 6, 5, 3), hidden, m, dtype)
        for hidden in ("relu", "tanh")
        for m in (4, 9)
        for dtype in DTYPES
    ]
    return Context(
        out_dir=out_dir, progress=False, quick=True, cases=quick_matrix()[::30], kinks=kinks, realistic=realistic
    )


def _numbers(report):
    # The environment's timings and process facts differ between runs by nature; everything else must not.
    return {s.key: (s.status, s.summary, s.records, s.data) for s in report.sections if s.key != "environment"}


def test_two_processes_give_the_report_one_process_gives(tmp_path):
    providers = [p for p in PROVIDERS if p.key in SMALL]
    ctx = _small_context(tmp_path / "two")
    # the matrix and the realistic tier go in parts, assembled in order from records made in both processes
    assert {t.unit[0].key for t in runner.tasks(providers, ctx) if t.part is not None} == {"matrix", "realistic"}
    alone = collect(_small_context(tmp_path / "one"), providers, jobs=1)
    shared = collect(ctx, providers, jobs=2)
    assert [s.key for s in shared.sections] == ["verdict", *[p.key for p in providers]]
    for report in (alone, shared):  # timings differ between runs by nature; the rest must not
        realistic = report.section("realistic")
        assert len([r.pop("seconds") for r in realistic.records]) == 8 and realistic.data.pop("seconds") >= 0
    assert _numbers(shared) == _numbers(alone)
    assert shared.exit_status == alone.exit_status == 0


def _dies(ctx):
    os._exit(9)  # a worker killed mid-section (out of memory, a signal) leaves no result behind


def _passes(ctx):
    return model.Section("x", "x", summary={"checks": 1, "failures": 0, "errata": 0})


@pytest.mark.parametrize("method", ["fork", "spawn"])  # spawn is what a GPU host uses
def test_a_worker_that_dies_fails_its_section_by_name(tmp_path, method, monkeypatch):
    monkeypatch.setattr(runner, "_start_method", lambda ctx: multiprocessing.get_context(method))
    # Heaviest first: the worker takes the dying section, which fails naming the worker's death;
    # the others, built here, pass.
    providers = [Provider("dies", "Dies", _dies, weight=10)] + [
        Provider(f"light{i}", "Light", _passes, weight=0) for i in range(3)
    ]
    report = collect(Context(out_dir=tmp_path, progress=False), providers, jobs=2)
    note = report.section("dies").note
    assert report.section("dies").status == "fail" and "WorkerDied" in note and "exit code 9" in note, note
    assert [s.status for s in report.sections[2:]] == ["ok"] * 3
    assert report.exit_status == 1 and report.section("verdict").data["verdict"] == "FAIL"


def _case_records(ctx, cases):
    return [{"case": c, "pid": os.getpid()} for c in cases]


def _raises_on_case_3(ctx, cases):
    if 3 in cases:
        raise ArithmeticError("case 3 went wrong")
    return _case_records(ctx, cases)


def _assembled(ctx, records):
    return model.Section("x", "x", records=records, summary={"checks": len(records), "failures": 0, "errata": 0})


def _split(records, parts=4):
    # Context.cases holds the cases, here the numbers 0-9; the records say which process made them
    return Provider("split", "Split", None, weight=8, split=Split("cases", records, _assembled, parts=parts))


@pytest.mark.parametrize("build, split", [(None, None), (_passes, Split("cases", _case_records, _assembled, parts=2))])
def test_a_provider_has_a_build_function_or_a_split_exactly_one(build, split):
    with pytest.raises(ValueError, match="provider 'x': expected a build function or a split, exactly one"):
        Provider("x", "X", build, split=split)


def test_a_split_section_is_reassembled_in_the_order_of_its_cases(tmp_path):
    providers = [_split(_case_records), Provider("other", "Other", _pid, weight=1)]
    ctx = Context(out_dir=tmp_path, progress=False, cases=list(range(10)))
    assert [(t.part, t.parts, t.weight) for t in runner.tasks(providers, ctx)][:4] == [(k, 4, 2.0) for k in range(4)]
    report = collect(ctx, providers, jobs=2)
    assert [r["case"] for r in report.section("split").records] == list(range(10))
    assert report.section("split").summary["checks"] == 10 and report.exit_status == 0


def test_a_split_section_with_fewer_cases_than_parts_runs_one_part_a_case(tmp_path):
    ctx = Context(out_dir=tmp_path, progress=False, cases=[7, 8])
    assert [t.parts for t in runner.tasks([_split(_case_records)], ctx)] == [2, 2]
    ctx.cases = []
    assert [(t.part, t.parts) for t in runner.tasks([_split(_case_records)], ctx)] == [(None, 1)]  # built whole


def test_a_part_that_raises_fails_its_section_by_name_and_no_other(tmp_path):
    providers = [_split(_raises_on_case_3), Provider("other", "Other", _passes, weight=1)]
    report = collect(Context(out_dir=tmp_path, progress=False, cases=list(range(10))), providers, jobs=2)
    failed = report.section("split")
    assert failed.status == "fail" and "ArithmeticError" in failed.note and "case 3 went wrong" in failed.note
    assert report.section("other").status == "ok"
    assert report.exit_status == 1 and report.section("verdict").data["verdict"] == "FAIL"


def _dies_in_a_worker(ctx, cases):
    if multiprocessing.parent_process() is not None:
        os._exit(9)  # only in a worker: in this process it would end the test run
    return _case_records(ctx, cases)


def test_a_part_whose_worker_dies_fails_its_section(tmp_path):
    # the worker dies on the first part it takes, and the parts it never took are run here: the
    # section fails all the same, one part's cases having no records
    providers = [_split(_dies_in_a_worker), Provider("other", "Other", _passes, weight=1)]
    report = collect(Context(out_dir=tmp_path, progress=False, cases=list(range(10))), providers, jobs=2)
    assert report.section("split").status == "fail" and "WorkerDied" in report.section("split").note
    assert report.section("other").status == "ok"


def test_the_tier_is_dealt_to_parts_of_even_cost_each_holding_both_dtypes_and_batches():
    """The tier comes in a product order whose (dtype, m) axes repeat every 4 cases: dealt by a plain
    stride of 8, each part held one dtype and one m, and the float64 m = 2048 parts cost the most."""
    tier = realistic_tier()
    split = {p.key: p for p in PROVIDERS}["realistic"].split
    dealt = runner._dealt(tier, split.parts, split.cost)
    assert sorted(i for indices in dealt for i in indices) == list(range(len(tier)))
    costs = [sum(split.cost(tier[i]) for i in indices) for indices in dealt]
    assert max(costs) <= 1.1 * min(costs), costs
    for indices in dealt:
        assert {(tier[i].dtype, tier[i].m) for i in indices} == set(itertools.product(DTYPES, BATCHES)), indices
    stride = [tier[k :: split.parts] for k in range(split.parts)]  # what the test rules out
    assert max(len({(c.dtype, c.m) for c in part}) for part in stride) == 1


class _Unloadable(Exception):
    def __init__(self, what, why):
        super().__init__(what)  # pickles with one argument, and cannot be made again from it


_CALLS = []


def _unloadable_once_in_a_worker(ctx, cases):
    if multiprocessing.parent_process() is not None and not _CALLS:
        _CALLS.append(1)
        raise _Unloadable("first", "part")
    return _case_records(ctx, cases)


def test_an_outcome_that_does_not_unpickle_fails_its_section_with_that_reason(tmp_path):
    report = collect(
        Context(out_dir=tmp_path, progress=False, cases=list(range(10))), [_split(_unloadable_once_in_a_worker)], jobs=2
    )
    note = report.section("split").note
    assert report.section("split").status == "fail" and "_Unloadable.__init__()" in note, note


ORPHANED = """
import multiprocessing, os, pathlib, signal, sys
from crosscheck.report.workers import Workers
workers = Workers(2, lambda task, ctx: task, None, multiprocessing.get_context("fork"))
pathlib.Path(sys.argv[1]).write_text(" ".join(str(p.pid) for p in multiprocessing.active_children()))
os.kill(os.getpid(), signal.SIGKILL)  # the parent dies before it can end its workers
"""


@pytest.mark.skipif(sys.platform != "linux", reason="forks, and finds the workers through /proc")
def test_workers_end_when_their_parent_dies(tmp_path):
    """A forked worker holds no copy of the parent's ends of the pipes: their closing with the
    parent's death reaches it, and it ends instead of waiting forever."""
    pids = tmp_path / "workers"
    # no pipes to the child: workers that outlived it would hold them open, and the run would never end
    proc = subprocess.run(
        [sys.executable, "-c", ORPHANED, str(pids)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
    )
    workers = [int(pid) for pid in pids.read_text().split()]
    assert proc.returncode == -signal.SIGKILL and len(workers) == 2
    try:
        deadline = time.monotonic() + 10
        while not all(ended(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker outlived its parent"
            time.sleep(0.02)
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _interrupted_in_a_worker(ctx):
    if multiprocessing.parent_process() is not None:
        raise KeyboardInterrupt  # Ctrl-C reaches every process of the group; here the worker's alone
    return _passes(ctx)


def test_ctrl_c_in_a_worker_interrupts_the_report(tmp_path):
    """Not a section that failed, and not a hang at exit: the interrupt goes on to the command (130)."""
    providers = [Provider("a", "A", _interrupted_in_a_worker, weight=10), Provider("b", "B", _passes, weight=1)]
    with pytest.raises(KeyboardInterrupt):
        collect(Context(out_dir=tmp_path, progress=False), providers, jobs=2)


@pytest.mark.skipif(not pathlib.Path("/proc/self/task").is_dir(), reason="finds the workers through /proc")
def test_ctrl_c_ends_the_report_and_its_workers_with_one_line(tmp_path):
    """Ctrl-C in a terminal reaches the whole process group, the report's workers too: the command
    says so in one line and exits 130, with no worker's traceback, and no worker is left running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crosscheck", "report", "--quick", "--jobs", "2", "--out", str(tmp_path / "r")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a process group of its own, as a terminal's foreground job has
        # a test run started in the background inherits SIGINT ignored; Ctrl-C needs the default
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while not (workers := children(proc.pid)):  # the pool is up: both processes are at work
            assert time.monotonic() < deadline and proc.poll() is None, "the report started no worker"
            time.sleep(0.02)
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip().splitlines()[-1] == "crosscheck report: interrupted", err
    deadline = time.monotonic() + 10
    while not all(ended(pid) for pid in workers):
        assert time.monotonic() < deadline, "a worker still runs"
        time.sleep(0.02)


@pytest.mark.parametrize("jobs", [0, -1, 1.5, "2"])
def test_jobs_must_be_a_whole_number_of_processes(tmp_path, jobs):
    with pytest.raises(ValueError, match="--jobs: expected a whole number of processes >= 1"):
        collect(Context(out_dir=tmp_path, progress=False), [], jobs=jobs)


@pytest.mark.parametrize("value", ["0", "two"])
def test_report_jobs_flag_rejects_a_bad_count_with_exit_2(value, capsys, tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["report", "--out", str(tmp_path), "--jobs", value])
    assert info.value.code == 2 and "argument --jobs: expected a positive whole number" in capsys.readouterr().err


def _pid(ctx):
    return model.Section("x", "x", data={"pid": os.getpid()}, summary={"checks": 1, "failures": 0, "errata": 0})


def test_sections_that_share_slow_imports_are_built_in_one_process(tmp_path):
    """Four light sections alone and two of one unit: whichever process takes the unit builds both,
    one after the other, so only that process loads the libraries they share."""
    providers = [Provider(f"alone{i}", "Alone", _pid, weight=3) for i in range(4)] + [
        Provider(f"shared{i}", "Shared", _pid, weight=2, shares="libraries") for i in range(2)
    ]
    ctx = Context(out_dir=tmp_path, progress=False)
    assert [[p.key for p in task.unit] for task in runner.tasks(providers, ctx)][0] == ["shared0", "shared1"]
    report = collect(ctx, providers, jobs=2)
    pids = {s.key: s.data["pid"] for s in report.sections[1:]}
    assert pids["shared0"] == pids["shared1"]
    assert [s.key for s in report.sections[1:]] == [p.key for p in providers]  # the registry's order, still


def test_the_registry_keeps_the_sections_that_load_scikit_learn_and_dynamo_together():
    """Built alone in a fresh process, these three load torch.optim's dynamo (and the first two
    scikit-learn), the other sections neither: one unit for the three, every other section alone."""
    together = ("training", "catalogue", "examples")
    by_key = {p.key: p for p in PROVIDERS}
    assert by_key["training"].shares == by_key["catalogue"].shares == by_key["examples"].shares != ""
    assert [p.key for p in PROVIDERS if p.shares and p.key not in together] == []
