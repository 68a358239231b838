"""The errata ledger (issue 16): every printed mistake an entry, counted once; every printed line covered."""

import ast
import functools
from types import SimpleNamespace

import pytest

from crosscheck.catalogue import ledger, seeds
from crosscheck.catalogue import runner as catalogue
from crosscheck.catalogue.checks.doc001 import COST_LINE, PROPAGATE
from crosscheck.examples import runner as examples
from crosscheck.examples.verdict import DRIFT, ERRATUM
from crosscheck.report.model import Section
from crosscheck.report.verdict import verdict_section

ENTRIES = catalogue.load()
# The ledger's counts, kept as numbers the project tracks: a change here is a change in what the
# documents are found to print wrong, and belongs in the commit that makes it.
DISTINCT = 45
BY_KIND = {"formula": 13, "numeric": 3, "code": 1, "wording": 6, "index": 13, "count": 4, "convention": 5}
BY_DOCUMENT = {
    "000": {"formula": 3, "index": 2},
    "001": {"code": 1, "convention": 2, "formula": 1, "index": 1, "wording": 1},
    "002": {"convention": 2, "wording": 2},
    "003": {"formula": 2, "index": 4},
    "004": {"convention": 1, "count": 4, "formula": 7, "index": 6, "numeric": 3, "wording": 3},
}


@functools.cache
def results():
    return examples.run_all()


@functools.cache
def the_ledger():
    return ledger.build(ENTRIES, results())


def test_distinct_printed_mistakes_by_kind_and_document():
    book = the_ledger()
    assert (book.distinct, book.by_kind(), book.by_document()) == (DISTINCT, BY_KIND, BY_DOCUMENT)
    assert book.loose == () and book.loose_drifts == ()
    assert book.summary().startswith(f"{DISTINCT} distinct printed mistakes (by kind: formula 13,")


def test_a_table_printed_wrong_is_one_mistake_with_its_rows_as_evidence():
    rows = [f"004-one-hot/one_hot({k})" for k in range(10)]
    verdicts = ledger.verdicts(results())
    assert all(verdicts[r] == ERRATUM for r in rows)
    holders = [e.id for e in ENTRIES.values() if set(rows) & set(e.evidence)]
    assert holders == ["004.one-hot-table"] and set(ENTRIES["004.one-hot-table"].evidence) == set(rows)
    assert the_ledger().mistakes["004.one-hot-table"] == ("004.one-hot-table",)


def test_formulas_built_on_one_transposed_row_are_one_mistake():
    assert the_ledger().mistakes["001.dL-da1"] == ("001.dL-da1", "001.dW1", "001.db1")
    assert {ENTRIES[i].mistake for i in ("001.dL-da1", "001.dW1", "001.db1")} == {"convention"}


def test_every_example_erratum_and_drift_is_claimed_exactly_once():
    verdicts = ledger.verdicts(results())
    claims = [s for e in ENTRIES.values() for s in e.evidence]
    assert sorted(claims) == sorted(k for k, v in verdicts.items() if v == ERRATUM)
    drift_claims = [s for d in ledger.load_drifts() for s in d.evidence]
    assert sorted(drift_claims) == sorted(k for k, v in verdicts.items() if v == DRIFT)
    assert the_ledger().drift_count == len(ledger.load_drifts()) == 2


def test_every_worked_example_is_named_by_an_entry():
    named = {e.example for e in ENTRIES.values() if e.example} | {
        s.split("/")[0] for e in ENTRIES.values() for s in e.evidence
    }
    assert named == set(examples.names())


def test_an_unclaimed_example_erratum_still_counts_once():
    entries = {i: e for i, e in ENTRIES.items() if i != "004.multiclass-a1"}
    book = ledger.build(entries, results())
    assert book.loose == ("004-multiclass-1/a1[3]",) and book.distinct == DISTINCT
    assert book.by_kind()["numeric"] == BY_KIND["numeric"]


@pytest.fixture(scope="module")
def numbered():
    return {doc: seeds.lines(doc) for doc in catalogue.DOCUMENTS}  # no seeds: the error names the folder


def test_every_non_blank_line_is_cited_or_reviewed_and_never_both(numbered):
    for doc, (cited, _read, neither, both) in ledger.coverage(numbered).items():
        assert (sorted(neither), sorted(both)) == ([], []), doc
        assert cited, doc


def test_cited_lines_print_something_and_quotes_are_on_them(numbered):
    for e in list(ENTRIES.values()) + ledger.load_drifts():
        text = numbered[e.doc]
        blank = [n for n in e.lines if n > len(text) or not text[n - 1].strip()]
        assert blank == [], f"{e.id} cites blank or missing lines {blank}"
    for e in ENTRIES.values():
        for n, quote in e.quote + e.witness:
            assert seeds.prints(numbered[e.doc], n, quote), (e.id, n, quote)


def test_the_printed_propagate_does_not_parse_and_the_repaired_one_does(numbered):
    printed = "\n".join(numbered["001"][k - 1] for k in PROPAGATE)
    with pytest.raises(SyntaxError):
        ast.parse(printed)
    ast.parse("\n".join(numbered["001"][k - 1] + (")" if k == COST_LINE else "") for k in PROPAGATE))


def _report(*sections):
    return SimpleNamespace(sections=list(sections), quick=True, generated="now", seed=0)


def test_the_verdict_counts_distinct_mistakes_not_rows():
    book = the_ledger()
    catalogue_s = Section(
        "catalogue",
        "Equation catalogue",
        summary={"checks": 3, "failures": 0, "errata": 45},
        data={"ledger": book.to_json()},
    )
    examples_s = Section("examples", "Worked examples", summary={"checks": 9, "failures": 0, "errata": 11})
    other = Section("training", "Training", summary={"checks": 2, "failures": 0, "errata": 0})
    verdict = verdict_section(_report(catalogue_s, examples_s, other))
    assert verdict.data["errata"] == DISTINCT
    assert f"{DISTINCT} distinct printed mistakes (by kind: formula 13" in verdict.blocks[1].text
    # Without the catalogue's ledger, the sections' own counts are what there is.
    assert verdict_section(_report(examples_s, other)).data["errata"] == 11
