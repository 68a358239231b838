"""The children's parent: a process that has loaded NumPy and child.py once and forks one child per check.

Run as a script (`python -I -B zygote.py`) by contained.py, in the scrubbed environment the children
get; never imported. A fresh interpreter that imports NumPy cost each check about 0.15 s; a fork of
this process costs milliseconds and starts the child in the same state: the standard library, NumPy
and child.py, nothing of crosscheck or torch.

Where forking is not used (outside Linux: contained.FORK), `zygote.py WORKDIR MEMORY` makes this
process the one child of one check instead.

One job at a time, as JSON lines on stdin and stdout (`serve`, whose client is core/forkserver.py):
the parent writes {"workdir", "memory"}; this process forks, answers {"pid"} and, once the child has
ended, {"pid", "status"}: its exit status, or minus the signal that ended it, as subprocess reports
it. It exits when its stdin ends. The mutants' runs serve pytest the same way (mutants/warm.py).

Each child, before the student's code: a process group of its own (a timeout ends the whole group),
the address-space limit and no core file, the working folder, no stdin, stdout and stderr into
log.txt, the zygote's other files closed. The student's code runs as the caller's user and could
still open this process's pipes through /proc: the parent checks every message (contained.py) and
takes the verdict from the result files alone.
"""

import contextlib
import importlib.util
import io
import json
import os
import pathlib
import resource
import signal
import sys
import traceback

import numpy  # loaded once, before any fork: the reason this process exists


def _child_module():
    spec = importlib.util.spec_from_file_location("child", pathlib.Path(__file__).with_name("child.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _streams():
    """Fresh sys streams on fds 0-2 (the old ones buffer this process's pipes), the __std*__ ones too."""
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    sys.stdin = sys.__stdin__ = open(0, encoding=encoding, closefd=False)  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(1, "w", encoding=encoding, errors=errors, closefd=False)  # noqa: SIM115
    sys.stderr = sys.__stderr__ = open(2, "w", encoding=encoding, errors="backslashreplace", closefd=False)  # noqa: SIM115


def _exit_code(exc):
    """What the interpreter would exit with for this SystemExit (printing a non-numeric code)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    print(exc.code, file=sys.stderr)
    return 1


def as_child(log, body, forked):
    """In a child: a process group of its own, stdin from /dev/null, stdout and stderr into `log`, the
    server's other files closed (where `forked`), then body(), whose return is the exit status (None:
    0). Never returns.

    It ends with os._exit, with the status an interpreter would give the same script, except that
    threads left running are not waited for and atexit handlers do not run: the parent judges what
    came back, and ends the child's whole process group after it."""
    code = 1
    try:
        if os.getpgid(0) != os.getpid():  # the server sets it too; a fresh process has one
            os.setpgid(0, 0)
        null = os.open(os.devnull, os.O_RDONLY)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        if forked:  # the server's pipes and files (a fresh process was started with none)
            os.closerange(3, min(resource.getrlimit(resource.RLIMIT_NOFILE)[0], 2**20))
        _streams()
        code = body() or 0
    except SystemExit as exc:
        code = _exit_code(exc)
    except KeyboardInterrupt:  # an interpreter re-raises SIGINT at exit: the parent sees the signal
        _flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    except BaseException:  # noqa: BLE001  (what an uncaught exception does to an interpreter)
        traceback.print_exc()
        code = 1
    finally:
        _flush()
        os._exit(code)


def _check(child, workdir, memory, forked):
    """The student's check, in its child: the limits, the working folder, then the probes."""
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.chdir(workdir)
    if forked:
        numpy.random.seed()  # the forked copy of this process's global stream, re-seeded as a fresh process's is
    child.run(workdir)


def _run_child(child, workdir, memory, forked):
    log = pathlib.Path(workdir) / "log.txt"
    as_child(log, lambda: _check(child, workdir, memory, forked), forked)


def _flush():
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(BaseException):  # a stream the student's code closed or replaced
            stream.flush()


def _send(message):
    os.write(1, (json.dumps(message) + "\n").encode())


def serve(run):
    """Fork `run(job)` (which never returns) for each JSON job line on stdin, one at a time: answer
    {"pid"} at once, then {"pid", "status"} when that child has ended. Returns when stdin ends."""
    jobs = io.BufferedReader(io.FileIO(0, "r", closefd=False))
    for line in iter(jobs.readline, b""):
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            run(job)
        with contextlib.suppress(OSError):  # its own group before the parent hears of it (the child races to it too)
            os.setpgid(pid, pid)
        _send({"pid": pid})
        _, status = os.waitpid(pid, 0)
        _send({"pid": pid, "status": os.waitstatus_to_exitcode(status)})


def main():
    child = _child_module()
    serve(lambda job: _run_child(child, job["workdir"], int(job["memory"]), forked=True))


if __name__ == "__main__":
    if len(sys.argv) == 3:  # `zygote.py WORKDIR MEMORY`: this process is the child (where no fork is used)
        _run_child(_child_module(), sys.argv[1], int(sys.argv[2]), forked=False)
    main()
