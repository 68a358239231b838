"""Each test process runs one BLAS thread and one torch thread (tests/conftest.py): with xdist, the
workers share the cores instead of each starting a pool as wide as the machine."""

import torch
from threadpoolctl import threadpool_info

import reference.network  # noqa: F401  (NumPy's BLAS loaded, as every worker has it)


def test_one_torch_thread():
    assert torch.get_num_threads() == 1


def test_one_thread_in_every_blas_pool():
    pools = threadpool_info()
    assert pools, "threadpoolctl found no BLAS or OpenMP pool"
    assert {p["internal_api"]: p["num_threads"] for p in pools} == {p["internal_api"]: 1 for p in pools}
