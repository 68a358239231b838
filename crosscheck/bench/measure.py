"""Forward+backward timings of the reference and of torch, side by side, against a matmul peak.

The network is a realistic MNIST-sized one: 784-256-128-10, relu-relu-softmax with the
categorical cross-entropy, mean reduction. One timed call is forward, cost and backward, and both
sides do the same work, the input gradient included:
  reference  network.forward + network.cost + network.backward (its input validation included:
             that is what a user of the reference pays; backward returns dA0 = W1^T dZ1);
  torch      Twin.objective(X, Y, "cce") + J.backward() with X a leaf that requires grad, so
             autograd computes dJ/dX too (without it torch would skip the 784 x m product that
             the reference does; nothing is copied back to NumPy).
The two run interleaved, repeat by repeat, so both see the same machine load; each repeat
times `number` calls and the median per-call time is reported.

GFLOP/s counts the matrix products only: per layer 2 n[l] n[l-1] m for Z = W A, as many for
dW = dZ A^T and for dA_prev = W^T dZ (elementwise work is not counted). The peak is the best
repeat of one n x n matrix product (n = PEAK_N) in NumPy or in torch, timed interleaved with the
two sides, on the same threads and in the same dtype: the roofline each side could approach.

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
# The report's timings: every size of FULL, shorter repeats. A report shows where the two sides stand
# and takes seconds; `crosscheck bench` is the command for figures to quote.
REPORT = {**FULL, "repeats": 5, "min_time": 0.02}


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
    return reference_step, gradient_pass(twin, columns_to_rows(X), columns_to_rows(Y), "cce", input_grad=True)


def flops(m, sizes=SIZES):
    """Floating-point operations of the matrix products in one forward+backward (see the module note)."""
    return 3 * sum(2 * n * n_prev * m for n_prev, n in zip(sizes[:-1], sizes[1:]))


PEAK_N = 512


def matmul_steps(dtype, n=PEAK_N, seed=0):
    """{"numpy_matmul": step, "torch_matmul": step}: one n x n matrix product each, for the peak GFLOP/s (2 n^3 flops)."""
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(n, n)).astype(dtype), rng.normal(size=(n, n)).astype(dtype)
    return {"numpy_matmul": lambda: A @ B, "torch_matmul": runtime.matmul_step(A, B)}


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
    peaks = matmul_steps(dtype)
    timed = {"reference": ref, "torch": tor, **peaks}
    assert len(timed) == 2 + len(peaks), "a peak's name must not shadow a side's"
    for fn in timed.values():
        fn()  # warm-up: first calls pay for allocation and kernel selection
    # One product per repeat for the peak: an n = PEAK_N product takes milliseconds, far above the
    # timer's resolution, and calibrating it to min_time would add seconds to every row.
    number = {side: 1 if side in peaks else _calls_per_repeat(fn, min_time) for side, fn in timed.items()}
    seconds = {side: [] for side in timed}
    for _ in range(repeats):
        # Interleaved, the matmul peak included: each repeat sees the same machine load on every side.
        for side, fn in timed.items():
            seconds[side].append(_time(fn, number[side]))
    t_ref, t_tor = seconds["reference"], seconds["torch"]
    # The peak is the best repeat (a peak is what the hardware can reach); the sides are medians.
    matmul = {side: 2 * PEAK_N**3 / min(seconds[side]) / 1e9 for side in peaks}
    r, t = statistics.median(t_ref), statistics.median(t_tor)
    return {
        "dtype": dtype,
        "m": m,
        "reference_ms": r * 1e3,
        "torch_ms": t * 1e3,
        "reference_s": r,
        "torch_s": t,
        "ratio": r / t,
        "reference_gflops": flops(m) / r / 1e9,
        "torch_gflops": flops(m) / t / 1e9,
        "input_grad": True,
        "peak_gflops": max(matmul.values()),
        "matmul_gflops": matmul,
        "threads": threads,
        "repeats": repeats,
        "calls_per_repeat": number,
    }


def table(rows):
    headers = [
        "dtype",
        "m",
        "reference (ms)",
        "torch (ms)",
        "reference / torch",
        "reference GFLOP/s",
        "torch GFLOP/s",
        "matmul peak GFLOP/s",
    ]
    body = [
        [
            r["dtype"],
            r["m"],
            f"{r['reference_ms']:.3f}",
            f"{r['torch_ms']:.3f}",
            f"{r['ratio']:.2f}",
            f"{r['reference_gflops']:.1f} ({r['reference_gflops'] / r['peak_gflops']:.0%})",
            f"{r['torch_gflops']:.1f} ({r['torch_gflops'] / r['peak_gflops']:.0%})",
            f"{r['peak_gflops']:.1f}",
        ]
        for r in rows
    ]
    return headers, body
