"""The report's files: their structure, their numbers against report.json, and `crosscheck compare`."""

import base64
import html
import io
import json
import os
import pathlib
import re
import threading

import numpy as np
import pytest

from crosscheck.cli import main
from crosscheck.core.tolerances import REGRESSION_FACTOR, REGRESSION_FLOOR_EPS
from crosscheck.core.traces import run_case
from crosscheck.report import collect, model, write
from crosscheck.report.context import Context
from crosscheck.report.providers import PROVIDERS, Provider
from crosscheck.report.sections import matrix_like_section
from tests.printed import unprintable
from tests.shared_report import selection

CASES, KINKS = selection()

PNG = b"\x89PNG\r\n\x1a\n"


def md_tables(text):
    """Every GitHub table of a Markdown text as (caption line before it or "", headers, rows)."""
    tables, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-:| ]+\|$", lines[i + 1]):
            caption = lines[i - 2] if i >= 2 and lines[i - 2].startswith("*") else ""
            split = lambda line: [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]  # noqa: E731
            headers, rows = split(lines[i]), []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(split(lines[i]))
                i += 1
            tables.append((caption, headers, rows))
        else:
            i += 1
    return tables


def section(doc, key):
    return next(s for s in doc["sections"] if s["key"] == key)


# --- the files -------------------------------------------------------------------------------


def test_files_written(built):
    out = built["out"]
    for name in ("REPORT.md", "report.html", "report.json"):
        assert (out / name).stat().st_size > 0
    for name in ("heatmap.png", "error_distribution.png", "timings.png"):
        assert (out / "figures" / name).read_bytes().startswith(PNG)


def test_markdown_headings_in_registry_order(built):
    headings = re.findall(r"^## (.+)$", built["md"], flags=re.M)
    assert built["md"].startswith("# crosscheck report")
    assert headings == ["Verdict"] + [p.title for p in PROVIDERS]


def test_verdict_first_and_counts_agree_with_json(built):
    verdict = section(built["json"], "verdict")["data"]
    matrix, kinks = section(built["json"], "matrix"), section(built["json"], "kinks")
    assert verdict["cases"] == len(CASES) + len(KINKS)
    realistic = section(built["json"], "realistic")["records"]
    assert verdict["quantities"] == sum(
        len(c["quantities"]) for s in (matrix, kinks) for c in s["data"]["cases"]
    ) + sum(len(r["quantities"]) for r in realistic)
    first = built["md"].split("## Verdict", 1)[1].strip().splitlines()[0]
    assert first == (
        f"**{verdict['verdict']}**: {verdict['failures']} failures ({verdict['cases']} cases, "
        f"{verdict['quantities']} quantities compared); {verdict['errata']} distinct printed mistakes "
        "confirmed in the documents."
    )


def test_json_schema(built):
    doc = built["json"]
    assert doc["schema_version"] == model.SCHEMA_VERSION
    assert [s["key"] for s in doc["sections"]] == ["verdict"] + [p.key for p in PROVIDERS]
    for s in doc["sections"]:
        assert s["status"] in model.STATUSES
        ids = [r["id"] for r in s["records"]]
        assert len(ids) == len(set(ids)), f"{s['key']}: record ids repeat"
    assert {r["id"] for r in section(doc, "matrix")["records"]} == {c.id for c in CASES}


def test_json_case_numbers_are_the_comparisons(built):
    """The per-case worst error in report.json is what run_case measures (an independent run)."""
    cases = {c["id"]: c for c in section(built["json"], "matrix")["data"]["cases"]}
    for case in CASES[:4]:
        comparison = run_case(case)
        assert cases[case.id]["ok"] == comparison.ok
        assert cases[case.id]["worst_rel"] == comparison.worst_rel
        for row in comparison.rows:
            np.testing.assert_allclose(cases[case.id]["quantities"][row.name], row.max_rel, rtol=1e-3, atol=0)


def test_markdown_matrix_tables_agree_with_json(built):
    """Each cell of the per-dtype tables is its group's worst error in report.json, to 3 digits."""
    groups = {(g["hidden"], g["pairing"], g["dtype"]): g for g in section(built["json"], "matrix")["data"]["groups"]}
    matrix_md = built["md"].split("## Cross-check matrix", 1)[1].split("\n## ", 1)[0]
    checked = 0
    for caption, headers, rows in md_tables(matrix_md):
        m = re.match(r"\*(float\d\d): worst relative error", caption)
        if not m:
            continue
        for row in rows:
            for pairing, cell in zip(headers[1:], row[1:]):
                group = groups.get((row[0].removesuffix(" (extension)"), pairing, m.group(1)))
                if group is None:
                    assert cell == ""
                    continue
                np.testing.assert_allclose(float(cell.split()[0]), group["worst_rel"], rtol=5e-3)
                checked += 1
    assert checked == len(groups)


def test_groups_are_the_worst_of_their_cases(built):
    data = section(built["json"], "matrix")["data"]
    for g in data["groups"]:
        members = [
            c
            for c in data["cases"]
            if (c["hidden"], c["pairing"], c["dtype"]) == (g["hidden"], g["pairing"], g["dtype"])
        ]
        assert g["cases"] == len(members)
        assert g["worst_rel"] == max(c["worst_rel"] for c in members)


def test_performance_table_agrees_with_json(built):
    rows = section(built["json"], "performance")["data"]["rows"]
    perf_md = built["md"].split("## Performance", 1)[1].split("\n## ", 1)[0]
    # A wide table may be split into parts that each start with the same key columns (dtype, m).
    (headers, md_rows), *_ = [(h, r) for _, h, r in md_tables(perf_md) if h[:2] == ["dtype", "m"]]
    ref, ratio = headers.index("reference (ms)"), next(i for i, h in enumerate(headers) if "/" in h)
    assert len(md_rows) == len(rows)
    for md, row in zip(md_rows, rows):
        assert (md[0], int(md[1])) == (row["dtype"], row["m"])
        np.testing.assert_allclose(float(md[ref]), row["reference_ms"], rtol=1e-3, atol=1e-3)
        np.testing.assert_allclose(float(md[ratio]), row["ratio"], rtol=1e-2, atol=1e-2)


def test_environment_is_recorded(built):
    env = section(built["json"], "environment")["data"]
    for key in ("python", "numpy", "torch", "blas", "cpu", "torch_threads", "torch_default_dtype", "date", "seed"):
        assert env[key] not in (None, "", []), key


def test_the_recorded_command_line_is_whole_unicode(monkeypatch):
    """An argument of undecodable bytes reaches Python as lone surrogates (\\udcff): recorded as they
    were, report.json held text that is not Unicode, which strict JSON readers refuse."""
    from crosscheck.report.environment import environment

    monkeypatch.setattr("sys.argv", ["crosscheck", "report", "--out", "o\udcffz\x1b"])
    argv = environment()["argv"]
    argv.encode("utf-8")  # raises on a lone surrogate
    assert argv == r"crosscheck report --out o\udcffz\x1b"


def test_html_self_contained_with_the_tables_and_figures(built):
    page, md = built["html"], built["md"]
    assert page.startswith("<!DOCTYPE html>")
    tables = [b for s in built["report"].sections for b in s.blocks if isinstance(b, model.Table)]
    assert len(re.findall(r"<table[ >]", page)) == len(tables)
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == md.count("![")
    assert all(base64.b64decode(img).startswith(PNG) for img in images)
    assert not re.search(r'(src|href)="(https?:|file:|figures/)', page), "the page must not load anything"
    # Every table's first row is on the page: text as text, a formula as its LaTeX annotation (or code).
    text = html.unescape(re.sub("<[^>]+>", "", page))
    for row in ([str(c) for c in t.rows[0]] for t in tables if t.rows):
        for cell in row:
            assert cell in text or all(piece in text for piece in cell.split())


# --- sections that other parts of the project provide -------------------------------------------


def test_hook_sections_are_wired(built):
    for key in ("catalogue", "examples", "training"):
        s = section(built["json"], key)
        assert s["status"] == "ok", (key, s["note"])


def test_examples_section_agrees_with_the_examples_module(built):
    """The errata the report lists are exactly the ones crosscheck.examples finds, value for value."""
    from crosscheck.examples.runner import run_all

    expected = sorted((r.name, s.step, s.printed, s.correct) for r in run_all() for s in r.errata)
    data = section(built["json"], "examples")["data"]
    listed = sorted(
        (s["example"], s["step"], s["printed"], s["correct"]) for s in data["steps"] if s["verdict"] == "erratum"
    )
    assert listed == expected and len(expected) > 0
    assert section(built["json"], "examples")["summary"]["errata"] == len(expected)
    assert any(f.startswith("figures/") and "boundary" in f for f in data["figures"])
    md_errata = next(
        rows for caption, headers, rows in md_tables(built["md"]) if headers[:3] == ["location", "printed", "correct"]
    )
    assert len(md_errata) == len(expected)


def test_catalogue_section_agrees_with_the_catalogue(built):
    from crosscheck.catalogue.runner import load

    entries = load()
    data = section(built["json"], "catalogue")["data"]["entries"]
    assert {e["id"] for e in data} == set(entries)
    assert {e["id"] for e in data if e["status"] == "erratum"} == {
        i for i, e in entries.items() if e.status == "erratum"
    }
    assert all(e["ok"] for e in data)
    summary = section(built["json"], "catalogue")["summary"]
    assert summary["errata"] == sum(e.status == "erratum" for e in entries.values())


def test_training_section_runs_every_configured_run(built):
    from crosscheck.report.capabilities import TRAINING_RUNS

    runs = section(built["json"], "training")["data"]["runs"]
    assert [r["name"] for r in runs] == [name for name, _, _ in TRAINING_RUNS]
    for r in runs:
        assert r["ok"] and r["worst_rel"] <= r["rtol"], r["name"]
        assert len(r["history_reference"]) == len(r["history_torch"]) == r["steps"] > 0
    assert (built["out"] / "figures" / "training_curves.png").read_bytes().startswith(PNG)


def test_failing_case_is_flagged(tmp_path):
    case = {
        "id": "relu-softmax_cce-x",
        "hidden": "relu",
        "pairing": "softmax_cce",
        "dtype": "float64",
        "ok": False,
        "worst_rel": 0.5,
        "worst_quantity": "dW2",
        "quantities": {"Z1": 0.0, "dW2": 0.5},
        "first_divergence": "relu-softmax_cce-x: first divergence at dW2",
    }
    s = matrix_like_section("matrix", "Cross-check matrix", [case], Context(out_dir=tmp_path, progress=False))
    assert s.status == "fail" and s.summary["failures"] == 1
    assert s.records == [model.record(case["id"], False, 0.5, np.finfo("float64").eps)]
    cells = [c for b in s.blocks if isinstance(b, model.Table) for row in b.rows for c in row]
    assert "5.00e-01 (1 of 1 fail)" in cells


# --- crosscheck compare ---------------------------------------------------------------------------

EPS64 = float(np.finfo("float64").eps)


def _doc(records, version=model.SCHEMA_VERSION):
    return {
        "schema_version": version,
        "sections": [
            {"key": "matrix", "records": [model.record(i, ok, err, EPS64) for i, (ok, err) in records.items()]}
        ],
    }


def _compare(tmp_path, old, new):
    paths = []
    for name, doc in (("old.json", old), ("new.json", new)):
        path = tmp_path / name
        path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
        paths.append(str(path))
    return main(["compare", *paths])


BIG = REGRESSION_FACTOR * 4  # a growth well past the factor
ABOVE_FLOOR = REGRESSION_FLOOR_EPS * EPS64 * 4


@pytest.mark.parametrize(
    "old, new, status",
    [
        ({"a": (True, 3e-16), "b": (True, 5e-16)}, {"a": (True, 3e-16), "b": (True, 5e-16)}, 0),  # same
        ({"a": (True, 1e-14)}, {"a": (True, 2e-16)}, 0),  # better
        ({"a": (True, 1e-16)}, {"a": (True, 1e-16 * BIG)}, 0),  # grew, but still rounding noise (below the floor)
        ({"a": (True, ABOVE_FLOOR / BIG)}, {"a": (True, ABOVE_FLOOR)}, 1),  # grew past the factor and the floor
        ({"a": (True, ABOVE_FLOOR)}, {"a": (True, ABOVE_FLOOR * 2)}, 0),  # grew, but less than the factor
        ({"a": (True, 3e-16)}, {"a": (False, 3e-16)}, 1),  # passed, now fails
        ({"a": (True, 3e-16)}, {"a": (True, None)}, 1),  # became infinite (shape mismatch, NaN)
        ({"a": (True, 3e-16), "b": (True, 3e-16)}, {"a": (True, 3e-16)}, 1),  # a case disappeared
        ({"a": (True, 3e-16)}, {"a": (True, 3e-16), "c": (True, 1e-3)}, 0),  # a new case is not a regression
    ],
    ids=["same", "better", "noise", "worse", "small-growth", "now-fails", "now-infinite", "missing", "added"],
)
def test_compare_exit_status(tmp_path, old, new, status):
    assert _compare(tmp_path, _doc(old), _doc(new)) == status


@pytest.mark.parametrize(
    "bad",
    ["{not json", json.dumps(_doc({}, version=99)), json.dumps([1, 2])],
    ids=["not-json", "other-schema", "not-a-report"],
)
def test_compare_bad_input_is_usage_error(tmp_path, bad):
    assert _compare(tmp_path, _doc({}), bad) == 2


def test_compare_missing_file_is_usage_error(tmp_path):
    assert main(["compare", str(tmp_path / "nope.json"), str(tmp_path / "nope.json")]) == 2


def test_compare_a_real_report_with_itself(built, capsys):
    path = str(built["out"] / "report.json")
    assert main(["compare", path, path]) == 0
    records = sum(len(s["records"]) for s in built["json"]["sections"])
    assert records > len(CASES) + len(KINKS)
    assert f"{records} items compared: 0 worse, 0 missing" in capsys.readouterr().out


def test_the_summary_prints_an_output_folder_escaped(built, capsys):
    """report --out names the folder it wrote: one whose name holds ESC and CR is printed escaped."""
    from crosscheck.report.command import print_summary

    print_summary(built["report"], {"json": "o\x1b[2J\rx/report.json"})
    printed = capsys.readouterr().out
    assert not unprintable(printed), printed
    assert r"o\x1b[2J\rx/report.json" in printed


def test_compare_reads_a_report_from_a_pipe(built, capsys):
    """`crosscheck compare <(git show HEAD~1:report.json) report.json`: the shell hands a pipe's path
    (refused as "not a regular file" for a while, when a FIFO without a writer once hung compare)."""
    path = built["out"] / "report.json"
    read, write = os.pipe()
    feeder = threading.Thread(target=lambda: (os.write(write, path.read_bytes()), os.close(write)))
    feeder.start()
    try:
        assert main(["compare", f"/dev/fd/{read}", str(path)]) == 0, capsys.readouterr().err
    finally:
        feeder.join()
        os.close(read)


def test_compare_reads_a_report_from_standard_input(built, monkeypatch, capsys):
    """`git show HEAD~1:report.json | crosscheck compare - report.json`: `-` is standard input, as for
    the Unix tools; once only (both `-` would read one stream as two reports)."""
    path = built["out"] / "report.json"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    assert main(["compare", "-", str(path)]) == 0, capsys.readouterr().err
    assert main(["compare", "-", "-"]) == 2
    assert "new: expected a report.json other than standard input" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", None)  # `<&-`
    assert main(["compare", "-", str(path)]) == 2
    assert "got a closed standard input" in capsys.readouterr().err


def _example_doc(errors):
    """Worked-example records: judged to a printed precision, so no dtype (eps null)."""
    records = [model.record(i, True, err, None) for i, err in errors.items()]
    return {"schema_version": model.SCHEMA_VERSION, "sections": [{"key": "examples", "records": records}]}


@pytest.mark.parametrize(
    "old, new, status",
    [
        ({"a": 0.0}, {"a": 4e-16}, 0),  # another machine's rounding: the false WORSE of the shipped report
        ({"a": 0.0}, {"a": 64 * 4 * EPS64}, 1),  # past float64's floor: a real change
    ],
    ids=["rounding", "past-floor"],
)
def test_compare_records_without_eps_use_float64_floor(tmp_path, old, new, status):
    assert _compare(tmp_path, _example_doc(old), _example_doc(new)) == status


def _perturbed(doc, seed):
    """The same report as another BLAS build or thread count would give: each error moved within
    rounding (scaled by up to 4x either way, plus up to 16 eps of its dtype), verdicts unchanged."""
    rng = np.random.default_rng(seed)
    out = json.loads(json.dumps(doc))
    for section in out["sections"]:
        for r in section.get("records", []):
            if r["error"] is not None:
                eps = r["eps"] or EPS64
                r["error"] = r["error"] * 4.0 ** rng.uniform(-1, 1) + rng.uniform(0, 16) * eps
    return out


@pytest.mark.parametrize("seed", [0, 1])
def test_compare_shipped_report_with_itself_perturbed_within_rounding(tmp_path, seed, capsys):
    shipped = json.loads((pathlib.Path(__file__).parent.parent / "reports" / "report.json").read_text())
    assert _compare(tmp_path, shipped, _perturbed(shipped, seed)) == 0, capsys.readouterr().out[-3000:]


BAD_RECORDS = {
    "error-is-text": {"id": "a", "ok": True, "error": "small", "eps": EPS64},
    "ok-missing": {"id": "a", "error": 1e-16, "eps": EPS64},
    "id-not-string": {"id": 3, "ok": True, "error": 1e-16, "eps": EPS64},
    "eps-negative": {"id": "a", "ok": True, "error": 1e-16, "eps": -1.0},
    "record-not-object": [1, 2],
}


@pytest.mark.parametrize("bad", list(BAD_RECORDS))
def test_compare_malformed_record_is_usage_error_naming_it(tmp_path, bad, capsys):
    doc = {"schema_version": model.SCHEMA_VERSION, "sections": [{"key": "matrix", "records": [BAD_RECORDS[bad]]}]}
    assert _compare(tmp_path, _doc({"a": (True, 1e-16)}), doc) == 2
    err = capsys.readouterr().err
    assert "sections[0].records[0]: expected" in err and "got" in err, err


@pytest.mark.parametrize("sections", [[1], [{"records": []}], [{"key": "matrix", "records": 5}]])
def test_compare_malformed_section_is_usage_error(tmp_path, sections, capsys):
    doc = {"schema_version": model.SCHEMA_VERSION, "sections": sections}
    assert _compare(tmp_path, doc, _doc({})) == 2
    assert "sections[0]" in capsys.readouterr().err


# --- a section that cannot be built fails the report ------------------------------------------------


def _raises(exc):
    def build_section(ctx):
        raise exc

    return build_section


@pytest.mark.parametrize(
    "exc",
    [ImportError("No module named 'crosscheck.catalogue.checks'"), RuntimeError("shapes (3,4) and (5,1) not aligned")],
    ids=["import-error", "raises"],
)
def test_a_section_that_raises_fails_the_report_in_all_three_formats(tmp_path, exc):
    ctx = Context(out_dir=tmp_path, progress=False)
    report = collect(ctx, [Provider("catalogue", "Equation catalogue", _raises(exc))])
    paths = write(report, tmp_path)
    named = f"{type(exc).__name__}: {exc}"
    assert report.exit_status == 1
    doc = json.loads(paths["json"].read_text())
    assert doc["exit_status"] == 1
    assert doc["sections"][0]["data"]["verdict"] == "FAIL"
    catalogue = doc["sections"][1]
    assert catalogue["status"] == "fail" and named in catalogue["note"]
    for fmt in ("markdown", "html"):
        text = paths[fmt].read_text()
        assert "FAIL" in text and str(exc).replace("'", "&#x27;" if fmt == "html" else "'") in text, fmt


def test_an_optional_section_missing_its_extra_is_shown_not_failed(tmp_path):
    from crosscheck.report import collect
    from crosscheck.report.providers import Provider

    ctx = Context(out_dir=tmp_path, progress=False)
    provider = Provider("figures", "Figures", _raises(ImportError("No module named 'kaleido'")), optional=True)
    report = collect(ctx, [provider])
    assert report.exit_status == 0
    assert report.section("figures").status == "not available"
    assert "kaleido" in report.section("figures").note
    assert report.section("verdict").data["not_available"] == ["Figures"]
