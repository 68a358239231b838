"""The equation catalogue: load crosscheck/catalogue/catalogue.toml and run each entry's cross-checks.

An entry is `verified` when its reference function agrees with PyTorch, and an `erratum` when the
printed form disagrees with PyTorch while the corrected form agrees. Cross-checks live in
crosscheck/catalogue/checks and return {catalogue id: Finding}. schema.py holds the fields and load();
ledger.py counts the errata as distinct printed mistakes.
"""

import importlib
import math

from .checks import CHECKS
from .findings import Outcome
from .schema import CITATIONS, DATA, DOCUMENTS, EXAMPLES, KINDS, MISTAKES, STATUSES, Entry, cite, load

__all__ = [
    "CITATIONS",
    "DATA",
    "DOCUMENTS",
    "EXAMPLES",
    "KINDS",
    "MISTAKES",
    "STATUSES",
    "Entry",
    "cite",
    "load",
    "resolve",
    "run",
]


def resolve(dotted):
    """The object a dotted path names (module attributes and class attributes alike)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ValueError(f"reference: cannot import {dotted!r}")


def run(ids=None, entries=None):
    """Run the cross-checks the given ids (default: all) need; {id: Outcome}.

    ValueError when a check returns an id the catalogue lacks, or leaves out one that lists it.
    """
    entries = load() if entries is None else entries
    ids = list(entries) if ids is None else list(ids)
    unknown = [i for i in ids if i not in entries]
    if unknown:
        raise ValueError(f"unknown catalogue id {unknown[0]!r}: see `crosscheck equations` for the list")
    names = sorted({c for i in ids for c in entries[i].checks})
    findings = {}
    for name in names:
        if name not in CHECKS:
            raise ValueError(f"catalogue: check {name!r} does not exist")
        result = CHECKS[name]()
        for i, finding in result.items():
            if i not in entries:
                raise ValueError(f"check {name}: returns id {i!r}, which is not in the catalogue")
            if name not in entries[i].checks:
                raise ValueError(f"check {name}: returns {i!r}, whose entry does not list it")
            findings.setdefault(i, []).append((name, finding))
    outcomes = {}
    for i in ids:
        entry = entries[i]
        got = findings.get(i, [])
        absent = set(entry.checks) - {name for name, _ in got}
        if absent:
            raise ValueError(f"catalogue {i}: checks {sorted(absent)} do not report on it")
        fs = [f for _, f in got]
        printed = [f for f in fs if not math.isnan(f.printed_error)]
        outcomes[i] = Outcome(
            entry,
            max(f.error for f in fs),
            min((f.printed_error for f in printed), default=math.nan),
            "; ".join(f.how for f in fs if f.how),
            entry.checks,
        )
    return outcomes
