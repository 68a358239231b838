"""Rendering a report as REPORT.md: GitHub-flavoured Markdown, figures linked from figures/.

Two promises, both checked with a CommonMark renderer in tests/test_report_render.py:
- a table cell renders as the text it holds: Markdown punctuation in it is escaped, and a Formula
  (crosscheck/report/mathml.py) is a code span, so `_` and `*` in LaTeX never turn into italics;
- no table row is wider than LIMIT characters, so a code host shows the table without a scroll bar.
  A table that would be wider first loses its long-text columns, which follow it as a list keyed
  by the first column ("move long text below"); a single long cell becomes a numbered note; a
  table of many short columns is split into parts that repeat the leading columns telling its rows apart.
"""

import re

from .mathml import Formula
from .model import Bullets, Figure, Paragraph, Table

TITLE = "crosscheck report: the NumPy reference against PyTorch"
LIMIT = 120  # characters: the widest table row REPORT.md writes
LONG = 40  # characters: a column with a cell longer than this is long text, the first to move below a table
FEW = 0.25  # a long column moves below whole unless at most this share of its cells is long (those become notes)


def anchor(title):
    """The anchor a code-hosting site gives a heading: lower case, spaces to dashes, punctuation dropped."""
    kept = "".join(ch for ch in title.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def one_line(text):
    """`text` with each line ending CommonMark knows (\\n, \\r, \\r\\n) as a space: in a table cell one
    would end the row, and what follows would read as a row of its own."""
    return re.sub(r"\r\n?|\n", " ", str(text))


def escape(text, block_start=True):
    """Plain text as CommonMark inline content that renders as exactly this text.

    Escapes what could start markup (emphasis, code, links, HTML, entities, strikethrough and, at
    the start of a block, a heading, quote, list or rule) and leaves everything else as it reads:
    an underscore inside a word or a backslash before a letter or space is literal already.
    """
    text = one_line(text)
    text = re.sub(r"\\(?=[!-/:-@\[-`{-~]|$)", r"\\\\", text)  # a backslash that would escape the next character
    text = re.sub(r"([*`~])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)  # an underscore at a word's edge
    text = re.sub(r"\](?=[(\[])", r"\\]", text)  # [text](url) and [text][ref]
    # HTML, and autolinks: an e-mail one may start with a digit or a sign (<0@0>); neither holds a space
    text = re.sub(r"<(?=[A-Za-z/!?]|[^\s<>]*>)", r"\\<", text)
    text = re.sub(r"&(?=#?[A-Za-z0-9]+;)", r"\\&", text)  # entities
    if not block_start:  # a table cell holds inline content only
        return text
    text = text.lstrip(" \t")  # four spaces would start a code block; a paragraph drops them anyway
    text = re.sub(r"^([#>+=\[-])", r"\\\1", text)  # what could start a block: heading, quote, list, rule
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", text)  # an ordered list item


def code(text, in_table=False):
    """A code span holding `text` verbatim (a pipe is escaped inside a table, as GFM requires)."""
    text = one_line(text)
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    edge = text.startswith(("`", " ")) or text.endswith(("`", " "))
    pad = " " if edge and text.strip() else ""
    body = f"{fence}{pad}{text}{pad}{fence}"
    return body.replace("|", "\\|") if in_table else body


def cell(value, in_table=True):
    if isinstance(value, Formula):
        return code(value.latex, in_table)
    return escape(value, block_start=False).replace("|", "\\|") if in_table else escape(value)


def _rows_text(headers, rows, columns):
    widths = [max(len(r[j]) for r in [headers, *rows]) for j in columns]
    widths = [max(w, 3) for w in widths]  # the delimiter row needs three dashes

    def line(r):
        return "| " + " | ".join(r[j].ljust(w) for j, w in zip(columns, widths)) + " |"

    return [line(headers), "| " + " | ".join("-" * w for w in widths) + " |", *map(line, rows)]


def width(headers, rows, columns):
    return sum(max(3, max(len(r[j]) for r in [headers, *rows])) for j in columns) + 3 * len(columns) + 1


def layout(headers, rows, limit=LIMIT):
    """How a table fits in `limit` characters: (column groups, columns moved below, notes).

    notes: {(row, column): number}, single long cells replaced by a note marker.
    """
    columns = list(range(len(headers)))
    moved, notes = [], {}
    long_columns = [j for j in columns[1:] if max((len(r[j]) for r in rows), default=0) > LONG]
    while width(headers, rows, columns) > limit and long_columns:
        j = max(long_columns, key=lambda j: max(len(r[j]) for r in rows))
        long_columns.remove(j)
        others = width(headers, rows, [c for c in columns if c != j])
        room = max(limit - others - 3, len(headers[j]), 8)
        too_long = [i for i, r in enumerate(rows) if len(r[j]) > room]
        if len(too_long) <= FEW * len(rows):
            for i in too_long:
                notes[(i, j)] = len(notes) + 1
                rows[i][j] = f"[{notes[(i, j)]}]"
        else:
            columns.remove(j)
            moved.append(j)
    key = _key_columns(rows, columns)
    groups, group = [], list(key)
    for j in columns[len(key) :]:
        if len(group) > len(key) and width(headers, rows, group + [j]) > limit:
            groups.append(group)
            group = list(key)
        group.append(j)
    groups.append(group)
    return groups, sorted(moved), notes


def _key_columns(rows, columns, most=3):
    """The leading columns a split table repeats in each part: the fewest (at most `most`) whose values
    tell every row apart (the bench's rows need dtype and m), else the first column alone."""
    for k in range(1, min(most, len(columns) - 1) + 1):
        if len({tuple(r[j] for j in columns[:k]) for r in rows}) == len(rows):
            return columns[:k]
    return columns[:1]


def table(block):
    headers = [cell(h) for h in block.headers]
    rows = [[cell(c) for c in row] for row in block.rows]
    below = [[cell(c, in_table=False) for c in row] for row in block.rows]
    plain_headers = [cell(h, in_table=False) for h in block.headers]
    groups, moved, notes = layout(headers, rows)
    caption = cell(block.caption, in_table=False) if block.caption else ""
    if len(moved) > 1:
        # Several long-text columns (printed, corrected, how it disagrees): one record per row reads best.
        return (f"*{caption}*\n\n" if caption else "") + records(plain_headers, below)
    parts = []
    for k, group in enumerate(groups):
        if caption:
            parts.append(f"*{caption}{' (continued)' if k else ''}*\n")
        parts.append("\n".join(_rows_text(headers, rows, group)) + "\n")
    if moved:
        (j,) = moved
        parts.append(f"*{plain_headers[j]}, for each {plain_headers[0]} above:*\n")
        parts.append("\n".join(f"- **{r[0]}**: {r[j]}" for r in below if r[j]) + "\n")
    if notes:
        parts.append(
            "\n".join(f"- [{n}] **{below[i][0]}**, {plain_headers[j]}: {below[i][j]}" for (i, j), n in notes.items())
            + "\n"
        )
    return "\n".join(parts).rstrip("\n")


def records(headers, rows):
    """A table as a list: the first column in bold, then one line per other non-empty column."""
    items = []
    for r in rows:
        items.append(f"- **{r[0]}**")
        items += [f"  - {h}: {v}" for h, v in zip(headers[1:], r[1:]) if v]
    return "\n".join(items)


def block(b):
    if isinstance(b, Paragraph):
        return b.text
    if isinstance(b, Bullets):
        return "\n".join(f"- {item}" for item in b.items)
    if isinstance(b, Table):
        return table(b)
    if isinstance(b, Figure):
        return f"![{escape(b.caption)}]({b.path})"
    raise TypeError(f"block: expected Paragraph, Bullets, Table or Figure, got {type(b).__name__}")


def render(report):
    parts = [
        f"# {TITLE}",
        "",
        "Contents: " + " · ".join(f"[{s.title}](#{anchor(s.title)})" for s in report.sections),
        "",
    ]
    for s in report.sections:
        parts += [f"## {s.title}", ""]
        for b in s.blocks:
            parts += [block(b), ""]
    parts.append(
        f"*Generated by `crosscheck report` in {report.run_seconds:.1f} s; every number is in report.json "
        "(schema_version 1).*"
    )
    return "\n".join(parts) + "\n"


def write(report, path):
    path.write_text(render(report))
    return path
