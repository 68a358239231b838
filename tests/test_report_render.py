"""How a report reads: REPORT.md through a CommonMark renderer, formulas as MathML, status badges, the verdict line.

The Markdown promises (crosscheck/report/markdown.py): a table row is at most LIMIT characters,
and every cell renders as the text it holds. They are checked with markdown-it-py, a CommonMark
renderer with GitHub's table extension, on a real report and on drawn text.
"""

import html
import pathlib
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crosscheck.catalogue.runner import load
from crosscheck.report import html as html_report
from crosscheck.report import markdown, model
from crosscheck.report.mathml import Formula, kind, math_element, segments, to_html
from crosscheck.report.verdict import verdict_section

markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (the [test] extra) renders the Markdown")
MD = markdown_it.MarkdownIt("commonmark").enable("table")
ROOT = pathlib.Path(__file__).resolve().parents[1]

# Formula pieces latex2mathml cannot convert, shown as code instead: 002.dZ's printed g^{[l]}'(Z)
# puts a prime after a superscript, a double superscript that TeX itself rejects.
KNOWN_FALLBACKS = 1


@pytest.fixture(scope="module")
def report(built):
    """The suite's shared report (tests/shared_report.py): the Report object and its folder."""
    return built["report"], built["out"]


def tables(rep):
    return [b for s in rep.sections for b in s.blocks if isinstance(b, model.Table)]


# --- REPORT.md -----------------------------------------------------------------------------------


def test_markdown_table_rows_fit(report):
    rep, _ = report
    text = markdown.render(rep)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows and max(map(len, rows)) <= markdown.LIMIT


def _table_cells(tokens):
    """(inline tokens of each cell, number of cells) per table row, from markdown-it's token stream."""
    rows, row, inside = [], None, 0
    for tok in tokens:
        inside += tok.type == "table_open"
        inside -= tok.type == "table_close"
        if tok.type == "tr_open":
            row = []
        elif tok.type == "inline" and inside and row is not None:
            row.append(tok)
        elif tok.type == "tr_close":
            rows.append(row)
    return rows


def test_markdown_renders_clean(report):
    """No emphasis, link or raw HTML anywhere in a table; every row has its header's cells; every formula is code."""
    rep, _ = report
    tokens = MD.parse(markdown.render(rep))
    rows = _table_cells(tokens)
    assert rows
    markup = {"em_open", "strong_open", "link_open", "html_inline", "image", "s_open"}
    for row in rows:
        for cell in row:
            assert not {c.type for c in cell.children} & markup, cell.content
    code = {c.content for tok in tokens if tok.type == "inline" for c in tok.children if c.type == "code_inline"}
    formulas = {c.latex for t in tables(rep) for row in t.rows for c in row if isinstance(c, Formula)}
    assert formulas and formulas <= code
    page = MD.render(markdown.render(rep))
    for _tag, body in re.findall(r"<(td|li)>(.*?)</\1>", page, flags=re.S):  # the lists of long text below tables
        assert "<em>" not in body and "<a " not in body, body


def test_markdown_cells_render_as_their_text(report):
    """Each plain cell of every table is, rendered, the text it holds: in a table row, or listed below it."""
    rep, _ = report
    rendered = html.unescape(re.sub(r"<[^>]+>", "", MD.render(markdown.render(rep))))
    for t in tables(rep):
        for row in t.rows:
            for c in row:
                if not isinstance(c, Formula) and str(c):
                    assert str(c).replace("\n", " ") in rendered


@pytest.mark.parametrize(
    "headers, rows, expect",
    [
        # fits: one table as it is
        (["a", "b"], [["x", "y"]], {"groups": [[0, 1]], "moved": [], "notes": {}}),
        # one long cell in a short column: a numbered note
        (
            ["item", "value"],
            [["a", "1"], ["b", "2"], ["c", "3"], ["d", "v" * 200]],
            {"groups": [[0, 1]], "moved": [], "notes": {(3, 1): 1}},
        ),
        # a column of long text: moved below the table whole
        (
            ["id", "status", "printed"],
            [[f"e{i}", "ok", "x" * 150] for i in range(4)],
            {"groups": [[0, 1]], "moved": [2], "notes": {}},
        ),
        # many short columns: parts that repeat the first column (it tells the rows apart)
        (
            ["run"] + [f"column number {k}" for k in range(9)],
            [["r"] + ["1.0e-16"] * 9],
            {"groups": [[0, 1, 2, 3, 4, 5, 6], [0, 7, 8, 9]], "moved": [], "notes": {}},
        ),
        # split where the first column repeats (the bench: dtype, then m): parts repeat the columns that
        # tell the rows apart, or a continued part's rows could not be matched to the first part's
        (
            ["dtype", "m"] + [f"column number {k}" for k in range(8)],
            [["float32", "1"] + ["1.0e-16"] * 8, ["float32", "32"] + ["1.0e-16"] * 8],
            {"groups": [[0, 1, 2, 3, 4, 5, 6], [0, 1, 7, 8, 9]], "moved": [], "notes": {}},
        ),
    ],
    ids=["fits", "note", "moved", "split", "split-two-key-columns"],
)
def test_layout(headers, rows, expect):
    groups, moved, notes = markdown.layout(headers, [list(r) for r in rows])
    assert {"groups": groups, "moved": moved, "notes": notes} == expect
    text = markdown.table(model.Table(headers, rows))
    assert max(len(line) for line in text.splitlines() if line.startswith("|")) <= markdown.LIMIT


TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=40)


@settings(max_examples=400, deadline=None)
@given(TEXT.map(str.strip).filter(bool))
# E-mail autolinks whose local part starts with no letter (hypothesis found the first one)
@example("<0@0>")
@example("<_x@y.z>")
@example("a <+1@b> c")
def test_escaped_text_renders_as_itself(text):
    assert MD.render(markdown.escape(text)) == f"<p>{html.escape(text, quote=False).replace(chr(34), '&quot;')}</p>\n"
    cell = MD.render(f"| h |\n| --- |\n| {markdown.cell(text)} |\n")
    assert re.search(r"<td>(.*)</td>", cell).group(1) == html.escape(text, quote=False).replace('"', "&quot;")


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"])  # CommonMark's three line endings
def test_a_line_ending_in_a_cell_is_a_space_not_a_new_row(end):
    for cell in (markdown.cell(f"0{end}0"), markdown.code(f"0{end}0", in_table=True)):
        rendered = MD.render(f"| h |\n| --- |\n| {cell} |\n")
        assert rendered.count("<tr>") == 2 and re.search(r"<td>(?:<code>)?0 0(?:</code>)?</td>", rendered), rendered


def test_indented_text_at_a_block_start_is_no_code_block():
    assert MD.render(markdown.escape("    a")) == MD.render(markdown.escape("\ta")) == "<p>a</p>\n"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("**a`b**c`", "**a<code>b**c</code>"),
        ("`a**b`c**", "<code>a**b</code>c**"),
        ("`a **b `c` d**", "<code>a **b </code>c` d**"),
        ("**a `b` c** and `d`", "<strong>a <code>b</code> c</strong> and <code>d</code>"),
    ],
)
def test_inline_markup_in_html_never_crosses(text, expected):
    """`code` spans first, as Markdown reads them; **bold** around them whole or beside them: crossed
    tags are not well-formed."""
    ET.fromstring(f"<p>{html_report.inline(text)}</p>")
    assert html_report.inline(text) == expected


@settings(max_examples=400, deadline=None)
@given(TEXT.filter(str.strip))
def test_code_span_holds_its_text(text):
    assert (
        MD.render("x " + markdown.code(text))
        == f"<p>x <code>{html.escape(text, quote=False).replace(chr(34), '&quot;')}</code></p>\n"
    )


def test_committed_sample_renders_clean():
    """reports/REPORT.md, the sample a code host shows, keeps both promises too."""
    text = (ROOT / "reports" / "REPORT.md").read_text()
    if "distinct printed mistakes confirmed" not in text:  # the sample predates this renderer's headline
        pytest.skip("reports/REPORT.md was written by an older renderer: refresh it with make sample-report")
    assert max(len(line) for line in text.splitlines() if line.startswith("|")) <= markdown.LIMIT
    for row in _table_cells(MD.parse(text)):
        for cell in row:
            assert not {c.type for c in cell.children} & {"em_open", "strong_open", "link_open", "html_inline"}


# --- formulas ----------------------------------------------------------------------------------


def printed_formulas():
    return [text for e in load().values() for text in (e.printed, e.corrected) if text]


def test_every_printed_formula_renders_and_fallbacks_are_counted():
    fallbacks, maths = 0, 0
    for text in printed_formulas():
        assert "".join(piece for _, piece in segments(text)) == text
        rendered = to_html(Formula(text))
        fallbacks += rendered.fallbacks
        for element in re.findall(r"<math.*?</math>", rendered.html):
            root = ET.fromstring(element)  # well-formed: a browser parses it as MathML, not tag soup
            annotation = root.find("semantics/annotation")
            assert annotation.get("encoding") == "application/x-tex" and annotation.text in text
            maths += 1
    assert fallbacks == KNOWN_FALLBACKS
    assert maths > len(printed_formulas())


@pytest.mark.parametrize("text", ["a{\n", "{\n", "x_1, y\n"])
def test_segments_join_back_to_the_text_with_its_last_newline(text):
    assert "".join(piece for _, piece in segments(text)) == text


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            r"X = (x_j^{(i)}), n_x rows, one column per example i = 1..m",
            [
                ("math", r"X = (x_j^{(i)})"),
                ("text", ", "),
                ("math", "n_x"),
                ("text", " rows, one column per example "),
                ("math", "i = 1..m"),
            ],
        ),
        (
            r"y = 0 for x \leq 0; x for x > 0",
            [
                ("math", "y = 0"),
                ("text", " for "),
                ("math", r"x \leq 0"),
                ("text", "; "),
                ("math", "x"),
                ("text", " for "),
                ("math", "x > 0"),
            ],
        ),
        (r"(not printed) F'(x) = 1 - \tanh^2(x)", [("text", "(not printed) "), ("math", r"F'(x) = 1 - \tanh^2(x)")]),
        (
            r"if it's \ge 0.5 then we say it's a man",
            [("text", "if it's "), ("math", r"\ge 0.5"), ("text", " then we say it's a man")],
        ),
    ],
    ids=["prose-around", "cases", "parenthesized-prose", "lone-letter"],
)
def test_segments(text, expected):
    assert segments(text) == expected


@pytest.mark.parametrize(
    "text, form",
    [
        (r"dW^{[L]} = A^{[L-1]} \cdot (A^{[L]} - Y)^T", "latex"),
        ("grads, cost = propagate(w, b, X_train, Y_train); w = w - learning_rate * dw", "code"),
        ("Each pixel can range from 0 to 255. Standardize pixel values by dividing with 255", "prose"),
    ],
)
def test_kind(text, form):
    assert kind(text) == form


def test_unconvertible_math_falls_back_to_code():
    assert math_element("a & b") is None  # latex2mathml leaves a bare &: not well-formed
    rendered = to_html(Formula(r"dZ = dA * g^{[l]}'(Z)"))
    assert rendered.fallbacks == 1 and '<code class="tex">' in rendered.html


# --- report.html ---------------------------------------------------------------------------------


def test_html_formulas_and_badges(report):
    rep, out = report
    page, fallbacks = html_report.render_with_counts(rep, out)
    assert fallbacks == KNOWN_FALLBACKS  # each printed formula appears in the full catalogue table once
    assert page.count("<math") > 150 and 'encoding="application/x-tex"' in page
    assert "\\frac{\\partial" not in re.sub(r"<annotation.*?</annotation>|<code.*?</code>", "", page)
    errata = sum(s.summary.get("errata", 0) for s in rep.sections)
    assert errata and page.count('<span class="badge finding">erratum</span>') >= errata
    assert 'class="fail"' not in page  # nothing failed, so nothing is red


@pytest.mark.parametrize(
    "cell, css",
    [
        ("erratum", '<span class="badge finding">erratum</span>'),
        ("rounding drift", '<span class="badge neutral">'),
        ("erratum FAIL", '<td class="fail"'),
        ("FAIL: step 3, dW1", '<td class="fail"'),
        ("5.00e-01 (1 of 1 fail)", '<td class="fail"'),
        ("verified", "<td data-label"),
    ],
    ids=["erratum", "drift", "erratum-stopped-disagreeing", "training-fail", "matrix-fail", "verified"],
)
def test_status_styles(cell, css):
    assert css in html_report.table(model.Table(["status"], [[cell]]), html_report.Cells())


@pytest.mark.parametrize(
    "failures, errata, line",
    [
        (
            0,
            32,
            "**PASS**: 0 failures (5 cases, 9 quantities compared); 32 distinct printed mistakes confirmed in the documents.",
        ),
        (
            2,
            32,
            "**FAIL**: 2 failures (5 cases, 9 quantities compared); 32 distinct printed mistakes confirmed in the documents.",
        ),
    ],
    ids=["pass", "fail"],
)
def test_verdict_line_states_failures_first(failures, errata, line):
    sections = [
        model.Section(
            "matrix",
            "m",
            status="fail" if failures else "ok",
            summary={"checks": 5, "quantities": 9, "failures": failures, "errata": 0},
        ),
        model.Section("catalogue", "c", summary={"checks": 1, "failures": 0, "errata": errata}),
    ]
    verdict = verdict_section(model.Report(sections, generated="now", quick=True, seed=0))
    assert verdict.blocks[0].text == line
