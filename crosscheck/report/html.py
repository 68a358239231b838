"""Rendering a report as one self-contained report.html: inline CSS, MathML, figures as data URIs.

Nothing is fetched when the page is viewed: formulas are MathML converted at report time
(crosscheck/report/mathml.py), which browsers typeset natively, with the LaTeX kept as an
annotation. Status words are badges: a failure is red, a printed erratum is an amber finding
(the report exists to find those), rounding drift is grey. The layout fits a 400 px phone: the
contents bar scrolls sideways, wide tables scroll inside their own box or, where they hold long
text, become one card per row, and wide figures scroll inside their frame at a readable size.
"""

import base64
import html
import re
import struct

from . import markdown
from .mathml import Formula, to_html
from .model import SCHEMA_VERSION, Bullets, Figure, Paragraph, Table

CSS = """
:root { --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa;
        --red: #a40e26; --red-bg: #ffebe9; --amber: #7d4e00; --amber-bg: #fff1c2;
        --green: #116329; --green-bg: #dafbe1; --grey-bg: #eaeef2; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
       max-width: 1180px; margin: 0 auto; padding: 0 1.2rem 2rem; overflow-wrap: break-word; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 1.5rem 0 .6rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem;
     scroll-margin-top: 4.5rem; }
nav.toc { position: sticky; top: 0; z-index: 2; background: rgba(255,255,255,.96); border-bottom: 1px solid var(--line);
          display: flex; flex-wrap: wrap; gap: .1rem .25rem; padding: .45rem 0; margin: 0 0 1rem; }
nav.toc a { text-decoration: none; color: #0969da; padding: .1rem .45rem; border-radius: 999px; font-size: 14px;
            white-space: nowrap; }
nav.toc a:hover { background: var(--soft); }
code { background: #f3f4f6; padding: 0 .25em; border-radius: 4px; font-size: 90%; }
p.verdict { font-size: 1.05rem; padding: .6rem .9rem; border-radius: 6px; border-left: 4px solid var(--green);
            background: var(--green-bg); }
p.verdict.fail { border-color: var(--red); background: var(--red-bg); }
.scroll { overflow-x: auto; margin: .3rem 0 1.2rem; max-width: 100%; }
table { border-collapse: collapse; font-size: 13px; }
p.caption { font-style: italic; color: var(--muted); font-size: 13px; margin: 1rem 0 .3rem; }
th, td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: var(--soft); }
tr:nth-child(even) td { background: #fbfbfc; }
td.fail { background: var(--red-bg) !important; color: var(--red); font-weight: 600; }
td.formula { min-width: 14rem; }
td.formula > div { max-width: 24rem; overflow-x: auto; overflow-y: hidden; padding-bottom: 2px; }
td.prose { min-width: 14rem; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
math { font-size: 1.15em; math-style: normal;
       font-family: "STIX Two Math", "Latin Modern Math", "DejaVu Math TeX Gyre", "Cambria Math", math; }
.badge { display: inline-block; padding: 0 .5em; border-radius: 999px; font-size: 12px; font-weight: 600;
         vertical-align: middle; white-space: nowrap; line-height: 1.6; }
.badge.ok { background: var(--green-bg); color: var(--green); }
.badge.fail { background: var(--red-bg); color: var(--red); }
.badge.finding { background: var(--amber-bg); color: var(--amber); }
.badge.na, .badge.neutral { background: var(--grey-bg); color: var(--muted); }
details.long > summary { cursor: pointer; color: #0969da; margin: .6rem 0; }
figure { margin: 1rem 0; }
.frame { overflow-x: auto; max-width: 100%; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); display: block; }
figcaption { color: var(--muted); font-size: 13px; }
figcaption .hint { display: none; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: 13px; }
@media (max-width: 640px) {
  body { padding: 0 .75rem 1.5rem; font-size: 14px; }
  nav.toc { flex-wrap: nowrap; overflow-x: auto; scrollbar-width: thin; }
  h1 { font-size: 1.35rem; }
  h2 { font-size: 1.15rem; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards thead { display: none; }
  table.cards tr { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 .6rem; padding: .3rem .5rem; }
  table.cards td { border: 0; padding: .15rem 0; background: none !important; overflow-x: auto; }
  table.cards td.fail { color: var(--red); }
  table.cards td:first-child { font-weight: 600; }
  table.cards td:first-child::before { display: none; }
  td.formula > div { max-width: 100%; }
  table.cards td::before { content: attr(data-label); display: block; font-size: 11px; color: var(--muted);
                           text-transform: uppercase; letter-spacing: .03em; }
  figure img.wide { max-width: none; width: var(--natural); }
  figcaption .hint { display: inline; }
}
"""

PROSE = 40  # characters: a longer text cell keeps a readable width beside wide formulas
CARD_CHARACTERS = 90  # a table whose columns add up to more than this ...
CARD_TEXT = 24  # ... and that holds a cell longer than this becomes cards on a phone
LONG_TABLE = 40  # rows: a longer table is folded under a "show all" line
WIDE_FIGURE = 900  # px: a wider figure keeps this natural size on a phone, in a frame that scrolls


def inline(text):
    """Escape, then keep the two bits of Markdown the sections use: `code` and **bold**. Code spans
    are taken first, as Markdown reads them, and bold may hold them whole but never half of one:
    done one after the other, the two could cross (<strong>a<code>b</strong>c</code>)."""
    text = html.escape(str(text))
    pieces = re.split(r"`([^`]+)`", text)  # the odd ones: the code spans' contents
    hold = "<>"  # stands in for a code span: escaped text holds no "<"
    text = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", hold.join(pieces[0::2]))
    codes = iter(pieces[1::2])
    return re.sub(hold, lambda _: f"<code>{next(codes)}</code>", text)


# Exact status words in a table cell and their badge; anything that says FAIL is a failure.
STATUS_BADGES = {"erratum": "finding", "rounding drift": "neutral", "not available": "na", "fail": "fail"}
NUMBER = re.compile(r"^[-+]?(\d[\d,]*\.?\d*|\.\d+)([eE][-+]?\d+)?%?$")  # kept on one line, digits aligned
FAILURE = re.compile(r"\bFAIL\b|\bfail\)")  # "erratum FAIL", "FAIL: ...", "3.1e-01 (1 of 7 fail)"


class Cells:
    """Renders cells and counts the formulas that fell back to code (tests read `fallbacks`)."""

    def __init__(self):
        self.fallbacks = 0

    def td(self, value, label):
        attrs = f' data-label="{html.escape(str(label))}"'
        if isinstance(value, Formula):
            rendered = to_html(value)
            self.fallbacks += rendered.fallbacks
            return f'<td class="formula"{attrs}><div>{rendered.html}</div></td>'
        text = str(value)
        if FAILURE.search(text):
            return f'<td class="fail"{attrs}>{inline(text)}</td>'
        badge = STATUS_BADGES.get(text)
        if badge:
            return f'<td{attrs}><span class="badge {badge}">{html.escape(text)}</span></td>'
        kind = ' class="prose"' if len(text) > PROSE else ' class="num"' if NUMBER.match(text) else ""
        return f"<td{kind}{attrs}>{inline(text)}</td>"


def _cards(block):
    """Whether a table should become one card per row on a phone: it holds formulas, or is wide with long text.

    A grid of short numbers (the matrix's pivot tables) stays a grid that scrolls sideways.
    """
    cells = [max(len(str(r[j])) for r in block.rows) if block.rows else 0 for j in range(len(block.headers))]
    widest = [max(len(str(h)), c) for h, c in zip(block.headers, cells)]
    return any(isinstance(c, Formula) for r in block.rows for c in r) or (
        sum(widest) > CARD_CHARACTERS and max(cells, default=0) > CARD_TEXT
    )


def table(block, cells):
    head = "".join(f"<th>{inline(h)}</th>" for h in block.headers)
    rows = "".join("<tr>" + "".join(cells.td(c, h) for c, h in zip(row, block.headers)) + "</tr>" for row in block.rows)
    # A paragraph rather than <caption>: a caption wraps to the width of a narrow table.
    caption = f'<p class="caption">{inline(block.caption)}</p>' if block.caption else ""
    kind = ' class="cards"' if _cards(block) else ""
    body = f'<div class="scroll"><table{kind}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
    if len(block.rows) > LONG_TABLE:
        columns = ", ".join(html.escape(str(h)) for h in block.headers)
        body = f'<details class="long"><summary>Show all {len(block.rows)} rows ({columns})</summary>{body}</details>'
    return caption + body


def png_size(data):
    """(width, height) in pixels from a PNG's header."""
    return struct.unpack(">II", data[16:24])


def figure(block, out_dir):
    data = (out_dir / block.path).read_bytes()
    width, height = png_size(data)
    wide = width > WIDE_FIGURE
    hint = '<span class="hint"> (wide: scroll sideways)</span>' if wide else ""
    src = base64.b64encode(data).decode("ascii")
    kind = ' class="wide"' if wide else ""
    return (
        f'<figure><div class="frame"><img src="data:image/png;base64,{src}" width="{width}" height="{height}"'
        f'{kind} style="--natural: {width}px" alt="{html.escape(block.caption)}">'
        f"</div><figcaption>{inline(block.caption)}{hint}</figcaption></figure>"
    )


def block(b, out_dir, cells):
    if isinstance(b, Paragraph):
        return f"<p>{inline(b.text)}</p>"
    if isinstance(b, Bullets):
        return "<ul>" + "".join(f"<li>{inline(i)}</li>" for i in b.items) + "</ul>"
    if isinstance(b, Table):
        return table(b, cells)
    if isinstance(b, Figure):
        return figure(b, out_dir)
    raise TypeError(f"block: expected Paragraph, Bullets, Table or Figure, got {type(b).__name__}")


def badges(section):
    """The section's status, and its printed errata as an amber count of findings."""
    kind = {"ok": "ok", "fail": "fail"}.get(section.status, "na")
    out = f'<span class="badge {kind}">{html.escape(section.status)}</span>'
    errata = section.summary.get("errata", 0)
    if errata:
        out += f' <span class="badge finding">{errata} finding{"s" if errata != 1 else ""}</span>'
    return out


def _nav_badge(section):
    failures, errata = section.summary.get("failures", 0), section.summary.get("errata", 0)
    if failures:
        return f' <span class="badge fail">{failures}</span>'
    if errata:
        return f' <span class="badge finding">{errata}</span>'
    return ""


def render_with_counts(report, out_dir):
    """(the page, the number of formula pieces shown as code because they could not be converted)."""
    cells = Cells()
    nav = "".join(
        f'<a href="#{markdown.anchor(s.title)}">{html.escape(s.title)}{_nav_badge(s)}</a>' for s in report.sections
    )
    body = [f"<h1>{html.escape(markdown.TITLE)}</h1>", f'<nav class="toc" aria-label="Contents">{nav}</nav>']
    for s in report.sections:
        body.append(f'<section><h2 id="{markdown.anchor(s.title)}">{html.escape(s.title)} {badges(s)}</h2>')
        blocks = [block(b, out_dir, cells) for b in s.blocks]
        if s.key == "verdict" and blocks and blocks[0].startswith("<p>"):
            blocks[0] = f'<p class="verdict {"fail" if s.status == "fail" else "ok"}">' + blocks[0][3:]
        body += blocks
        body.append("</section>")
    body.append(
        f"<footer>Generated by <code>crosscheck report</code> in {report.run_seconds:.1f} s on "
        f"{html.escape(report.generated)}; every number is in report.json (schema_version {SCHEMA_VERSION}). "
        "Formulas are MathML; each keeps its LaTeX source as an annotation.</footer>"
    )
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(markdown.TITLE)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )
    return page, cells.fallbacks


def render(report, out_dir):
    return render_with_counts(report, out_dir)[0]


def write(report, out_dir):
    path = out_dir / "report.html"
    path.write_text(render(report, out_dir))
    return path
