"""What the tests that start processes ask of Linux's /proc: a process's children, and whether it ended."""

import pathlib


def children(pid):
    """The pids of the process's children (its main thread's), [] once it is gone."""
    path = pathlib.Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(c) for c in path.read_text().split()]
    except FileNotFoundError:
        return []


def _stat(pid):
    """The fields of /proc/PID/stat after the command's name (the state first); None once it is gone."""
    try:
        return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None


def ended(pid):
    """True once the process has ended: gone, or a zombie its parent has not reaped yet."""
    fields = _stat(pid)
    return fields is None or fields[0] in ("Z", "X")


def started_at(pid):
    """The start time of the live process `pid` (field 22 of /proc/PID/stat), None once it has ended:
    it tells the process from a later one that was given its pid."""
    fields = _stat(pid)
    return None if fields is None or fields[0] in ("Z", "X") else fields[19]
