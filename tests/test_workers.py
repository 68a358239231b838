"""How the suite shares the cores: one BLAS and one torch thread per test process (tests/conftest.py),
and the modules that share a costly fixture kept whole on one xdist worker (tests/worker_groups.py)."""

import pathlib

import torch
from threadpoolctl import threadpool_info

import reference.network  # noqa: F401  (NumPy's BLAS loaded, as every worker has it)
from tests.worker_groups import GROUPS, unit

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_one_torch_thread():
    assert torch.get_num_threads() == 1


def test_one_thread_in_every_blas_pool():
    pools = threadpool_info()
    assert pools, "threadpoolctl found no BLAS or OpenMP pool"
    assert {p["internal_api"]: p["num_threads"] for p in pools} == {p["internal_api"]: 1 for p in pools}


def test_a_grouped_module_is_one_unit_and_any_other_test_its_own():
    assert unit("tests/test_mutants.py::test_a[x]") == unit("tests/test_mutants.py::test_b")
    assert unit("tests/test_report.py::test_a") == unit("tests/test_browser.py::test_b[phone]")
    assert unit("tests/test_matrix.py::test_twins_agree[relu]") == "tests/test_matrix.py::test_twins_agree[relu]"


def test_every_grouped_module_exists():
    assert [m for m in GROUPS if not (ROOT / m).is_file()] == []
