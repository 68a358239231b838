"""The report's worker processes (--jobs): each runs one task at a time, sent by a thread of the parent.

Not concurrent.futures.ProcessPoolExecutor: its manager thread and queues left the command hanging
at exit when Ctrl-C came at the wrong moment (a worker that sat idle never took its stop sentinel; a
worker killed while sending a result left the manager in a read that never ended). Here each worker
has a pipe of its own, and a daemon thread of the parent sends it a task and waits for the outcome:
a worker that dies ends its pipe (EOFError, WorkerDied), an interrupted parent terminates its
workers, and nothing is waited for at exit. Ctrl-C is the parent's alone: the workers start with
SIGINT held and then ignore it, so none prints a traceback or ends a task half done on its own.
"""

import contextlib
import signal
import threading


class WorkerDied(RuntimeError):
    """A worker process ended (killed, out of memory) while it ran a task."""


def _serve(conn, inherited, run, ctx):
    """A worker's life: run(task, ctx) for each task the parent sends, the outcome (or what it
    raised) back, until None or the parent's end of the pipe closes (the parent died)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held since the start: now ignored
    for end in inherited:
        end.close()  # a forked copy of the parent's ends would keep this pipe open after the parent died
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            outcome = run(task, ctx)
        except BaseException as exc:  # noqa: BLE001 - whatever ended the task is the parent's to judge
            outcome = exc
        try:
            conn.send(outcome)
        except OSError:
            return  # the parent is gone
        except Exception as exc:  # noqa: BLE001 - an outcome that does not pickle is still an answer
            conn.send(RuntimeError(f"the worker's outcome could not be sent back: {type(exc).__name__}: {exc}"))


@contextlib.contextmanager
def _ctrl_c_held():
    """SIGINT held (blocked) in this thread, and in the processes it starts, until the block ends:
    a worker that starts (seconds under spawn, importing torch) takes no Ctrl-C before it ignores
    it, and this process takes a Ctrl-C that came meanwhile as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # not on Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def _ctrl_c_deferred():
    """Ctrl-C noted, not raised, until the block ends (in the main thread; elsewhere Python raises
    none): the mask above holds it from this thread only, and another thread of the process (a
    library's) could still take it and have KeyboardInterrupt raised between a fork and the
    worker's being recorded, leaving it to run on unended. Yields a list that holds the signal if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield []
        return
    came = []
    before = signal.signal(signal.SIGINT, lambda number, frame: came.append(number))
    try:
        yield came
    finally:
        signal.signal(signal.SIGINT, before)


def _resource_tracker_first(method):
    # A spawn context starts multiprocessing's resource tracker with its first process, and unblocks
    # SIGINT in this thread as it does so (resource_tracker.ensure_running): the worker spawned next
    # then took Ctrl-C while importing torch. Started before the hold, it has nothing left to undo.
    if method.get_start_method() != "fork" and hasattr(signal, "pthread_sigmask"):
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()


class Workers:
    """n processes of the multiprocessing context `method` that run run(task, ctx). As a context
    manager: leaving it normally stops them once idle; leaving it with an exception (Ctrl-C) ends
    them at once."""

    def __init__(self, n, run, ctx, method):
        self._processes, self._threads = [], []
        forked = method.get_start_method() == "fork"
        _resource_tracker_first(method)
        try:
            with _ctrl_c_held(), _ctrl_c_deferred() as interrupted:
                for _ in range(n):
                    mine, theirs = method.Pipe()
                    inherited = [mine, *(end for _, end in self._processes)] if forked else []
                    process = method.Process(target=_serve, args=(theirs, inherited, run, ctx), daemon=True)
                    process.start()
                    theirs.close()  # the worker's end is the worker's: its death closes the pipe
                    self._processes.append((process, mine))
            if interrupted:
                raise KeyboardInterrupt
        except BaseException:
            self.terminate()
            raise

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, traceback):
        if kind is None:
            self._stop()
        else:
            self.terminate()

    def serve(self, next_task, finished):
        """A thread per worker: it sends next_task() (None: no more) and hands the outcome to
        finished(task, outcome), which says whether to go on; a worker that died gives WorkerDied.
        Each worker's first task is taken here, before the caller takes one of its own: the workers
        start on the heaviest tasks, whichever thread runs first."""
        for process, conn in self._processes:
            first = next_task()
            thread = threading.Thread(target=self._feed, args=(process, conn, first, next_task, finished), daemon=True)
            thread.start()
            self._threads.append(thread)

    @staticmethod
    def _feed(process, conn, task, next_task, finished):
        while task is not None:
            try:
                conn.send(task)
                outcome = conn.recv()
            except (EOFError, OSError):
                finished(task, WorkerDied(f"worker process {process.pid} {_ending(process)} before it answered"))
                return
            except Exception as exc:  # noqa: BLE001 - a task or an outcome that does not (un)pickle: its answer
                outcome = exc  # the pickling failed before a byte was written, or after all were read
            if not finished(task, outcome):
                return
            task = next_task()

    def wait(self):
        """Until every thread is done: no task left, or its worker died."""
        for thread in self._threads:
            thread.join()

    def _stop(self):
        for _, conn in self._processes:
            with contextlib.suppress(OSError):
                conn.send(None)
        self._join()

    def terminate(self):
        for process, _ in self._processes:
            process.terminate()
        self._join()

    def _join(self):
        for process, _ in self._processes:
            process.join()
        for thread in self._threads:
            thread.join(timeout=5)  # each reads EOF from its ended worker; closing under it would not do
        for _, conn in self._processes:
            conn.close()


def _ending(process):
    """How a worker process ended, in words, once it has (a signal by its name)."""
    process.join(timeout=5)
    code = process.exitcode
    if code is None:
        return "ended"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-code).name}"
    return f"ended with exit code {code}"
