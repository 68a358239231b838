"""Running everything a report holds: each registered section, in this process or shared with workers.

With jobs > 1 the sections are shared between this process and jobs - 1 worker processes (forked on
Linux's CPU, spawned where a GPU or the platform needs a fresh interpreter). Every process, this one
too, takes the heaviest unit left (the registry's `weight`) whenever it is free, one at a time:
longest first, so the last to finish are light ones. (This process once took the lightest instead;
on 2 cores the matrix then started after the realistic tier in the worker, and the build ended 4 s
after this process had run out of work.) A unit is one section, or the sections that load the same
slow libraries (Provider.shares): on 2 cores both processes used to load scikit-learn and torch.optim's
dynamo, 2.3 s each, for the sections they happened to take. Every process runs one BLAS and one torch
thread, so jobs processes fill jobs cores without fighting. A section's numbers do not depend on
where it ran: each draws from its own seed (ctx.seed) and none reads another's state.
"""

import collections
import concurrent.futures
import concurrent.futures.process
import dataclasses
import datetime
import multiprocessing
import sys
import threading
import time

from torch_impl import runtime

from ..bench.measure import thread_limit
from ..core import progress
from . import model
from .providers import PROVIDERS
from .sections import verdict_section


def _failed(provider, exc):
    section = model.broken(provider.key, provider.title, exc)
    section.key, section.title = provider.key, provider.title
    return section


def build_section(provider, ctx):
    """The provider's section; a failure becomes a section, never an exception.

    A required provider that raises (an import error included) leaves a failed section naming the
    error, so the report fails; only an optional provider's import error leaves "not available",
    shown with its reason.
    """
    try:
        section = provider.build(ctx)
    except ImportError as exc:
        if not provider.optional:
            return _failed(provider, exc)
        # an optional extra not installed: visible, with its reason, and no verdict of its own
        section = model.not_available(provider.key, provider.title, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure of a section is reported as that section failing
        return _failed(provider, exc)
    section.key, section.title = provider.key, provider.title
    return section


def _in_worker(unit, ctx):
    # A worker's own progress bars would interleave with the parent's: the parent says what ran where.
    with runtime.tf32(ctx.tf32), thread_limit(1):
        return [build_section(provider, dataclasses.replace(ctx, progress=False)) for provider in unit]


def units(providers):
    """The providers as units of work, heaviest first: those that share slow imports (Provider.shares)
    together, in registry order, and every other provider alone."""
    grouped = {}
    for provider in providers:
        grouped.setdefault(provider.shares or f"section {provider.key}", []).append(provider)
    return sorted(grouped.values(), key=lambda unit: -sum(p.weight for p in unit))


def _start_method(ctx):
    """fork where it is safe, for a worker that starts in milliseconds with everything loaded; spawn
    (a fresh interpreter, seconds to load torch) where it is not: CUDA and MPS do not survive a fork,
    and macOS's system libraries do not promise to."""
    safe = sys.platform == "linux" and ctx.device == "cpu"
    return multiprocessing.get_context("fork" if safe else "spawn")


def _shared(providers, ctx, jobs):
    """{key: Section}, built by this process and jobs - 1 workers, each taking the heaviest unit left."""
    todo = collections.deque(units(providers))  # heaviest on the left
    lock = threading.RLock()  # the pool's callbacks run on its own thread
    running, sections = [], {}

    def feed(_done=None):
        # One unit per worker at a time: a queued one would be lost with a worker that dies.
        with lock:
            if not todo:
                return
            unit = todo.popleft()
            try:
                future = pool.submit(_in_worker, unit, ctx)
            except concurrent.futures.process.BrokenProcessPool:
                todo.appendleft(unit)  # it never ran: this process builds it
                return
            running.append((unit, future))
            future.add_done_callback(feed)

    with concurrent.futures.ProcessPoolExecutor(jobs - 1, mp_context=_start_method(ctx)) as pool:
        for _ in range(jobs - 1):
            feed()
        with thread_limit(1):
            while True:
                with lock:
                    unit = todo.popleft() if todo else None  # the heaviest one left
                if unit is None:
                    break
                for provider in unit:
                    progress.write(f"report: {provider.title}", enabled=ctx.progress)
                    sections[provider.key] = build_section(provider, ctx)
        with lock:
            started = list(running)
        for unit, future in started:
            try:
                built = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died (killed, out of memory) fails its unit
                built = [_failed(provider, exc) for provider in unit]
            for provider, section in zip(unit, built, strict=True):
                sections[provider.key] = section
                progress.write(f"report: {provider.title} (built in a worker process)", enabled=ctx.progress)
    return sections


def collect(ctx, providers=None, jobs=1):
    """A Report: the verdict first, then every provider's section, in the registry's order.

    jobs: how many processes share the sections (1: all in this one).
    """
    providers = PROVIDERS if providers is None else providers
    if not (isinstance(jobs, int) and jobs >= 1):
        raise ValueError(f"--jobs: expected a whole number of processes >= 1, got {jobs!r}")
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    generated = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    jobs = min(jobs, len(providers))
    if jobs > 1:
        built = _shared(providers, ctx, jobs)
    else:
        built = {}
        for provider in providers:
            progress.write(f"report: {provider.title}", enabled=ctx.progress)
            built[provider.key] = build_section(provider, ctx)
    report = model.Report([built[p.key] for p in providers], generated=generated, quick=ctx.quick, seed=ctx.seed)
    report.sections.insert(0, verdict_section(report))
    report.run_seconds = time.perf_counter() - start
    return report
