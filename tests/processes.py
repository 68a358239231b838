"""What the tests that start processes ask of Linux's /proc: a process's children, and whether it ended."""

import pathlib


def children(pid):
    """The pids of the process's children (its main thread's), [] once it is gone."""
    path = pathlib.Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(c) for c in path.read_text().split()]
    except FileNotFoundError:
        return []


def ended(pid):
    """True once the process has ended: gone, or a zombie its parent has not reaped yet."""
    try:
        state = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")
