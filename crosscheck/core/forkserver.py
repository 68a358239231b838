"""The client side of a fork server: a helper process that has loaded its libraries once and forks
one child per job, instead of a fresh interpreter per job.

derivation/zygote.py is the server (its `serve`): it reads one JSON job per line on stdin, forks,
answers {"pid"} and, once that child has ended, {"pid", "status"}. Contained student checks use one
(derivation/contained.py), and so do the mutants' pytest runs (mutants/warm.py). The child runs
code that may write into the server's pipes (through /proc, as the same user), so every message is
checked here and anything else is Tampered.
"""

import contextlib
import json
import os
import select
import signal
import subprocess
import time

from .echo import echoed

ANSWER_TIMEOUT = 30  # seconds for the server to fork and name the child


class Tampered(Exception):
    """A message that is not one the server sends: the child's code wrote into its pipe."""


class ServerGone(Exception):
    """The server ended before it forked the job's child (killed between jobs)."""


def kill_group(pid):
    """SIGKILL to the child's process group: the child and whatever it started (gone already: fine)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


class ForkServer:
    """A running fork server, owned by the process that started it (a fork of that process starts its own)."""

    def __init__(self, argv, env, cwd):
        self.owner = os.getpid()
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            env=env,
            start_new_session=True,  # Ctrl-C at the terminal reaches the owner, which ends the child
        )
        self.pending = b""

    def usable(self):
        return self.owner == os.getpid() and self.proc.poll() is None

    def send(self, job):
        self.proc.stdin.write((json.dumps(job) + "\n").encode())
        self.proc.stdin.flush()

    def run(self, job, timeout):
        """The job's exit status (minus the signal that ended it); None past `timeout` seconds, its
        child's group killed. ServerGone before a child was forked, EOFError when the server ended
        while the child ran, Tampered for a message the server did not send. Whatever the child left
        running is killed after it. After anything but an answered job (an interruption too) the
        server is closed: its late answer would be read as the next job's, so the owner starts another."""
        pid, answered = None, False
        try:
            try:
                self.send(job)
                pid = self.pid()
            except (EOFError, BrokenPipeError):
                raise ServerGone("the fork server ended before forking the job's child") from None
            status = self.status(pid, timeout)
            if status is None:
                kill_group(pid)
                with contextlib.suppress(EOFError, Tampered):
                    answered = self.status(pid, 10) is not None
                return None
            answered = True
            return status
        finally:
            if pid is not None:
                kill_group(pid)
            if not answered:
                self.close()

    def pid(self):
        """The forked child's pid; Tampered for anything that is not a child's pid."""
        message = self._message(ANSWER_TIMEOUT)
        if message is None:
            raise RuntimeError(f"the fork server gave no child's pid within {ANSWER_TIMEOUT} s")
        pid = message.get("pid") if isinstance(message, dict) and len(message) == 1 else None
        if type(pid) is not int or pid <= 1 or pid in (os.getpid(), os.getpgrp()):
            raise Tampered(f"expected a child's pid, got {echoed(message)}")
        return pid

    def status(self, pid, timeout):
        """The child's exit status (minus the signal that ended it); None when `timeout` passes first;
        Tampered for a message that is not this child's status, or for anything written after it."""
        message = self._message(timeout)
        if message is None:
            return None
        if not (isinstance(message, dict) and set(message) == {"pid", "status"} and message["pid"] == pid):
            raise Tampered(f"expected the status of child {pid}, got {echoed(message)}")
        if type(message["status"]) is not int or self.pending:
            raise Tampered(f"expected one exit status, got {echoed(message)} and {echoed(self.pending)}")
        return message["status"]

    def _message(self, timeout):
        """The next JSON line; None when the timeout passes first; EOFError once the server has ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        poller = select.poll()  # not select.select: no limit on the fd's number in a long-lived process
        poller.register(self.proc.stdout.fileno(), select.POLLIN)
        while b"\n" not in self.pending:
            left = None if deadline is None else max(deadline - time.monotonic(), 0.0) * 1000
            if not poller.poll(left):
                return None
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                raise EOFError("the fork server ended")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        try:
            return json.loads(line)
        except ValueError:
            raise Tampered(f"expected a JSON line, got {line[:80]!r}") from None

    def close(self):
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()
