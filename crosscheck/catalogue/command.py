"""`crosscheck equations`: the equation catalogue as a table, each entry with its status and largest error seen.

The table ends with the errata ledger: the distinct printed mistakes by kind, and the rounding drifts
apart. --json prints every entry as a JSON array instead. Exit 0 when every entry behaves as catalogued
(errata are expected findings and are shown), 1 when a verified entry's cross-check disagrees or an
erratum's printed form unexpectedly agrees, 2 on an unknown id.
"""

import json
import math
import sys
import textwrap

from tabulate import tabulate

from ..core.echo import echoed
from . import ledger
from .findings import TOLERANCE
from .runner import cite, load, run


def _num(x):
    return "-" if math.isnan(x) else ("shape" if math.isinf(x) else f"{x:.1e}")


def table(outcomes):
    """The rows of the catalogue table: id, section, status, checks, error, printed-form error, verdict."""
    rows = []
    for o in outcomes.values():
        e = o.entry
        rows.append(
            [
                e.id,
                textwrap.shorten(f"{e.section} ({cite(e.lines)})", 40),
                e.status,
                ", ".join(o.checks),
                _num(o.error),
                _num(o.printed_error),
                "ok" if o.ok else "DISAGREES",
            ]
        )
    return rows


def _finite(x):
    """A float for JSON, or None for NaN and infinity (JSON has neither; `how` says what happened)."""
    return float(x) if math.isfinite(x) else None


def as_json(outcome):
    """One entry as `--json` prints it. `kind` is the mistake for an erratum and what the entry states otherwise."""
    e = outcome.entry
    erratum = e.status == "erratum"
    return {
        "id": e.id,
        "doc": e.doc,
        "section": e.section,
        "lines": list(e.lines),
        "status": e.status,
        "kind": e.label,
        "states": e.kind,
        "mistake": e.mistake or None,
        "counted_as": e.counted_as or None,
        "printed": e.printed,
        "corrected": e.corrected if erratum else None,
        "largest_error": _finite(outcome.error),
        "printed_error": _finite(outcome.printed_error) if erratum else None,
        "how": outcome.how,
        "ok": bool(outcome.ok),
        "checks": list(outcome.checks),
        "reference": e.reference,
        "note": e.note or None,
        "example": e.example or None,
        "evidence": list(e.evidence),
        "witness_lines": [n for n, _ in e.witness],
    }


def detail(outcome):
    """One entry in full: its source text, the correction for an erratum, and what the checks saw."""
    e = outcome.entry
    lines = [
        f"{e.id}  (document {e.doc}, {e.section}, {cite(e.lines)})",
        f"kind:       {e.kind}",
        f"status:     {e.status}",
        f"printed:    {e.printed}",
    ]
    if e.mistake:
        lines.append(f"mistake:    {e.mistake}" + (f" (counted under {e.ledger})" if e.ledger else ""))
    if e.corrected:
        lines.append(f"corrected:  {e.corrected}")
    lines += [
        f"reference:  {e.reference}",
        f"checks:     {', '.join(outcome.checks)}",
        f"error:      {_num(outcome.error)} (reference vs torch; tolerance {TOLERANCE})",
    ]
    if e.status == "erratum":
        lines.append(f"printed form vs torch: {_num(outcome.printed_error)} - {outcome.how}")
    elif outcome.how:
        lines.append(f"seen:       {outcome.how}")
    if e.note:
        lines.append(f"note:       {e.note}")
    lines.append(f"verdict:    {'ok' if outcome.ok else 'DISAGREES'}")
    return "\n".join(lines)


def main(args):
    entries = load()
    if args.id is not None and args.id not in entries:
        print(
            f"crosscheck equations: error: --id: expected an id listed by `crosscheck equations`, "
            f"got unknown id {echoed(args.id)}",
            file=sys.stderr,
        )
        return 2
    outcomes = run([args.id] if args.id else None, entries)
    if args.json:
        print(json.dumps([as_json(o) for o in outcomes.values()], indent=1))
    elif args.id:
        print(detail(outcomes[args.id]))
    else:
        print(tabulate(table(outcomes), headers=["id", "section", "status", "checks", "error", "printed", "verdict"]))
        counts = {}
        for e in entries.values():
            counts.setdefault(e.doc, [0, 0])[e.status == "erratum"] += 1
        summary = ", ".join(f"{d}: {v + r} ({r} errata)" for d, (v, r) in sorted(counts.items()))
        bad = sum(not o.ok for o in outcomes.values())
        print(f"\n{len(entries)} entries - {summary}; {bad} disagreeing; tolerance {TOLERANCE}")
        print(ledger.build(entries).summary())
    return 0 if all(o.ok for o in outcomes.values()) else 1


def add_arguments(parser):
    parser.description = __doc__
    parser.add_argument("--id", help="show one entry (e.g. 002.relu-prime) with its source text")
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the entries (or the one --id names) as a JSON array: id, doc, lines, status, kind "
        "(the mistake for an erratum), printed, corrected, largest_error, ...",
    )
    parser.set_defaults(func=main)
