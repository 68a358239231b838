"""How the suite shares the cores: one BLAS and one torch thread per test process (tests/conftest.py),
and the modules that share a costly fixture kept whole on one xdist worker (tests/worker_groups.py)."""

import pathlib

import torch
from threadpoolctl import threadpool_info

import reference.network  # noqa: F401  (NumPy's BLAS loaded, as every worker has it)
from tests.worker_groups import CHUNK, GROUPS, units

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_one_torch_thread():
    assert torch.get_num_threads() == 1


def test_one_thread_in_every_blas_pool():
    pools = threadpool_info()
    assert pools, "threadpoolctl found no BLAS or OpenMP pool"
    assert {p["internal_api"]: p["num_threads"] for p in pools} == {p["internal_api"]: 1 for p in pools}


def test_a_grouped_module_is_one_unit_and_any_other_module_goes_in_runs():
    matrix = [f"tests/test_matrix.py::test_twins_agree[{k}]" for k in range(CHUNK + 1)]
    found = units(["tests/test_mutants.py::test_a[x]", *matrix, "tests/test_browser.py::b", "tests/test_mutants.py::c"])
    assert found["tests/test_mutants.py::test_a[x]"] == found["tests/test_mutants.py::c"]
    assert found["tests/test_browser.py::b"] == GROUPS["tests/test_report.py"]  # another module of the same group
    assert len({found[t] for t in matrix[:CHUNK]}) == 1  # a run of CHUNK consecutive tests ...
    assert found[matrix[CHUNK]] != found[matrix[0]]  # ... and the next test starts the next one
    assert not {found[t] for t in matrix} & {found["tests/test_mutants.py::c"], found["tests/test_browser.py::b"]}


def test_every_grouped_module_exists():
    assert [m for m in GROUPS if not (ROOT / m).is_file()] == []
