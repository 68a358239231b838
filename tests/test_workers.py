"""How the suite shares the cores: one BLAS and one torch thread per test process (tests/conftest.py),
and the modules that share a costly fixture kept whole on one xdist worker (tests/worker_groups.py)."""

import pathlib
import types

import torch
from threadpoolctl import threadpool_info

import reference.network  # noqa: F401  (NumPy's BLAS loaded, as every worker has it)
from tests.worker_groups import CHUNK, GROUPS, pytest_xdist_make_scheduler, units

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_one_torch_thread():
    assert torch.get_num_threads() == 1


def test_one_thread_in_every_blas_pool():
    pools = threadpool_info()
    assert pools, "threadpoolctl found no BLAS or OpenMP pool"
    assert {p["internal_api"]: p["num_threads"] for p in pools} == {p["internal_api"]: 1 for p in pools}


def test_a_grouped_module_is_one_unit_and_any_other_module_goes_in_runs():
    matrix = [f"tests/test_matrix.py::test_twins_agree[{k}]" for k in range(CHUNK + 1)]
    cli = [f"tests/test_cli.py::test_{k}" for k in range(3)]
    mutants = ["tests/test_mutants.py::test_a[x]", "tests/test_mutants.py::c"]
    found = units([mutants[0], *matrix[:4], *cli, *matrix[4:], "tests/test_browser.py::b", mutants[1]])
    assert found[mutants[0]] == found[mutants[1]]
    assert found["tests/test_browser.py::b"] == GROUPS["tests/test_report.py"]  # another module of the same group
    assert len({found[t] for t in matrix[:CHUNK]}) == 1  # a run of CHUNK tests of one module, others between ...
    assert found[matrix[CHUNK]] != found[matrix[0]]  # ... and the next test starts the next run
    assert len({found[t] for t in cli}) == 1 and found[cli[0]] not in {found[t] for t in matrix}
    assert not {found[t] for t in matrix} & {found[mutants[0]], found["tests/test_browser.py::b"]}


class _Config:
    """What xdist's LoadScopeScheduling reads of pytest's config."""

    def __init__(self, dist, workers):
        self.values = {"dist": dist, "tx": [f"{workers}*popen"]}
        self.option = types.SimpleNamespace(loadscopereorder=True)

    def getvalue(self, name):
        return self.values[name]


class _Worker:
    """An xdist worker as the scheduler sees it: it is sent indices into its collection."""

    shutting_down = False

    def __init__(self, name):
        self.gateway = types.SimpleNamespace(id=name)
        self.sent = []

    def send_runtest_some(self, indices):
        self.sent.append(list(indices))

    def shutdown(self):
        self.shutting_down = True


def test_the_scheduler_sends_each_unit_whole_to_one_worker_and_every_test_once():
    assert pytest_xdist_make_scheduler(_Config("loadfile", 2), None) is None  # another --dist: xdist's own
    collection = [f"tests/test_matrix.py::t[{k}]" for k in range(25)] + [
        f"tests/test_mutants.py::t{k}" for k in range(3)
    ]
    scheduler = pytest_xdist_make_scheduler(_Config("load", 2), None)
    workers = [_Worker("gw0"), _Worker("gw1")]
    for worker in workers:
        scheduler.add_node(worker)
        scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    done = set()
    while not scheduler.tests_finished:  # each worker finishes the oldest test it was sent
        for worker in workers:
            pending = [i for batch in worker.sent for i in batch if (worker, i) not in done]
            if pending:
                done.add((worker, pending[0]))
                scheduler.mark_test_complete(worker, pending[0])
    batches = [[collection[i] for i in batch] for worker in workers for batch in worker.sent]
    assert sorted(t for batch in batches for t in batch) == sorted(collection)  # every test, once
    assert [b for b in batches if "test_mutants" in b[0]] == [collection[25:]]  # the group whole, in one message
    assert sorted(len(b) for b in batches if "test_matrix" in b[0]) == [5, CHUNK, CHUNK]  # two full runs and the rest
    assert all(worker.shutting_down for worker in workers)


def test_every_grouped_module_exists():
    assert [m for m in GROUPS if not (ROOT / m).is_file()] == []
