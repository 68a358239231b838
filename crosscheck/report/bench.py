"""Forward+backward timings of the reference and of torch, side by side, and `crosscheck bench`.

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

from reference import network
from torch_impl.twin import Twin

from ..convention import columns_to_rows
from .model import Figure, Paragraph, Section, Table

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
    import torch

    X, Y, params = _draw(m, dtype, seed)
    activations = list(ACTIVATIONS)

    def reference_step():
        AL, caches = network.forward(X, params, activations)
        network.cost(AL, Y, "cce")
        return network.backward(AL, Y, caches, "cce")

    twin = Twin(list(SIZES), activations, dtype).load(params)
    Xt = torch.as_tensor(columns_to_rows(X))
    Yt = torch.as_tensor(columns_to_rows(Y))

    def torch_step():
        twin.zero_grad(set_to_none=True)
        J = twin.objective(Xt, Yt, "cce")
        J.backward()
        return J

    return reference_step, torch_step


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
    import torch

    if threads is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # NumPy's BLAS then keeps its own thread count
        threadpool_limits = None
    try:
        if threadpool_limits is None:
            yield
        else:
            with threadpool_limits(limits=threads, user_api="blas"):
                yield
    finally:
        torch.set_num_threads(before)


def measure(examples=FULL["examples"], dtypes=FULL["dtypes"], repeats=7, min_time=0.05, threads=1, progress=None):
    """One row per (dtype, m): median seconds per forward+backward for each side and their ratio."""
    configs = [(d, m) for d in dtypes for m in examples]
    with thread_limit(threads):
        return [_measure_one(dtype, m, repeats, min_time, threads)
                for dtype, m in (progress(configs, "bench") if progress else configs)]


def _measure_one(dtype, m, repeats, min_time, threads):
    ref, tor = step_functions(m, dtype)
    ref(), tor()  # warm-up: first calls pay for allocation and kernel selection
    n_ref, n_tor = _calls_per_repeat(ref, min_time), _calls_per_repeat(tor, min_time)
    t_ref, t_tor = [], []
    for _ in range(repeats):
        t_ref.append(_time(ref, n_ref))
        t_tor.append(_time(tor, n_tor))
    r, t = statistics.median(t_ref), statistics.median(t_tor)
    return {"dtype": dtype, "m": m, "reference_s": r, "torch_s": t, "ratio": r / t, "threads": threads,
            "repeats": repeats, "calls_per_repeat": {"reference": n_ref, "torch": n_tor}}


def table(rows):
    headers = ["dtype", "m", "reference (ms)", "torch (ms)", "reference / torch"]
    body = [[r["dtype"], r["m"], f"{r['reference_s'] * 1e3:.3f}", f"{r['torch_s'] * 1e3:.3f}", f"{r['ratio']:.2f}"]
            for r in rows]
    return headers, body


def _threads(threads):
    import torch

    if threads is None:
        return f"NumPy's BLAS and torch on their default threads (torch: {torch.get_num_threads()})"
    return f"NumPy's BLAS and torch each limited to {threads} thread{'s' if threads > 1 else ''}"


def performance_section(ctx):
    if ctx.bench is None:
        return Section("performance", "Performance", status="not available", note="not available: timings skipped",
                       blocks=[Paragraph("Timings were skipped in this run.")])

    rows = measure(**ctx.bench, progress=ctx.bar)
    headers, body = table(rows)
    blocks = [
        Paragraph(f"Median time of one forward + cost + backward pass, network {'-'.join(map(str, SIZES))} "
                  f"({'-'.join(ACTIVATIONS)} + cce, mean reduction), {ctx.bench['repeats']} repeats each, reference "
                  f"and torch interleaved in the same run, {_threads(ctx.bench.get('threads'))}. A ratio above 1 "
                  "means the NumPy reference is slower."),
        Table(headers, body),
    ]
    path, rel = ctx.figure_path("timings.png")
    from . import figures

    figures.timings(rows, path)
    blocks.append(Figure(rel, "Forward+backward time against m"))
    return Section("performance", "Performance", data={"network": list(SIZES), "activations": list(ACTIVATIONS),
                                                       "loss": "cce", "settings": ctx.bench, "rows": rows},
                   blocks=blocks)


def run(args):
    from tabulate import tabulate

    from .collect import Context

    settings = dict(QUICK if args.quick else FULL)
    if args.repeats:
        settings["repeats"] = args.repeats
    settings["threads"] = args.threads or None
    ctx = Context(out_dir=None, progress=True)
    rows = measure(**settings, progress=ctx.bar)
    headers, body = table(rows)
    print(tabulate(body, headers, disable_numparse=True, colalign=("left", "right", "right", "right", "right")))
    return 0


def add_parser(sub):
    p = sub.add_parser("bench", help="time forward+backward of the reference and torch side by side")
    p.add_argument("--quick", action="store_true", help="fewer repeats, no m = 2048")
    p.add_argument("--repeats", type=int, default=0, help="repeats per size (default 7, 3 with --quick)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for NumPy's BLAS and torch (default 1; 0 leaves both at their own defaults)")
    p.set_defaults(func=run)
