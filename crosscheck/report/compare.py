"""`crosscheck compare OLD.json NEW.json`: what got worse between two report.json files.

Every section's records (id, ok, worst relative error, eps) are matched by section and id.
An item got worse when it passed and now fails, or when its error grew beyond rounding noise
(tolerances.got_worse: more than REGRESSION_FACTOR times, and above REGRESSION_FLOOR_EPS eps).
An item of OLD missing from NEW counts as worse too: a check that stops running proves nothing.
A record without a dtype (eps null: worked examples) is judged with float64's rounding floor.
Exit status: 0 nothing worse, 1 something worse or missing, 2 unreadable file, other schema or a
malformed section or record (named, with what was expected and what came).
"""

import math
from dataclasses import dataclass, field

from ..core.arguments import non_negative_int
from ..core.echo import echoed
from ..core.tolerances import REGRESSION_FACTOR, REGRESSION_FLOOR_EPS, got_worse
from .model import STDIN, load_json


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


def _finite(value):
    """A number (not a bool) that is finite as a float: 10**400 is not."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


# What each record must hold: the check, and the words for what was expected. A report writes no
# Infinity, and an eps is a float format's machine epsilon: an infinite or huge one once passed an
# error 5e15 times larger as rounding. An id is printed on a line of its own: a newline in it forged
# a line.
FIELDS = {
    "id": (lambda v: isinstance(v, str) and v.isprintable(), "a printable string"),
    "ok": (lambda v: isinstance(v, bool), "true or false"),
    "error": (lambda v: v is None or (_finite(v) and v >= 0), "a finite non-negative number or null"),
    "eps": (lambda v: v is None or (_finite(v) and 0 < v < 1), "a machine epsilon (above 0, below 1) or null"),
}


def records(doc, name="report"):
    """{(section key, record id): record} over every section of a loaded report.json.

    ValueError naming the report, the section and the record when one is malformed.
    """
    out = {}
    for i, section in enumerate(doc["sections"]):
        where = f"{name}: sections[{i}]"
        # The key is printed too, before each WORSE and MISSING id: held to what an id is held to
        if not isinstance(section, dict) or not FIELDS["id"][0](section.get("key")):
            raise ValueError(f"{where}: expected an object with a printable string 'key', got {echoed(section)}")
        rows = section.get("records", [])
        if not isinstance(rows, list):
            raise ValueError(f"{where} ({section['key']}): expected a list under 'records', got {type(rows).__name__}")
        for j, r in enumerate(rows):
            if not isinstance(r, dict):
                raise ValueError(f"{where}.records[{j}]: expected an object, got {type(r).__name__}")
            for field_name, (valid, expected) in FIELDS.items():
                if field_name not in r or not valid(r[field_name]):
                    got = echoed(r[field_name]) if field_name in r else "nothing"
                    raise ValueError(f"{where}.records[{j}]: expected {field_name!r} {expected}, got {got}")
            if (section["key"], r["id"]) in out:  # the later one would replace the earlier without a word
                raise ValueError(
                    f"{where}.records[{j}]: expected each id once in {section['key']!r}, got {echoed(r['id'])} again"
                )
            out[(section["key"], r["id"])] = r
    return out


def diff(old, new, names=("OLD", "NEW")):
    """Diff of two loaded report.json documents (ValueError when a record is malformed, naming its
    document by `names`)."""
    old_r, new_r = records(old, names[0]), records(new, names[1])
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
    if args.old == args.new == STDIN:  # one stream cannot be both reports
        raise ValueError("new: expected a report.json other than standard input, which old reads, got - again")
    old, new = load_json(args.old), load_json(args.new)
    d = diff(old, new, (f"OLD {echoed(args.old)}", f"NEW {echoed(args.new)}"))
    args.status = 0 if d.ok else 1  # kept if the reader closes the pipe (cli.main)
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


def add_arguments(p):
    p.add_argument("old", help="the earlier report.json (- reads it from standard input)")
    p.add_argument("new", help="the later report.json (- reads it from standard input)")
    p.add_argument("--limit", type=non_negative_int, default=50, help="missing items to list (default 50)")
    p.set_defaults(func=run)
