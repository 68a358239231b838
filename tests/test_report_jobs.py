"""`crosscheck report --jobs N`: sections shared between processes give the report one process gives,
and a worker that dies fails its section by name instead of passing it."""

import multiprocessing
import os

import pytest

from crosscheck.cli import main
from crosscheck.core.matrix import kink_matrix, quick_matrix
from crosscheck.report import collect, model, runner
from crosscheck.report.context import Context
from crosscheck.report.providers import PROVIDERS, Provider

SMALL = ("matrix", "kinks", "environment")


def _small_context(out_dir):
    kinks = [c for c in kink_matrix() if c.pairing == "softmax_cce" and c.m == 7 and c.hidden == "relu"]
    return Context(out_dir=out_dir, progress=False, quick=True, cases=quick_matrix()[::30], kinks=kinks)


def _numbers(report):
    # The environment's timings and process facts differ between runs by nature; everything else must not.
    return {s.key: (s.status, s.summary, s.records, s.data) for s in report.sections if s.key != "environment"}


def test_two_processes_give_the_report_one_process_gives(tmp_path):
    providers = [p for p in PROVIDERS if p.key in SMALL]
    alone = collect(_small_context(tmp_path / "one"), providers, jobs=1)
    shared = collect(_small_context(tmp_path / "two"), providers, jobs=2)
    assert [s.key for s in shared.sections] == ["verdict", *[p.key for p in providers]]
    assert _numbers(shared) == _numbers(alone)
    assert shared.exit_status == alone.exit_status == 0


def _dies(ctx):
    os._exit(9)  # a worker killed mid-section (out of memory, a signal) leaves no result behind


def _passes(ctx):
    return model.Section("x", "x", summary={"checks": 1, "failures": 0, "errata": 0})


@pytest.mark.parametrize("method", ["fork", "spawn"])  # spawn is what a GPU host uses
def test_a_worker_that_dies_fails_its_section_by_name(tmp_path, method, monkeypatch):
    monkeypatch.setattr(runner, "_start_method", lambda ctx: multiprocessing.get_context(method))
    # Heaviest first: the worker takes the dying section. A section the dead pool had queued fails
    # with it; one this process took in time passes. Neither may pass unbuilt.
    providers = [Provider("dies", "Dies", _dies, weight=10)] + [
        Provider(f"light{i}", "Light", _passes, weight=0) for i in range(3)
    ]
    report = collect(Context(out_dir=tmp_path, progress=False), providers, jobs=2)
    assert report.section("dies").status == "fail" and "BrokenProcessPool" in report.section("dies").note
    for s in report.sections[2:]:
        assert s.status == "ok" or "BrokenProcessPool" in s.note, s.note
    assert any(s.status == "ok" for s in report.sections[2:])
    assert report.exit_status == 1 and report.section("verdict").data["verdict"] == "FAIL"


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
    assert [[p.key for p in unit] for unit in runner.units(providers)][0] == ["shared0", "shared1"]
    report = collect(Context(out_dir=tmp_path, progress=False), providers, jobs=2)
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
