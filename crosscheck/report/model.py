"""The report's data model: sections made of plain data plus the blocks that render it.

A section is what one provider returns. `data` is plain JSON (numbers, strings, lists, dicts)
and is written to report.json as it is; `blocks` say how a person sees the same numbers
(paragraphs, bullet lists, tables, figures) and are rendered to Markdown and HTML alike.
`records` are the per-item agreements that `crosscheck compare` diffs between two runs.

report.json layout (SCHEMA_VERSION 1):
  {"schema_version": 1, "generated": ISO date, "quick": bool, "seed": int, "run_seconds": float,
   "exit_status": int, "sections": [{"key", "title", "status", "note", "summary", "data", "records"}]}
  status:  "ok" | "fail" | "not available"
  summary: {"checks": int, "failures": int, "errata": int[, "quantities": int]}; empty for sections
           that measure rather than check (performance, environment)
  records: [{"id": str, "ok": bool, "error": float | null, "eps": float | null}]
           error is the item's worst relative error; eps the machine epsilon it is measured against.
"""

import json
import math
import os
import stat
import sys
from dataclasses import dataclass, field

from ..core.echo import echoed

SCHEMA_VERSION = 1
STATUSES = ("ok", "fail", "not available")


@dataclass
class Paragraph:
    """Prose; `inline code` in backticks is kept as code in both renderings."""

    text: str


@dataclass
class Bullets:
    items: list


@dataclass
class Table:
    """Cells are already formatted strings; the numbers behind them live in the section's data."""

    headers: list
    rows: list
    caption: str = ""


@dataclass
class Figure:
    """A PNG written under the report folder; `path` is relative to that folder."""

    path: str
    caption: str


@dataclass
class Section:
    key: str
    title: str
    status: str = "ok"
    note: str = ""
    summary: dict = field(default_factory=dict)  # {"checks", "failures", "errata"[, "quantities"]}
    data: dict = field(default_factory=dict)
    records: list = field(default_factory=list)
    blocks: list = field(default_factory=list)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status: expected one of {', '.join(STATUSES)}, got {self.status!r}")

    def to_json(self):
        return {
            "key": self.key,
            "title": self.title,
            "status": self.status,
            "note": self.note,
            "summary": dict(self.summary),
            "data": self.data,
            "records": self.records,
        }


def not_available(key, title, reason):
    """The section a missing provider leaves: a note, no numbers, no records."""
    return Section(
        key,
        title,
        status="not available",
        note=f"not available: {reason}",
        blocks=[Paragraph(f"Not available in this build: {reason}.")],
    )


def broken(key, title, exc):
    """The section a required provider leaves when it raises (an import error included): a failure,
    counted by the verdict, with the error named, never a quiet "not available"."""
    error = f"{type(exc).__name__}: {exc}"
    return Section(
        key,
        title,
        status="fail",
        note=f"failed: {error}",
        summary={"checks": 1, "failures": 1, "errata": 0},
        blocks=[Paragraph(f"This section could not be built, so the report cannot vouch for it: `{error}`.")],
    )


def record(id, ok, error, eps=None):
    """One item `crosscheck compare` can follow from run to run."""
    return {"id": str(id), "ok": bool(ok), "error": _number(error), "eps": _number(eps)}


def _number(x):
    """JSON has no inf or nan; an infinite error (a shape mismatch, a non-finite value) becomes null."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass
class Report:
    sections: list
    generated: str
    quick: bool
    seed: int
    run_seconds: float = 0.0

    def section(self, key):
        return next(s for s in self.sections if s.key == key)

    @property
    def exit_status(self):
        """1 when any section found a disagreement between the implementations, else 0.

        The documents' errata are findings the report exists to show, and they are in every run:
        counting them would make `make report` fail forever. `crosscheck example` exits 1 on them.
        """
        return int(any(s.summary.get("failures", 0) for s in self.sections))

    def to_json(self):
        return {
            "schema_version": SCHEMA_VERSION,
            "generated": self.generated,
            "quick": self.quick,
            "seed": self.seed,
            "run_seconds": round(self.run_seconds, 3),
            "exit_status": self.exit_status,
            "sections": [s.to_json() for s in self.sections],
        }


ONE_LINE = 2000  # characters: an item of a list of objects up to this long is written on one line


def dumps(obj, indent=0):
    """JSON with one line per item of a list of objects (one line per case): compact, and diffs by line."""
    pad = " " * indent
    if isinstance(obj, dict) and obj:
        items = [f"{pad} {json.dumps(str(k))}: {dumps(v, indent + 1).lstrip()}" for k, v in obj.items()]
        return pad + "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(obj, list) and obj and all(isinstance(x, dict) for x in obj):
        lines = []
        for x in obj:
            line = json.dumps(x, separators=(",", ":"), allow_nan=False)
            lines.append(f"{pad} {line}" if len(line) <= ONE_LINE else dumps(x, indent + 1))
        return pad + "[\n" + ",\n".join(lines) + f"\n{pad}]"
    return pad + json.dumps(obj, separators=(", ", ": "), allow_nan=False)


def write_json(report, path):
    path.write_text(dumps(report.to_json()) + "\n")
    return path


# A full report.json is about 3 MB; a file far past that is not one.
MOST_BYTES = 64 * 2**20
STDIN = "-"  # the path that names standard input, as for the Unix tools
_REFUSED = {stat.S_ISDIR: "a folder", stat.S_ISCHR: "a character device", stat.S_ISBLK: "a block device",
            stat.S_ISSOCK: "a socket"}  # fmt: skip


def _read(path):
    """At most MOST_BYTES + 1 bytes of a regular file or a pipe (`compare <(git show ...) new.json`).

    Opened without blocking: a FIFO that nobody writes into once waited for a writer forever, and now
    reads as empty. A device (/dev/zero was read until memory ran out) or a folder is refused.
    `-` is standard input, read to its end."""
    if path == STDIN:
        if sys.stdin is None:  # started with it closed (`<&-`)
            raise ValueError("-: expected a report.json on standard input, got a closed standard input")
        return sys.stdin.buffer.read(MOST_BYTES + 1)
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        kind = next((name for test, name in _REFUSED.items() if test(mode)), None)
        if kind:
            raise ValueError(f"{echoed(str(path))}: expected a report.json file, got {kind}")
        os.set_blocking(fd, True)  # a pipe with a writer is read to its end
        return f.read(MOST_BYTES + 1)


def load_json(path):
    """A report.json as a dict, from a file or from standard input (`-`); ValueError (exit 2 in the
    CLI) when unreadable or of another schema. Its sections and records are judged where they are
    read, in compare.records, by the stricter rules there."""
    name = echoed(str(path))  # as messages show it
    try:
        data = _read(path)
    except OSError as exc:
        raise ValueError(f"{name}: expected a readable report.json, got {exc.strerror}") from exc
    if len(data) > MOST_BYTES:
        raise ValueError(f"{name}: expected a report.json of at most {MOST_BYTES // 2**20} MiB, got more")
    try:
        doc = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{name}: expected a report.json, got text that is not JSON ({exc.msg} at line {exc.lineno})"
        ) from exc
    except UnicodeDecodeError:
        raise ValueError(f"{name}: expected a report.json, got a file that is not UTF-8 text") from None
    except RecursionError:
        raise ValueError(f"{name}: expected a report.json, got JSON nested too deeply to read") from None
    except ValueError as exc:  # what json leaves to Python: an integer of more than 4,300 digits
        raise ValueError(f"{name}: expected a report.json, got JSON that Python refuses ({exc})") from None
    version = doc.get("schema_version") if isinstance(doc, dict) else None
    if type(version) is not int or version != SCHEMA_VERSION:  # True == 1, and 1.0 == 1
        raise ValueError(f"{name}: expected schema_version {SCHEMA_VERSION}, got {version!r}")
    if not isinstance(doc.get("sections"), list):
        raise ValueError(f"{name}: expected a list under 'sections', got {type(doc.get('sections')).__name__}")
    return doc
