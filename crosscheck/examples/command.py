"""`crosscheck example`: list the worked examples, or print one's step table (or JSON).

Exit status: 0 when every printed value is ok or rounding drift, 1 when an erratum is found (or
the two implementations disagree), 2 on bad usage.
"""

import json
import sys

from tabulate import tabulate

from ..core.echo import echoed
from . import runner as examples

HEADERS = ["step", "equation", "printed", "local", "reference", "torch", "verdict", "correct"]


def step_table(result):
    """The rows of one example's step table, in HEADERS order ("local": from the printed step before)."""
    rows = []
    for s in result.steps:
        verdict = s.verdict
        if not s.twins_agree:
            verdict += f"; TWINS DISAGREE (rel {s.twins_rel:.1e})"
        elif s.printed is None:
            verdict += " (twins agree)"
        rows.append(
            [
                s.step,
                s.equation,
                s.printed or "",
                examples.show(s.local),
                examples.show(s.reference),
                examples.show(s.torch),
                verdict,
                s.correct or "",
            ]
        )
    return rows


def notes(result):
    """The notes of the step table, one line per step that has one."""
    return [f"{s.step}: {s.note}" for s in result.steps if s.note]


def listing():
    """One line per example: its name, title and source."""
    rows = []
    for name in examples.names():
        data = examples.load(name)
        source = data.get("source", {})
        rows.append(
            [name, data.get("title", ""), f"doc {source.get('document', '?')[:3]}, line {source.get('line', '?')}"]
        )
    return rows


def run(args):
    if args.list and args.name is not None:
        raise ValueError(f"--list: expected no example name beside it, got {echoed(args.name)}")
    if args.list or args.name is None:
        args.status = 0 if args.list else 2  # kept if the reader closes the pipe (cli.main)
        if args.name is None and not args.list:
            print("crosscheck example: error: NAME: expected an example name or --list, got none", file=sys.stderr)
        headers = ["name", "example", "source"]
        if args.json:
            print(json.dumps([dict(zip(headers, row)) for row in listing()], indent=2))
        else:
            print(tabulate(listing(), headers))
        return 0 if args.list else 2
    if args.name not in examples.names():
        print(
            f"crosscheck example: error: NAME: expected one of {', '.join(examples.names())}, "
            f"got unknown example {echoed(args.name)}",
            file=sys.stderr,
        )
        return 2
    result = examples.run(args.name)
    args.status = 0 if result.ok else 1  # kept if the reader closes the pipe (cli.main)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        source = result.source
        print(f"{result.name}: {result.title}")
        print(f"source: {source.get('document')}, {source.get('section')} (line {source.get('line')})")
        for key, reading in result.reading.items():
            print(f"reading of {key}: {reading}")
        print()
        print(tabulate(step_table(result), HEADERS, disable_numparse=True))
        lines = notes(result)
        if lines:
            print("\nnotes:")
            print("\n".join(f"  {line}" for line in lines))
        counts = result.counts()
        print(f"\n{sum(counts.values())} printed values: " + ", ".join(f"{n} {v}" for v, n in counts.items()))
    return 0 if result.ok else 1


def add_arguments(p):
    p.add_argument("name", nargs="?", help="the example's name (see --list)")
    p.add_argument("--list", action="store_true", help="list the examples")
    p.add_argument("--json", action="store_true", help="print the step table as JSON")
    p.set_defaults(func=run)
