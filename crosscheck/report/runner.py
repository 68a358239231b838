"""Running everything a report holds: each registered section, in this process or shared with workers.

With jobs > 1 the sections are shared between this process and jobs - 1 worker processes (forked on
Linux's CPU, spawned where a GPU or the platform needs a fresh interpreter). Every process, this one
too, takes the heaviest task left (the registry's `weight`) whenever it is free, one at a time:
longest first, so the last to finish are light ones. (This process once took the lightest instead;
on 2 cores the matrix then started after the realistic tier in the worker, and the build ended 4 s
after this process had run out of work.) A task is one section; or the sections that load the same
slow libraries (Provider.shares): on 2 cores both processes used to load scikit-learn and torch.optim's
dynamo, 2.3 s each, for the sections they happened to take; or a part of the cases of the matrix or
of the realistic tier (Provider.split), whose section this process assembles from the parts' records:
whole, these two took a third of the run each, and on 2 cores one process ended 2-3 s before the
other. Every process runs one BLAS and one torch thread, so jobs processes fill jobs cores without
fighting. A section's numbers do not depend on where it ran: each case draws from its own seed
(ctx.seed) and none reads another's state.
"""

import collections
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
from .verdict import verdict_section
from .workers import Workers


def _failed(provider, exc):
    section = model.broken(provider.key, provider.title, exc)
    section.key, section.title = provider.key, provider.title
    return section


def build_section(provider, ctx, build=None):
    """The provider's section (made by `build`, provider.make unless given); a failure becomes a
    section, never an exception.

    A required provider that raises (an import error included) leaves a failed section naming the
    error, so the report fails; only an optional provider's import error leaves "not available",
    shown with its reason.
    """
    try:
        section = (build or provider.make)(ctx)
    except ImportError as exc:
        if not provider.optional:
            return _failed(provider, exc)
        # an optional extra not installed: visible, with its reason, and no verdict of its own
        section = model.not_available(provider.key, provider.title, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure of a section is reported as that section failing
        return _failed(provider, exc)
    section.key, section.title = provider.key, provider.title
    return section


@dataclasses.dataclass(frozen=True)
class Task:
    """What one process does at a time: the providers of `unit` built whole, or (part set) part
    `part` of `parts` of a split provider's cases, the cases at `indices`, which gives their records."""

    unit: tuple
    weight: float
    part: int | None = None
    parts: int = 1
    indices: tuple = ()

    def __str__(self):
        title = ", ".join(p.title for p in self.unit)
        return title if self.part is None else f"{title}, part {self.part + 1} of {self.parts}"


def _parts(provider, ctx):
    split = provider.split
    return 1 if split is None else max(1, min(split.parts, len(getattr(ctx, split.cases))))


def tasks(providers, ctx):
    """The work, heaviest first: the providers that share slow imports (Provider.shares) as one task,
    in registry order; a split provider (Provider.split) in its parts; every other provider alone."""
    grouped, out = {}, []
    for provider in providers:
        n = _parts(provider, ctx)
        if n > 1:
            split = provider.split
            dealt = _dealt(getattr(ctx, split.cases), n, split.cost)
            out += [Task((provider,), provider.weight / n, k, n, tuple(indices)) for k, indices in enumerate(dealt)]
        else:
            grouped.setdefault(provider.shares or f"section {provider.key}", []).append(provider)
    out += [Task(tuple(unit), sum(p.weight for p in unit)) for unit in grouped.values()]
    return sorted(out, key=lambda task: -task.weight)


def _run(task, ctx):
    """A task's sections (an Exception becomes a failed section), or its part's records (an
    exception propagates)."""
    if task.part is None:
        return [build_section(provider, ctx) for provider in task.unit]
    split = task.unit[0].split
    cases = getattr(ctx, split.cases)
    return split.records(ctx, [cases[i] for i in task.indices])


def _dealt(cases, parts, cost=None):
    """Which cases each part runs (indices, in order): costliest first, each case to the part with the
    least cost so far. A plain stride would not do: the realistic tier comes in a product order whose
    (dtype, m) axes repeat every 4 cases, and by a stride of 8 each part held one dtype and one m."""
    costs = [cost(case) if cost else 1 for case in cases]
    loads, dealt = [0] * parts, [[] for _ in range(parts)]
    for i in sorted(range(len(cases)), key=lambda i: -costs[i]):  # stable: equal costs go round in order
        part = loads.index(min(loads))
        dealt[part].append(i)
        loads[part] += costs[i]
    return [sorted(indices) for indices in dealt]


def _in_worker(task, ctx):
    # A worker's own progress bars would interleave with the parent's: the parent says what ran where.
    with runtime.tf32(ctx.tf32), thread_limit(1):
        return _run(task, dataclasses.replace(ctx, progress=False))


def _start_method(ctx):
    """fork where it is safe, for a worker that starts in milliseconds with everything loaded; spawn
    (a fresh interpreter, seconds to load torch) where it is not: CUDA and MPS do not survive a fork,
    and macOS's system libraries do not promise to."""
    safe = sys.platform == "linux" and ctx.device == "cpu"
    return multiprocessing.get_context("fork" if safe else "spawn")


def _shared(providers, ctx, jobs):
    """{key: Section}, built by this process and jobs - 1 workers, each taking the heaviest task left."""
    todo = collections.deque(tasks(providers, ctx))  # heaviest on the left
    split = [p for p in providers if _parts(p, ctx) > 1]
    lock = threading.Lock()  # the workers' threads take tasks and give outcomes too
    done = []  # (task, what it gave or the exception that ended it), in the order they ended
    sections = {}

    def next_task():
        with lock:
            return todo.popleft() if todo else None  # the heaviest one left

    def finished(task, outcome):
        interrupt = isinstance(outcome, BaseException) and not isinstance(outcome, Exception)
        with lock:
            done.append((task, outcome))
            if interrupt:
                todo.clear()  # Ctrl-C or an exit raised in a worker: the run ends (re-raised below)
        if not isinstance(outcome, BaseException):
            progress.write(f"report: {task} (in a worker process)", enabled=ctx.progress)
        return not interrupt

    def assemble(last=False):
        # Once a split section's parts are all in, at the end of this process's task then running:
        # its figures are drawn while the workers go on, not after everything else.
        with lock:
            ended = list(done)
        for provider in (p for p in split if p.key not in sections):
            outcomes = [(t, o) for t, o in ended if t.part is not None and t.unit[0] is provider]
            if last or len(outcomes) == _parts(provider, ctx):
                sections[provider.key] = build_section(provider, ctx, _assembly(provider, outcomes))

    # Leaving the block by an exception (Ctrl-C here) ends the workers at once; normally it waits
    # for no task to be left and every worker's outcome to be in.
    with Workers(jobs - 1, _in_worker, ctx, _start_method(ctx)) as workers, thread_limit(1):
        workers.serve(next_task, finished)
        while (task := next_task()) is not None:
            progress.write(f"report: {task}", enabled=ctx.progress)
            try:
                outcome = _run(task, ctx)
            except Exception as exc:  # noqa: BLE001 - a part that raised fails its section
                outcome = exc
            with lock:
                done.append((task, outcome))
            assemble()
        workers.wait()
    for _, outcome in done:
        if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
            raise outcome  # an interrupt or an exit raised in a worker: the command ends with it
    with thread_limit(1):
        assemble(last=True)
    for task, outcome in done:
        if task.part is not None:
            continue
        if isinstance(outcome, Exception):
            sections.update({p.key: _failed(p, outcome) for p in task.unit})
        else:
            sections.update({p.key: section for p, section in zip(task.unit, outcome, strict=True)})
    return sections


def _assembly(provider, outcomes):
    """A build function for a split provider: its section from its parts' records ([(task,
    outcome)]), back in the cases' order. A part that raised (or whose worker died) fails the
    section with its exception."""

    def build(ctx):
        failed = [o for _, o in outcomes if isinstance(o, Exception)]
        if failed:
            raise failed[0]
        n = _parts(provider, ctx)
        if sorted(t.part for t, _ in outcomes) != list(range(n)):
            raise RuntimeError(f"parts {sorted(t.part for t, _ in outcomes)} came back, expected 0 to {n - 1}")
        records = [None] * len(getattr(ctx, provider.split.cases))
        for task, part_records in outcomes:
            if len(part_records) != len(task.indices):
                raise RuntimeError(f"{task} gave {len(part_records)} records for {len(task.indices)} cases")
            for i, record in zip(task.indices, part_records, strict=True):
                records[i] = record
        return provider.split.assemble(ctx, records)

    return build


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
    jobs = min(jobs, len(tasks(providers, ctx)))
    if jobs > 1:
        built = _shared(providers, ctx, jobs)
    else:
        built = {}
        for provider in providers:
            progress.write(f"report: {provider.title}", enabled=ctx.progress)
            built[provider.key] = build_section(provider, ctx)
    # a section that was somehow never built fails by name: never a KeyError, never a pass
    missing = RuntimeError("the section was never built")
    sections = [built.get(p.key) or _failed(p, missing) for p in providers]
    report = model.Report(sections, generated=generated, quick=ctx.quick, seed=ctx.seed)
    report.sections.insert(0, verdict_section(report))
    report.run_seconds = time.perf_counter() - start
    return report
