"""The equation catalogue: every entry is exercised by a cross-check against PyTorch and behaves as catalogued."""

import ast
import functools
import json
import math
import pathlib
import re

import pytest

from crosscheck import cli
from crosscheck.catalogue import runner as catalogue
from crosscheck.catalogue import seeds
from crosscheck.catalogue.checks import CHECKS
from crosscheck.catalogue.findings import TOLERANCE, Finding

ENTRIES = catalogue.load()
ERRATA = [i for i, e in ENTRIES.items() if e.status == "erratum"]
# Ids another helper (the derivation checker) refers to: they must exist exactly so.
AGREED = [
    "002.sigmoid-prime",
    "003.tanh-prime",
    "002.relu-prime",
    "002.leaky-relu-prime",
    "002.elu-prime",
    "004.identity-prime",
    "003.softmax-jacobian",
    "002.bce-dA",
    "004.cce-dA",
    "003.mse-prime",
    "004.sse-dA",
    "000.dZ-last",
    "004.softmax-cce-dZ",
    "002.dW",
    "002.db",
    "000.dA-prev",
    "000.dW-sum",
]


@functools.cache
def outcomes():
    """Every check run once per worker (about 3 s)."""
    return catalogue.run(entries=ENTRIES)


@pytest.mark.parametrize("entry_id", list(ENTRIES))
def test_entry_behaves_as_catalogued(entry_id):
    o = outcomes()[entry_id]
    if o.entry.status == "verified":
        assert o.error <= TOLERANCE.rtol, f"{entry_id}: reference vs torch {o.error:.3g} > {TOLERANCE} ({o.checks})"
    else:
        assert o.error <= TOLERANCE.rtol, f"{entry_id}: the corrected form disagrees with torch by {o.error:.3g}"
        assert o.printed_error > TOLERANCE.rtol, f"{entry_id}: the printed form agrees with torch; not an erratum"


@pytest.mark.parametrize("entry_id", ERRATA)
def test_erratum_says_how_the_printed_form_disagrees(entry_id):
    o = outcomes()[entry_id]
    assert o.how.split(":")[0] in {
        "shape",
        "sign",
        "value",
        "index",
        "missing term",
        "wording",
        "count",
        "code",
        "convention",
        "numeric",
        "formula",
    }, o.how
    if o.how.startswith("shape"):
        assert math.isinf(o.printed_error)


def test_every_entry_has_an_existing_check_and_every_check_is_used():
    used = {c for e in ENTRIES.values() for c in e.checks}
    assert all(e.checks for e in ENTRIES.values())
    assert used - set(CHECKS) == set(), "entries point at checks that do not exist"
    assert set(CHECKS) - used == set(), "checks that no entry lists"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_reports_only_ids_that_exist_and_list_it(name):
    reported = set(CHECKS[name]())
    assert reported <= set(ENTRIES), f"{name} reports ids missing from the catalogue: {reported - set(ENTRIES)}"
    listing = {i for i, e in ENTRIES.items() if name in e.checks}
    assert reported == listing


def test_agreed_ids_exist():
    assert [i for i in AGREED if i not in ENTRIES] == []


def test_every_document_is_covered_and_references_resolve():
    assert {e.doc for e in ENTRIES.values()} == set(catalogue.DOCUMENTS)
    for e in ENTRIES.values():
        assert callable(catalogue.resolve(e.reference)), e.id


def test_dangling_check_and_unknown_id_are_refused(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text(
        '[[equation]]\nid = "002.x"\ndoc = "002"\nsection = "s"\nlines = [1]\nprinted = "p"\n'
        'reference = "reference.activations.relu"\nstatus = "verified"\nkind = "equation"\nchecks = ["nope"]\n'
    )
    with pytest.raises(ValueError, match="check 'nope' does not exist"):
        catalogue.run(entries=catalogue.load(bad))
    with pytest.raises(ValueError, match="unknown catalogue id"):
        catalogue.run(["002.none"], entries=ENTRIES)


def test_a_check_that_reports_a_foreign_id_is_refused(tmp_path):
    # activation_primes reports many ids: a catalogue holding only one of them must be refused.
    one = tmp_path / "c.toml"
    one.write_text(
        '[[equation]]\nid = "002.relu-prime"\ndoc = "002"\nsection = "s"\nlines = [1]\nprinted = "p"\n'
        'reference = "reference.activations.relu_prime"\nstatus = "verified"\nkind = "equation"\n'
        'checks = ["activation_primes"]\n'
    )
    with pytest.raises(ValueError, match="not in the catalogue"):
        catalogue.run(entries=catalogue.load(one))


def test_erratum_without_correction_is_refused(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text(
        '[[equation]]\nid = "004.x"\ndoc = "004"\nsection = "s"\nlines = [1]\nprinted = "p"\n'
        'reference = "reference.errata.bce_004"\nstatus = "erratum"\nkind = "equation"\nchecks = ["losses"]\n'
    )
    with pytest.raises(ValueError, match="needs `corrected`"):
        catalogue.load(bad)


def test_per_element_forms_have_no_python_loops():
    source = pathlib.Path(catalogue.resolve("reference.elementwise.z_elementwise").__code__.co_filename).read_text()
    loops = [
        node.lineno for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.For, ast.While, ast.comprehension))
    ]
    assert loops == [], f"reference/elementwise.py loops at lines {loops}"


def test_cli_one_entry_and_unknown_id(capsys):
    assert cli.main(["equations", "--id", "003.softmax-jacobian-rows"]) == 0
    out = capsys.readouterr().out
    assert "printed:" in out and "corrected:" in out and "erratum" in out
    assert cli.main(["equations", "--id", "009.nothing"]) == 2
    assert "unknown id" in capsys.readouterr().err


def test_cli_table_lists_every_entry(capsys):
    assert cli.main(["equations"]) == 0
    out = capsys.readouterr().out
    assert all(i in out for i in ENTRIES)
    assert f"{len(ENTRIES)} entries" in out


def test_cli_exits_1_when_a_verified_entry_disagrees(monkeypatch, capsys):
    ids = [i for i, e in ENTRIES.items() if "metrics_004" in e.checks]
    monkeypatch.setitem(CHECKS, "metrics_004", lambda: {i: Finding(0.5) for i in ids})
    assert cli.main(["equations", "--id", "004.accuracy"]) == 1
    assert "DISAGREES" in capsys.readouterr().out


# --- the errata ledger's schema (issue 16) ---------------------------------------------------------------


def test_every_erratum_has_a_mistake_kind_and_every_entry_cites_lines():
    for e in ENTRIES.values():
        assert e.lines and list(e.lines) == sorted(set(e.lines)), e.id
        assert not re.search(r"\bl\.\d", e.section), f"{e.id}: line numbers belong in `lines`, not in the section"
        if e.status == "erratum":
            assert e.mistake in catalogue.MISTAKES and e.label == e.mistake, e.id
        else:
            assert not e.mistake and e.label == e.kind, e.id


# Words a note uses when it describes a printed mistake; such a note belongs to an erratum.
MISTAKE_WORDS = re.compile(
    r"\b(typo|misprint|slip|should|wrong|meant|instead|mistake|incorrect|swapped|sic)\b", re.IGNORECASE
)


def test_no_printed_mistake_lives_only_in_a_verified_note():
    offending = {i: e.note for i, e in ENTRIES.items() if e.status == "verified" and MISTAKE_WORDS.search(e.note)}
    assert offending == {}


BASE = {
    "id": "002.x",
    "doc": "002",
    "section": "s",
    "lines": [1],
    "printed": "p",
    "reference": "reference.activations.relu",
    "status": "verified",
    "kind": "equation",
    "checks": ["activations"],
}
ERRATUM = {**BASE, "status": "erratum", "corrected": "c", "mistake": "formula"}
# (what the table holds, a word the refusal names): one row per malformed entry.
REFUSED = [
    ({**BASE, "lines": []}, "lines"),
    ({**BASE, "lines": [5, 3]}, "increasing"),
    ({k: v for k, v in BASE.items() if k != "lines"}, "missing fields"),
    ({**ERRATUM, "mistake": "typo"}, "mistake"),
    ({k: v for k, v in ERRATUM.items() if k != "mistake"}, "mistake"),
    ({**BASE, "mistake": "formula"}, "belong to errata"),
    ({**BASE, "kind": "erratum"}, "kind"),
    ({**BASE, "quote": [[1, "x"]]}, "citations"),
    ({**BASE, "quote": [[2, "x"]], "checks": ["citations"]}, "not among its lines"),
    ({**ERRATUM, "evidence": ["no-slash"], "checks": ["worked_examples"]}, "evidence"),
    ({**BASE, "example": "004-binary"}, "worked_examples"),
]


def _toml(item):
    def value(v):
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v)

    return "[[equation]]\n" + "".join(f"{k} = {value(v)}\n" for k, v in item.items())


@pytest.mark.parametrize("item, word", REFUSED, ids=lambda x: x if isinstance(x, str) else "")
def test_malformed_entries_are_refused(tmp_path, item, word):
    path = tmp_path / "c.toml"
    path.write_text(_toml(item))
    with pytest.raises(ValueError, match=word):
        catalogue.load(path)


def test_a_ledger_points_at_another_erratum_of_its_document_and_kind(tmp_path):
    head = {**ERRATUM, "id": "002.head"}
    path = tmp_path / "c.toml"
    path.write_text(_toml(head) + _toml({**ERRATUM, "id": "002.tail", "ledger": "002.head"}))
    assert catalogue.load(path)["002.tail"].counted_as == "002.head"
    for tail in (
        {**ERRATUM, "id": "002.tail", "ledger": "002.none"},
        {**ERRATUM, "id": "002.tail", "ledger": "002.head", "mistake": "index"},
    ):
        path.write_text(_toml(head) + _toml(tail))
        with pytest.raises(ValueError, match="002.tail"):
            catalogue.load(path)


def _not_json(name):
    raise AssertionError(f"--json printed {name}, which is not JSON")


def test_cli_json_lists_every_entry_with_its_lines_kind_and_error(capsys):
    assert cli.main(["equations", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out, parse_constant=_not_json)
    assert [r["id"] for r in rows] == list(ENTRIES)
    for r in rows:
        e = ENTRIES[r["id"]]
        assert r["doc"] == e.doc and r["lines"] == list(e.lines) and r["status"] == e.status
        assert r["kind"] == (e.mistake if e.status == "erratum" else e.kind)
        assert r["printed"] == e.printed and r["ok"] is True
        assert (r["corrected"] == e.corrected) if e.status == "erratum" else r["corrected"] is None
        assert r["largest_error"] is not None and r["largest_error"] <= TOLERANCE.rtol


def test_cli_json_one_entry_and_exit_codes(capsys):
    assert cli.main(["equations", "--json", "--id", "001.propagate"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["kind"] == "code" and row["lines"][0] == 90 and "parse" in row["how"]
    assert cli.main(["equations", "--json", "--id", "009.nothing"]) == 2


def test_cli_table_states_the_distinct_mistakes_and_the_drifts(capsys):
    assert cli.main(["equations"]) == 0
    out = capsys.readouterr().out
    assert re.search(
        r"^\d+ distinct printed mistakes \(by kind: formula \d+, .*\); 2 rounding drifts", out, re.MULTILINE
    )


def test_citations_fail_loudly_without_the_seed_texts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(seeds.ENV, str(tmp_path))  # an empty folder: no seed file to read
    cited = [i for i, e in ENTRIES.items() if catalogue.CITATIONS in e.checks or "code_001" in e.checks]
    outcomes = catalogue.run(cited, entries=ENTRIES)
    assert [i for i, o in outcomes.items() if o.ok] == []
    assert all("seeds" in o.how for o in outcomes.values())
    assert cli.main(["equations", "--id", "002.relu-name"]) == 1
    assert "DISAGREES" in capsys.readouterr().out
