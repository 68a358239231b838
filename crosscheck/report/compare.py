"""`crosscheck compare OLD.json NEW.json`: what got worse between two report.json files.

Every section's records (id, ok, worst relative error, eps) are matched by section and id.
An item got worse when it passed and now fails, or when its error grew beyond rounding noise
(tolerances.got_worse: more than REGRESSION_FACTOR times, and above REGRESSION_FLOOR_EPS eps).
An item of OLD missing from NEW counts as worse too: a check that stops running proves nothing.
Exit status: 0 nothing worse, 1 something worse or missing, 2 unreadable file or other schema.
"""

from dataclasses import dataclass, field

from ..core.arguments import non_negative_int
from ..core.tolerances import REGRESSION_FACTOR, REGRESSION_FLOOR_EPS, got_worse
from .model import load_json


def _fmt(x):
    return "inf" if x is None else f"{x:.3g}"


@dataclass
class Diff:
    compared: int = 0
    worse: list = field(default_factory=list)  # sentences
    missing: list = field(default_factory=list)
    added: list = field(default_factory=list)
    better: int = 0

    @property
    def ok(self):
        return not self.worse and not self.missing


def records(doc):
    """{(section key, record id): record} over every section of a loaded report.json."""
    out = {}
    for section in doc["sections"]:
        for r in section.get("records", []):
            out[(section["key"], r["id"])] = r
    return out


def diff(old, new):
    """Diff of two loaded report.json documents."""
    old_r, new_r = records(old), records(new)
    d = Diff()
    for key, o in old_r.items():
        name = f"{key[0]}/{key[1]}"
        n = new_r.get(key)
        if n is None:
            d.missing.append(f"{name}: present in OLD, missing from NEW")
            continue
        d.compared += 1
        eps = n.get("eps") or o.get("eps")
        if o["ok"] and not n["ok"]:
            d.worse.append(f"{name}: passed, now fails (worst relative error {_fmt(o['error'])} -> {_fmt(n['error'])})")
        elif got_worse(o["error"], n["error"], eps):
            growth = "" if not o["error"] or n["error"] is None else f", x{n['error'] / o['error']:.3g}"
            d.worse.append(f"{name}: worst relative error {_fmt(o['error'])} -> {_fmt(n['error'])}{growth}")
        elif got_worse(n["error"], o["error"], eps) or (n["ok"] and not o["ok"]):
            d.better += 1
    d.added = [f"{k[0]}/{k[1]}" for k in new_r if k not in old_r]
    return d


def run(args):
    old, new = load_json(args.old), load_json(args.new)
    d = diff(old, new)
    for line in d.worse:
        print(f"WORSE    {line}")
    for line in d.missing[: args.limit]:
        print(f"MISSING  {line}")
    if len(d.missing) > args.limit:
        print(f"MISSING  ... and {len(d.missing) - args.limit} more")
    print(
        f"{d.compared} items compared: {len(d.worse)} worse, {len(d.missing)} missing, {len(d.added)} new, "
        f"{d.better} better (worse = passed and now fails, or error x{REGRESSION_FACTOR:g} and above "
        f"{REGRESSION_FLOOR_EPS} eps)"
    )
    return 0 if d.ok else 1


def add_parser(sub):
    p = sub.add_parser("compare", help="diff two report.json files; exit 1 if agreement got worse")
    p.add_argument("old", help="the earlier report.json")
    p.add_argument("new", help="the later report.json")
    p.add_argument("--limit", type=non_negative_int, default=50, help="missing items to list (default 50)")
    p.set_defaults(func=run)
