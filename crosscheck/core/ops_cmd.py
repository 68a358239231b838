"""`crosscheck ops`: the registered activations and losses, one per line, with parameters, kinks and domain."""

import json

from tabulate import tabulate

from .ops import ACTIVATIONS, LOSSES, describe

HEADERS = ("name", "kind", "parameters", "kinks", "domain", "source")


def run(args):
    rows = [describe(op) for op in (*ACTIVATIONS.values(), *LOSSES.values())]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(tabulate([[r[h] for h in HEADERS] for r in rows], HEADERS, tablefmt="plain"))
    return 0


def add_arguments(p):
    p.description = __doc__
    p.add_argument("--json", action="store_true", help="print the records as JSON")
    p.set_defaults(func=run)
