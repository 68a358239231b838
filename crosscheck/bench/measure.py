"""Forward+backward timings of the reference and of torch, side by side.

The network is a realistic MNIST-sized one: 784-256-128-10, relu-relu-softmax with the
categorical cross-entropy, mean reduction. One timed call is forward, cost and backward:
  reference  network.forward + network.cost + network.backward (its input validation included:
             that is what a user of the reference pays);
  torch      Twin.objective(X, Y, "cce") + J.backward() (autograd; nothing copied back to NumPy).
The two run interleaved, repeat by repeat, so both see the same machine load; each repeat
times `number` calls and the median per-call time is reported.

Threads: by default both sides run on ONE thread (NumPy's BLAS limited through threadpoolctl,
torch through torch.set_num_threads), restored afterwards. With several threads, NumPy's OpenBLAS
pool and torch's OpenMP pool each keep spinning for a while after a call and steal the cores the
other one needs when calls alternate: on a 2-core machine that made single timings vary tenfold.
One thread each compares the two implementations rather than their thread pools.
"""

import contextlib
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from reference import network
from torch_impl import runtime
from torch_impl.training import gradient_pass
from torch_impl.twin import Twin

from ..core.convention import columns_to_rows

SIZES = (784, 256, 128, 10)
ACTIVATIONS = ("relu", "relu", "softmax")
FULL = {"examples": (1, 32, 256, 2048), "dtypes": ("float32", "float64"), "repeats": 7, "min_time": 0.05, "threads": 1}
QUICK = {"examples": (1, 32, 256), "dtypes": ("float32", "float64"), "repeats": 3, "min_time": 0.01, "threads": 1}


def _draw(m, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(SIZES[0], m)).astype(dtype)
    Y = np.eye(SIZES[-1], dtype=dtype)[:, rng.integers(0, SIZES[-1], size=m)]
    params = {}
    for l in range(1, len(SIZES)):
        params[f"W{l}"] = (rng.normal(size=(SIZES[l], SIZES[l - 1])) * np.sqrt(2.0 / SIZES[l - 1])).astype(dtype)
        params[f"b{l}"] = np.zeros((SIZES[l], 1), dtype=dtype)
    return X, Y, params


def step_functions(m, dtype, seed=0):
    """(reference step, torch step): each one forward + cost + backward on the same weights and data."""
    X, Y, params = _draw(m, dtype, seed)
    activations = list(ACTIVATIONS)

    def reference_step():
        AL, caches = network.forward(X, params, activations)
        network.cost(AL, Y, "cce")
        return network.backward(AL, Y, caches, "cce")

    twin = Twin(list(SIZES), activations, dtype).load(params)
    return reference_step, gradient_pass(twin, columns_to_rows(X), columns_to_rows(Y), "cce")


def _calls_per_repeat(fn, min_time):
    """How many calls make one repeat last at least min_time (as timeit's autorange does)."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - start >= min_time or number >= 10**5:
            return number
        number *= 2


def _time(fn, number):
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


@contextlib.contextmanager
def thread_limit(threads):
    """NumPy's BLAS and torch's intra-op pool limited to `threads` (None: leave both alone)."""
    if threads is None:
        yield
        return
    with runtime.threads(threads), threadpool_limits(limits=threads, user_api="blas"):
        yield


def measure(examples=FULL["examples"], dtypes=FULL["dtypes"], repeats=7, min_time=0.05, threads=1, progress=None):
    """One row per (dtype, m): median seconds per forward+backward for each side and their ratio."""
    configs = [(d, m) for d in dtypes for m in examples]
    with thread_limit(threads):
        return [
            _measure_one(dtype, m, repeats, min_time, threads)
            for dtype, m in (progress(configs, "bench") if progress else configs)
        ]


def _measure_one(dtype, m, repeats, min_time, threads):
    ref, tor = step_functions(m, dtype)
    ref(), tor()  # warm-up: first calls pay for allocation and kernel selection
    n_ref, n_tor = _calls_per_repeat(ref, min_time), _calls_per_repeat(tor, min_time)
    t_ref, t_tor = [], []
    for _ in range(repeats):
        t_ref.append(_time(ref, n_ref))
        t_tor.append(_time(tor, n_tor))
    r, t = statistics.median(t_ref), statistics.median(t_tor)
    return {
        "dtype": dtype,
        "m": m,
        "reference_s": r,
        "torch_s": t,
        "ratio": r / t,
        "threads": threads,
        "repeats": repeats,
        "calls_per_repeat": {"reference": n_ref, "torch": n_tor},
    }


def table(rows):
    headers = ["dtype", "m", "reference (ms)", "torch (ms)", "reference / torch"]
    body = [
        [r["dtype"], r["m"], f"{r['reference_s'] * 1e3:.3f}", f"{r['torch_s'] * 1e3:.3f}", f"{r['ratio']:.2f}"]
        for r in rows
    ]
    return headers, body
