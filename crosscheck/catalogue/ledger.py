"""The errata ledger: the catalogue's errata and the worked examples' counted as distinct printed mistakes,
and the audit's coverage of the five documents (every non-blank line cited or reviewed).

One printed mistake is counted once however many entries or example values show it: an erratum counts
under its `ledger` id (its own id by default), and an example value judged an erratum counts under the
catalogue erratum whose `evidence` names it (the one-hot table's ten rows are one mistake). An example
erratum no entry claims still counts, once, as a numeric mistake of its own. Rounding drifts (right
arithmetic on rounded inputs) are not mistakes: they are counted apart, one per [[drift]] record.
"""

from collections import Counter
from dataclasses import dataclass, field

from ..examples.runner import run_all
from ..examples.verdict import DRIFT, ERRATUM
from . import schema


@dataclass(frozen=True)
class Drift:
    id: str
    doc: str
    lines: tuple
    printed: str
    exact: str
    evidence: tuple


def load_drifts(path=schema.DATA):
    """The [[drift]] records of the catalogue file, each with the example steps that show it."""
    raw = schema.tables(path, "drift")
    drifts = []
    for item in raw:
        fields = ("id", "doc", "lines", "printed", "exact", "evidence")
        if sorted(item) != sorted(fields):
            raise ValueError(f"drift {item.get('id', '?')}: expected the fields {fields}, got {sorted(item)}")
        drifts.append(Drift(**{**item, "lines": tuple(item["lines"]), "evidence": tuple(item["evidence"])}))
    return drifts


@dataclass(frozen=True)
class Reviewed:
    doc: str
    lines: tuple  # ((first, last), ...)
    why: str


def load_reviewed(path=schema.DATA):
    """The [[reviewed]] records: the lines read but not catalogued, as (first, last) ranges, and why."""
    raw = schema.tables(path, "reviewed")
    out = []
    for item in raw:
        if sorted(item) != ["doc", "lines", "why"] or item["doc"] not in schema.DOCUMENTS:
            raise ValueError(f"reviewed: expected doc, lines, why with a known doc, got {item!r}")
        ranges = tuple(tuple(r) for r in item["lines"])
        if not all(len(r) == 2 and 0 < r[0] <= r[1] for r in ranges):
            raise ValueError(f"reviewed {item['doc']}: lines expected [[first, last], ...], got {item['lines']!r}")
        out.append(Reviewed(item["doc"], ranges, item["why"]))
    return out


def coverage(numbered, entries=None, drifts=None, reviewed=None):
    """{doc: (cited, reviewed, neither, both)}: sets of the non-blank line numbers of each document.

    numbered: {doc: seeds.lines(doc)}. cited: lines an entry or a drift cites; reviewed: lines a
    [[reviewed]] range holds. A complete audit has `neither` and `both` empty.
    """
    entries = schema.load() if entries is None else entries
    drifts = load_drifts() if drifts is None else drifts
    reviewed = load_reviewed() if reviewed is None else reviewed
    out = {}
    for doc, text in numbered.items():
        filled = {n for n in range(1, len(text) + 1) if text[n - 1].strip()}
        cited = {n for e in list(entries.values()) + list(drifts) if e.doc == doc for n in e.lines} & filled
        read = {n for r in reviewed if r.doc == doc for a, b in r.lines for n in range(a, b + 1)} & filled
        out[doc] = (cited, read, filled - cited - read, cited & read)
    return out


@dataclass
class Ledger:
    """mistakes: ledger id -> the entry ids counted under it (its head first); kinds and docs: ledger id ->
    mistake kind and document; loose: example steps judged errata that no entry claims (one mistake each);
    drifts: drift id -> its evidence steps now judged drifts; loose_drifts: drift steps no record claims."""

    mistakes: dict
    kinds: dict
    docs: dict
    loose: tuple = ()
    drifts: dict = field(default_factory=dict)
    loose_drifts: tuple = ()

    @property
    def distinct(self):
        return len(self.mistakes) + len(self.loose)

    @property
    def drift_count(self):
        return sum(bool(v) for v in self.drifts.values()) + len(self.loose_drifts)

    def by_kind(self):
        counts = Counter(self.kinds.values())
        counts["numeric"] += len(self.loose)
        return {k: counts[k] for k in schema.MISTAKES if counts[k]}

    def by_document(self):
        """{doc: {kind: count}} over the distinct mistakes."""
        out = {}
        for i, kind in self.kinds.items():
            out.setdefault(self.docs[i], Counter())[kind] += 1
        for step in self.loose:
            out.setdefault(step.split("-")[0], Counter())["numeric"] += 1
        return {d: dict(sorted(c.items())) for d, c in sorted(out.items())}

    def summary(self):
        """The line `crosscheck equations` and the report print."""
        kinds = ", ".join(f"{k} {v}" for k, v in self.by_kind().items())
        return (
            f"{self.distinct} distinct printed mistakes (by kind: {kinds}); "
            f"{self.drift_count} rounding drifts (right arithmetic on rounded inputs, not counted as mistakes)"
        )

    def to_json(self):
        return {
            "distinct": self.distinct,
            "by_kind": self.by_kind(),
            "by_document": self.by_document(),
            "mistakes": self.mistakes,
            "unclaimed_example_errata": list(self.loose),
            "drifts": {k: list(v) for k, v in self.drifts.items()},
            "unclaimed_drifts": list(self.loose_drifts),
            "drift_count": self.drift_count,
        }


def verdicts(results):
    """{"example/step": verdict} from crosscheck.examples.runner.run_all()'s results."""
    return {f"{r.name}/{s.step}": s.verdict for r in results for s in r.steps}


def build(entries=None, results=None, drifts=None):
    """The ledger of the catalogue (default: the file) and the worked examples (default: run them all)."""
    if entries is None:
        entries = schema.load()
    if results is None:
        results = run_all()
    drifts = load_drifts() if drifts is None else drifts
    steps = verdicts(results)
    mistakes, kinds, docs = {}, {}, {}
    for e in entries.values():
        if e.status == "erratum":
            head = entries[e.counted_as]
            mistakes.setdefault(head.id, []).append(e.id)
            kinds[head.id], docs[head.id] = head.mistake, head.doc
    claimed = {s for e in entries.values() for s in e.evidence}
    loose = tuple(k for k, v in steps.items() if v == ERRATUM and k not in claimed)
    drifted = {d.id: tuple(s for s in d.evidence if steps.get(s) == DRIFT) for d in drifts}
    drift_claimed = {s for d in drifts for s in d.evidence}
    loose_drifts = tuple(k for k, v in steps.items() if v == DRIFT and k not in drift_claimed)
    return Ledger({k: tuple(v) for k, v in mistakes.items()}, kinds, docs, loose, drifted, loose_drifts)
