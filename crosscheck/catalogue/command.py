"""`crosscheck equations`: the equation catalogue as a table, each entry with its status and largest error seen.

Exit 0 when every entry behaves as catalogued (errata are expected findings and are shown), 1 when a
verified entry's cross-check disagrees or an erratum's printed form unexpectedly agrees, 2 on an unknown id.
"""

import math
import sys
import textwrap

from tabulate import tabulate

from .findings import TOLERANCE
from .runner import load, run


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
                textwrap.shorten(e.section, 40),
                e.status,
                ", ".join(o.checks),
                _num(o.error),
                _num(o.printed_error),
                "ok" if o.ok else "DISAGREES",
            ]
        )
    return rows


def detail(outcome):
    """One entry in full: its source text, the correction for an erratum, and what the checks saw."""
    e = outcome.entry
    lines = [
        f"{e.id}  (document {e.doc}, {e.section})",
        f"kind:       {e.kind}",
        f"status:     {e.status}",
        f"printed:    {e.printed}",
    ]
    if e.corrected:
        lines.append(f"corrected:  {e.corrected}")
    lines += [
        f"reference:  {e.reference}",
        f"checks:     {', '.join(outcome.checks)}",
        f"error:      {_num(outcome.error)} (reference vs torch; tolerance {TOLERANCE})",
    ]
    if e.status == "erratum":
        lines.append(f"printed form vs torch: {_num(outcome.printed_error)} - {outcome.how}")
    if e.note:
        lines.append(f"note:       {e.note}")
    lines.append(f"verdict:    {'ok' if outcome.ok else 'DISAGREES'}")
    return "\n".join(lines)


def main(args):
    entries = load()
    if args.id is not None and args.id not in entries:
        print(
            f"crosscheck equations: error: --id: expected an id listed by `crosscheck equations`, "
            f"got unknown id {args.id!r}",
            file=sys.stderr,
        )
        return 2
    outcomes = run([args.id] if args.id else None, entries)
    if args.id:
        print(detail(outcomes[args.id]))
    else:
        print(tabulate(table(outcomes), headers=["id", "section", "status", "checks", "error", "printed", "verdict"]))
        counts = {}
        for e in entries.values():
            counts.setdefault(e.doc, [0, 0])[e.status == "erratum"] += 1
        summary = ", ".join(f"{d}: {v + r} ({r} errata)" for d, (v, r) in sorted(counts.items()))
        bad = sum(not o.ok for o in outcomes.values())
        print(f"\n{len(entries)} entries - {summary}; {bad} disagreeing; tolerance {TOLERANCE}")
    return 0 if all(o.ok for o in outcomes.values()) else 1


def add_parser(sub):
    parser = sub.add_parser("equations", help=__doc__.splitlines()[0], description=__doc__)
    parser.add_argument("--id", help="show one entry (e.g. 002.relu-prime) with its source text")
    parser.set_defaults(func=main)
