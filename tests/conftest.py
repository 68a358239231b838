"""One BLAS thread and one torch thread per test process (each pytest-xdist worker imports this too),
and the suite's shared plugins (the --device option).

Every xdist worker is a whole process; left alone, its OpenBLAS and torch pools each start one
thread per core, so -n 16 on 16 cores ran 256 threads that fought, and the suite got slower with
more workers. The variables must be set before NumPy or torch load their libraries; conftest.py
is imported before any test module, and threadpoolctl/set_threads cover a library already loaded
(a plugin may import NumPy first).
"""

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

from threadpoolctl import threadpool_limits  # noqa: E402  (after the variables, on purpose)

from torch_impl import runtime  # noqa: E402

threadpool_limits(limits=1)
runtime.set_threads(1)

pytest_plugins = ["tests.device_option", "tests.shared_report"]
