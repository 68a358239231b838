"""The catalogue file and its fields: what an entry may hold, each [[equation]] table checked field by
field, and load() with the cross-entry rules. The file's header (catalogue.toml) explains the fields.

Kept apart from runner.py so that the cross-checks (which read the entries) need not import the runner.
"""

import functools
import pathlib
import tomllib
from dataclasses import dataclass

DATA = pathlib.Path(__file__).with_name("catalogue.toml")
DOCUMENTS = ("000", "001", "002", "003", "004")
STATUSES = ("verified", "erratum")
# What an entry states (every entry).
KINDS = ("equation", "definition", "convention", "derived", "shape", "count", "claim", "code", "example")
# What kind of printed mistake an erratum is (errata only).
MISTAKES = ("formula", "numeric", "code", "wording", "index", "count", "convention")
REQUIRED = ("id", "doc", "section", "lines", "printed", "reference", "status", "kind", "checks")
OPTIONAL = ("corrected", "mistake", "ledger", "note", "example", "evidence", "quote", "witness")
# The checks that read the catalogue's own fields: the seed-text citations and the worked examples.
CITATIONS, EXAMPLES = "citations", "worked_examples"


@dataclass(frozen=True)
class Entry:
    id: str
    doc: str
    section: str
    lines: tuple  # the seed lines the entry cites (1-based, as `cat -n` numbers them)
    printed: str
    reference: str
    status: str
    kind: str  # what it states: KINDS
    checks: tuple
    corrected: str = ""
    mistake: str = ""  # an erratum's kind of mistake: MISTAKES
    ledger: str = ""  # the erratum it is counted under, when one mistake is printed in several entries
    note: str = ""
    example: str = ""  # the worked example (crosscheck/examples/data) whose printed numbers it stands for
    evidence: tuple = ()  # "example/step" of each worked-example value that shows this erratum
    quote: tuple = ()  # (line, text): what the entry's lines print, verbatim (citations checks it)
    witness: tuple = ()  # (line, text): the document's own lines that contradict a printed mistake

    @property
    def counted_as(self):
        """The ledger id of the distinct printed mistake this erratum belongs to ("" when verified)."""
        return (self.ledger or self.id) if self.status == "erratum" else ""

    @property
    def label(self):
        """`kind` as `crosscheck equations --json` reports it: the mistake for an erratum, else what it states."""
        return self.mistake if self.status == "erratum" else self.kind


def cite(lines):
    """Seed line numbers as a reader cites them: [32, 34, 90] -> "l.32-34, l.90".

    A run may step over one line (the seeds put a blank line between most printed lines).
    """
    runs, start = [], None
    for k, n in enumerate(lines):
        if start is None:
            start = n
        if k + 1 == len(lines) or lines[k + 1] > n + 2:
            runs.append(f"l.{start}" if start == n else f"l.{start}-{n}")
            start = None
    return ", ".join(runs)


def _line_list(label, field, value):
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in value)
    ):
        raise ValueError(f"catalogue {label}: {field} expected a non-empty list of seed line numbers, got {value!r}")
    if value != sorted(set(value)):
        raise ValueError(f"catalogue {label}: {field} must be increasing without repeats, got {value}")
    return tuple(value)


def _citations(label, field, value):
    ok = isinstance(value, list) and all(
        isinstance(c, list) and len(c) == 2 and isinstance(c[0], int) and isinstance(c[1], str) and c[1].strip()
        for c in value
    )
    if not ok or not value:
        raise ValueError(f"catalogue {label}: {field} expected [[line, text], ...], got {value!r}")
    return tuple((n, text) for n, text in value)


def _basics(item, label):
    missing = [k for k in REQUIRED if k not in item]
    if missing:
        raise ValueError(f"catalogue {label}: missing fields {missing}")
    unknown = set(item) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        raise ValueError(f"catalogue {label}: unknown fields {sorted(unknown)}")
    if not item["id"].startswith(item["doc"] + "."):
        raise ValueError(f"catalogue {label}: id must start with its document {item['doc']!r}")
    for field, allowed in (("doc", DOCUMENTS), ("status", STATUSES), ("kind", KINDS)):
        if item[field] not in allowed:
            raise ValueError(f"catalogue {label}: {field} expected one of {allowed}, got {item[field]!r}")
    erratum = item["status"] == "erratum"
    if erratum != bool(item.get("corrected")):
        raise ValueError(f"catalogue {label}: an erratum needs `corrected`, a verified entry has none")
    if erratum and item.get("mistake") not in MISTAKES:
        raise ValueError(
            f"catalogue {label}: an erratum needs `mistake`, one of {MISTAKES}, got {item.get('mistake')!r}"
        )
    if not erratum and ("mistake" in item or "ledger" in item or "evidence" in item or "witness" in item):
        raise ValueError(f"catalogue {label}: mistake, ledger, evidence and witness belong to errata")
    if not item["checks"]:
        raise ValueError(f"catalogue {label}: no cross-check exercises it")


def entry(item, label):
    """One [[equation]] table checked field by field; the cross-entry rules are in load()."""
    _basics(item, label)
    fields = {**item, "lines": _line_list(label, "lines", item["lines"]), "checks": tuple(item["checks"])}
    for field in ("quote", "witness"):
        if field in item:
            fields[field] = _citations(label, field, item[field])
    outside = [n for n, _ in fields.get("quote", ()) if n not in fields["lines"]]
    if outside:
        raise ValueError(f"catalogue {label}: quote cites lines {outside} that are not among its lines")
    if ("quote" in item) != (CITATIONS in item["checks"]) or ("witness" in item and "quote" not in item):
        raise ValueError(
            f"catalogue {label}: an entry with a quote (and witness) lists the check {CITATIONS!r}, "
            "and only such an entry does"
        )
    if "evidence" in item:
        ev = item["evidence"]
        if not isinstance(ev, list) or not ev or not all(isinstance(e, str) and e.count("/") == 1 for e in ev):
            raise ValueError(f'catalogue {label}: evidence expected ["example/step", ...], got {ev!r}')
        fields["evidence"] = tuple(ev)
    if bool(item.get("example") or item.get("evidence")) != (EXAMPLES in item["checks"]):
        raise ValueError(
            f"catalogue {label}: an entry with an example or evidence lists the check {EXAMPLES!r}, "
            "and only such an entry does"
        )
    return Entry(**fields)


@functools.lru_cache(maxsize=8)
def _parse(text):
    return tomllib.loads(text)


def tables(path, name):
    """The [[name]] tables of the TOML file at path, as parsed dicts that callers only read.

    Parsed once per distinct text: the 100 kB catalogue takes 37 ms to parse, and one test process
    loaded it some 70 times (2.9 s). Keyed on the text, not the path: a file rewritten in place is
    parsed again.
    """
    return _parse(pathlib.Path(path).read_text(encoding="utf-8")).get(name, [])


def load(path=DATA):
    """{id: Entry} in the file's order; ValueError naming the entry and field when one is malformed."""
    raw = tables(path, "equation")
    entries = {}
    for n, item in enumerate(raw):
        label = item.get("id", f"entry #{n}")
        e = entry(item, label)
        if e.id in entries:
            raise ValueError(f"catalogue {label}: duplicate id")
        entries[e.id] = e
    for e in entries.values():
        if e.ledger:
            head = entries.get(e.ledger)
            if head is None or head.status != "erratum" or head.ledger or head.id == e.id:
                raise ValueError(
                    f"catalogue {e.id}: ledger {e.ledger!r} must name another erratum counted under itself"
                )
            if (head.mistake, head.doc) != (e.mistake, e.doc):
                raise ValueError(f"catalogue {e.id}: counted under {head.id}, so the same document and mistake kind")
    return entries
