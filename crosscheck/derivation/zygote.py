"""The children's parent: a process that has loaded NumPy and child.py once and forks one child per check.

Run as a script (`python -I -B zygote.py`) by contained.py, in the scrubbed environment the children
get; never imported. A fresh interpreter that imports NumPy cost each check about 0.15 s; a fork of
this process costs milliseconds and starts the child in the same state: the standard library, NumPy
and child.py, nothing of crosscheck or torch.

Where forking is not used (outside Linux: contained.FORK), `zygote.py WORKDIR MEMORY` makes this
process the one child of one check instead.

One job at a time, as JSON lines on stdin and stdout: the parent writes {"workdir", "memory"}; this
process forks, answers {"pid"} and, once the child has ended, {"status"}: its exit status, or minus
the signal that ended it, as subprocess reports it. It exits when its stdin ends.

Each child, before the student's code: a session of its own (a timeout ends its whole group), the
address-space limit and no core file, the working folder, no stdin, stdout and stderr into
log.txt. The job's pipes are not among its files: the student's code cannot speak for the child.
"""

import contextlib
import importlib.util
import io
import json
import os
import pathlib
import resource
import sys
import traceback

import numpy  # noqa: F401  (loaded once, before any fork: the reason this process exists)


def _child_module():
    spec = importlib.util.spec_from_file_location("child", pathlib.Path(__file__).with_name("child.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _streams():
    """Fresh sys streams on fds 0-2 (their old buffers belong to this process's pipes)."""
    encoding, errors = sys.stdout.encoding, sys.stdout.errors
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=encoding)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=encoding, errors=errors)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=encoding, errors="backslashreplace")


def _exit_code(exc):
    """What the interpreter would exit with for this SystemExit (printing a non-numeric code)."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    print(exc.code, file=sys.stderr)
    return 1


def _run_child(child, workdir, memory):
    """In the forked child: the limits, the files, then the probes. Never returns."""
    code = 1
    try:
        if os.getpgid(0) != os.getpid():  # forked: a session of its own (a fresh process has one already)
            os.setsid()
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.chdir(workdir)
        null = os.open(os.devnull, os.O_RDONLY)
        log = os.open("log.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
        _streams()
        child.run(workdir)
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc)
    except BaseException:  # noqa: BLE001  (what an uncaught exception does to an interpreter)
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):  # a stream the student's code closed or replaced
                stream.flush()
        os._exit(code)


def _send(message):
    os.write(1, (json.dumps(message) + "\n").encode())


def main():
    child = _child_module()
    jobs = io.BufferedReader(io.FileIO(0, "r", closefd=False))
    for line in iter(jobs.readline, b""):
        job = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _run_child(child, job["workdir"], int(job["memory"]))
        _send({"pid": pid})
        _, status = os.waitpid(pid, 0)
        _send({"status": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    if len(sys.argv) == 3:  # `zygote.py WORKDIR MEMORY`: this process is the child (where no fork is used)
        _run_child(_child_module(), sys.argv[1], int(sys.argv[2]))
    main()
