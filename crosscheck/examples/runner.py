"""The documents' worked examples, step by step: each printed value judged, each unprinted one shown.

The examples live as data in crosscheck/data/examples/*.toml (one file per example, values as the
document printed them). run(name) recomputes one of them (crosscheck.worked) and judges every
printed value (crosscheck.verdict); run_all() does every example, for the report.
"""

import pathlib
import tomllib
from dataclasses import asdict, dataclass, field

import numpy as np

from ..core.compare import compare_arrays
from ..core.tolerances import tolerance_for
from .verdict import DRIFT, ERRATUM, NOT_PRINTED, OK, judge

DATA = pathlib.Path(__file__).parent / "data"


@dataclass
class Step:
    """One row of an example's step table."""

    step: str
    equation: str
    printed: str | None  # as printed; None where the document printed nothing
    local: object  # recomputed from the printed step before (None where not printed)
    reference: object
    torch: object
    verdict: str  # ok, rounding drift, erratum, or "not printed"
    correct: str | None = None  # the correct value, written as printed, where it is not ok
    note: str = ""
    twins_agree: bool = True  # reference and torch agree to the float64 tolerance
    twins_rel: float = 0.0  # their norm-wise relative difference


@dataclass
class Result:
    name: str
    title: str
    source: dict
    reading: dict
    steps: list = field(default_factory=list)

    @property
    def errata(self):
        return [s for s in self.steps if s.verdict == ERRATUM]

    @property
    def twins_disagree(self):
        return [s for s in self.steps if not s.twins_agree]

    @property
    def ok(self):
        """True when nothing printed is an erratum and the two implementations agree everywhere."""
        return not self.errata and not self.twins_disagree

    def counts(self):
        out = {OK: 0, DRIFT: 0, ERRATUM: 0}
        for s in self.steps:
            if s.verdict in out:
                out[s.verdict] += 1
        return out

    def to_json(self):
        return {
            "name": self.name,
            "title": self.title,
            "source": self.source,
            "reading": self.reading,
            "counts": self.counts(),
            "steps": [{k: _plain(v) for k, v in asdict(s).items()} for s in self.steps],
        }


def names():
    """The example names, sorted: the stems of the data files."""
    return sorted(p.stem for p in DATA.glob("*.toml"))


def load(name):
    """The parsed data file of example `name`."""
    path = DATA / f"{name}.toml"
    if not path.is_file():
        raise ValueError(f"example: unknown name {name!r}; expected one of {', '.join(names())}")
    with path.open("rb") as f:
        data = tomllib.load(f)
    if data.get("name") != name:
        raise ValueError(f"{path.name}: expected name = {name!r} inside the file, got {data.get('name')!r}")
    return data


def run(name):
    """Result of one example: every step recomputed and every printed value judged."""
    from .kinds import recompute  # here: it brings torch, which names(), load() and `example --list` never need

    data = load(name)
    tol = tolerance_for("float64")
    verdicts = {}
    steps = []
    for c in recompute(data):
        twins_ok, rel = _twins(c.reference, c.torch, tol)
        if c.printed is None:
            steps.append(
                Step(
                    c.step,
                    c.equation,
                    None,
                    None,
                    c.reference,
                    c.torch,
                    NOT_PRINTED,
                    note=c.note,
                    twins_agree=twins_ok,
                    twins_rel=rel,
                )
            )
            continue
        misprinted = tuple(u for u in c.uses if verdicts.get(u) == ERRATUM)
        v = judge(c.printed, c.local, c.reference, c.torch, misprinted, from_inputs=not c.uses)
        verdicts[c.step] = v.verdict
        note = "; ".join(n for n in (v.note, c.note) if n)
        steps.append(
            Step(
                c.step,
                c.equation,
                c.printed.text,
                c.local,
                c.reference,
                c.torch,
                v.verdict,
                v.correct,
                note,
                twins_ok,
                rel,
            )
        )
    return Result(name, data.get("title", ""), data.get("source", {}), data.get("reading", {}), steps)


def run_all():
    """Result of every example, in name order (for the report)."""
    return [run(name) for name in names()]


def _twins(ref, other, tol):
    ref_a, other_a = np.asarray(ref, dtype=float), np.asarray(other, dtype=float)
    row = compare_arrays("value", ref_a, other_a, tol)
    return bool(row.ok), float(row.max_rel)


def _plain(value):
    """JSON-ready: arrays to (nested) lists, NumPy scalars to Python numbers."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def show(value, digits=4):
    """A value for the step table: scalars to `digits` decimals, vectors in brackets, a matrix one
    row per line."""
    if value is None:
        return ""
    array = np.asarray(value, dtype=float) + 0.0  # + 0.0 turns -0.0 into 0.0
    if array.ndim == 0:
        x = float(array)
        return str(int(x)) if x.is_integer() and abs(x) < 1e6 else f"{x:.{digits}f}"
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim == 2:
        return "\n".join(show(row, digits) for row in array)
    if np.all(array == np.round(array)):
        return "[" + ",".join(str(int(v)) for v in array) + "]"
    return "[" + " ".join(f"{v:.{digits}f}" for v in array) + "]"
