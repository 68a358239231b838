"""The check "worked_examples": the catalogue's entries for the documents' worked numeric examples.

An entry with `example` stands for one example (crosscheck/examples/data): it agrees when the reference
and torch agree on every step and every step judged an erratum is claimed by an erratum entry's
`evidence`. An erratum with `evidence` names the example steps that show it: its corrected values are
the computed ones (reference vs torch), and it disagrees while each printed value does.
"""

import math
import re

import numpy as np

from ...core.compare import compare_arrays
from ...examples.runner import run
from ...examples.verdict import ERRATUM
from ..findings import TOLERANCE, Finding
from ..schema import EXAMPLES, load


def _number(text):
    """The numbers of a printed value ("-0.09", "[0,1,0]", "50%") as an array."""
    values = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]
    return np.array(values[0] if len(values) == 1 else values) / (100 if text.strip().endswith("%") else 1)


def worked_examples():
    """Every example an entry names, recomputed by crosscheck.examples.runner (reference and torch side by side)."""
    entries = load()
    listing = [e for e in entries.values() if EXAMPLES in e.checks]
    claimed = {step for e in entries.values() if e.status == "erratum" for step in e.evidence}
    names = sorted({e.example for e in listing if e.example} | {s.split("/")[0] for e in listing for s in e.evidence})
    steps = {f"{name}/{s.step}": s for name in names for s in run(name).steps}
    out = {}
    for e in listing:
        if e.example:
            mine = {k: s for k, s in steps.items() if k.startswith(e.example + "/")}
            loose = [k for k, s in mine.items() if s.verdict == ERRATUM and k not in claimed]
            error = max(s.twins_rel for s in mine.values())
            out[e.id] = Finding(
                math.inf if loose else error,
                math.nan,
                f"numeric: {loose[0]} is judged an erratum that no catalogue entry claims" if loose else "",
            )
            continue
        missing = [k for k in e.evidence if k not in steps]
        if missing:
            out[e.id] = Finding(math.inf, math.nan, f"numeric: no worked-example step {missing[0]}")
            continue
        shown = [steps[k] for k in e.evidence]
        printed = [
            compare_arrays("printed", _number(s.printed), np.asarray(s.torch, dtype=float), TOLERANCE).max_rel
            if s.verdict == ERRATUM
            else 0.0
            for s in shown
        ]
        said = "; ".join(
            f"{k.split('/')[1]} printed {s.printed}, the printed inputs give {s.correct}"
            for k, s in zip(e.evidence, shown)
            if s.verdict == ERRATUM
        )
        out[e.id] = Finding(max(s.twins_rel for s in shown), min(printed), f"numeric: {said}" if said else "")
    return out


CHECKS = (worked_examples,)
