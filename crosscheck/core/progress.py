"""Progress on stderr: a tqdm bar on a terminal, a few plain lines in a log (CI), nothing when switched off.

A bar redrawn with carriage returns becomes one endless line in a CI log. Where stderr is not a
terminal, `bar` prints a line such as "matrix: 1092/2184 cases (50%), 6.1 s" each time another
tenth is done (at most one a second) or 10 s have passed, and one when the work ends.
"""

import sys
import time

from tqdm import tqdm

STEP = 0.1  # print at each further tenth of the work ...
QUIET_S = 1.0  # ... but not more often than once a second,
EVERY_S = 10.0  # and at least every 10 s while it runs


def _tty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def bar(iterable=None, desc="", total=None, unit="it", enabled=True, stream=None, leave=False):
    """tqdm on a terminal, Lines elsewhere; both iterate, update(n), and work as context managers."""
    stream = sys.stderr if stream is None else stream
    if total is None and iterable is not None and hasattr(iterable, "__len__"):
        total = len(iterable)
    if enabled and _tty(stream):
        return tqdm(iterable, desc=desc, total=total, file=stream, leave=leave, unit=unit)
    return Lines(iterable, desc, total, unit, stream, enabled)


def write(message, enabled=True, stream=None):
    """One line of progress that does not break a bar being drawn."""
    if enabled:
        tqdm.write(message, file=sys.stderr if stream is None else stream)


class Lines:
    """Progress as plain lines, for logs."""

    def __init__(self, iterable, desc, total, unit, stream, enabled=True, clock=time.monotonic):
        self.iterable, self.desc, self.total, self.unit = iterable, desc, total, unit
        self.stream, self.enabled, self.clock = stream, enabled, clock
        self.n, self.start = 0, clock()
        self.last_time, self.last_step, self.printed, self.closed = self.start, 0, 0, False

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.update(1)
        self.close()

    def __len__(self):
        return self.total or 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _line(self):
        count = f"{self.n}/{self.total}" if self.total else f"{self.n}"
        share = f" ({100 * self.n / self.total:.0f}%)" if self.total else ""
        return f"{self.desc}: {count} {self.unit}{share}, {self.clock() - self.start:.1f} s"

    def update(self, n=1):
        self.n += n
        if not self.enabled or self.closed:
            return
        now = self.clock()
        step = int(self.n / self.total / STEP) if self.total else 0
        due = (step > self.last_step and now - self.last_time >= QUIET_S) or now - self.last_time >= EVERY_S
        if due and self.n != self.total:
            print(self._line(), file=self.stream, flush=True)
            self.last_time, self.last_step, self.printed = now, step, self.n

    def close(self):
        if self.enabled and not self.closed and self.n != self.printed:
            print(self._line(), file=self.stream, flush=True)
        self.closed = True
