"""Formulas in report tables: the Formula cell marker and its rendering as MathML for report.html.

The catalogue keeps each equation as the documents printed it: LaTeX, often with words of prose
around it ("n_x rows, one column per example") and sometimes slide pseudo-code ("np.dot(w.T,X)").
`segments` splits such a string into prose and math at the top level (outside braces and
brackets); `to_html` converts each math piece with latex2mathml at report time, keeping its LaTeX
source as an <annotation encoding="application/x-tex">, so the page needs no network and no script.
A piece latex2mathml cannot convert, or converts to something that is not well-formed, is shown
as a code span instead: the report never fails on a formula. A string with no LaTeX in it at all
is shown as printed: as text when it is mostly words, as code when it is slide pseudo-code.
REPORT.md shows every Formula as a code span.
"""

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from latex2mathml.converter import convert


@dataclass(frozen=True)
class Formula:
    """A table cell holding a formula as printed (LaTeX, possibly with prose around it)."""

    latex: str

    def __str__(self):
        return self.latex


# LaTeX syntax: a command, a superscript, a brace, or a one-character subscript (x_j, n_x; not X_train).
LATEX = re.compile(r"\\[A-Za-z{}]|[\^{}]|_(?:\{|[A-Za-z0-9](?![A-Za-z0-9]))")
# Words that are mathematics when they stand alone, not prose.
MATH_WORDS = {"log", "exp", "max", "min", "sin", "cos", "tanh", "sum", "softmax", "sigmoid", "argmax", "axis"}
SMALL_WORDS = {"if", "of", "to", "is", "by", "we", "on", "in", "as", "be", "or", "no", "at", "an", "it", "so", "do"}
WORD = re.compile(r"^\(?([A-Za-z]+(?:-[a-z]{2,})*(?:'[a-z]+)?)\)?[.,;:!?)]*$")
LINE_REF = re.compile(r"^\(?l\.\d+(?:'s)?[.,;:)]*$")  # "l.111", "l.70's": a line of the document
OPEN, CLOSE = "({[", ")}]"


def is_latex(text):
    return LATEX.search(text) is not None


def _prose_word(token):
    if LINE_REF.match(token):
        return True
    m = WORD.match(token)
    if not m:
        return False
    word = m.group(1)
    if word.lower() in SMALL_WORDS:
        return True
    return len(word) >= 3 and word[1:].islower() and word.lower() not in MATH_WORDS


def _weak(token):
    """A lone letter or a function name: prose or mathematics depending on its neighbours."""
    m = WORD.match(token)
    return m is not None and (len(m.group(1)) == 1 or m.group(1).lower() in MATH_WORDS)


def kind(text, prose_share=0.6):
    """ "latex" (typeset as MathML), "prose" (mostly words) or "code" (slide pseudo-code, shown verbatim)."""
    if is_latex(text):
        return "latex"
    tokens = [t for t, _ in _tokens(text)]
    return "prose" if tokens and sum(map(_prose_word, tokens)) >= prose_share * len(tokens) else "code"


def _group(token):
    """The inside of a token that is one parenthesized group followed by punctuation ("(as l.258),"), else None."""
    m = re.match(r"^\((.*)\)([.,;:]*)$", token, flags=re.S)
    if not m:
        return None
    depth = 0
    for ch in m.group(1):
        depth += ch in OPEN
        depth -= ch in CLOSE
        if depth < 0:  # "(a)(b)": the first parenthesis closes before the end
            return None
    return m.group(1), m.group(2)


def _tokens(text):
    """(token, whitespace after it) pairs, split at whitespace outside braces, brackets and parentheses."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in "{}":
            i += 2  # \{ and \} are printed braces, not groups
            continue
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif ch.isspace() and depth == 0:
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            out.append((text[start:i], text[i:j]))
            start = i = j
            continue
        i += 1
    if start < len(text):
        out.append((text[start:], ""))
    return out


def segments(text):
    """[("math" | "text", piece)]: prose words and top-level separators (, ; :) as text, the rest as math.

    Joined back together the pieces are exactly `text`. A lone letter between two prose words
    ("it's a man") is prose; a math piece without a letter or digit ("=>") is text.
    """
    tokens = _tokens(text)
    weak = [_weak(t) for t, _ in tokens]
    kinds = [_prose_word(t) and not w for (t, _), w in zip(tokens, weak)]
    strong = [k for k, w in enumerate(weak) if not w]
    for k in (k for k, w in enumerate(weak) if w):
        left = max((j for j in strong if j < k), default=None)
        right = min((j for j in strong if j > k), default=None)
        kinds[k] = left is not None and right is not None and kinds[left] and kinds[right]
    pieces = []

    def add(kind, piece):
        if not piece:
            return
        if pieces and pieces[-1][0] == kind:
            pieces[-1] = (kind, pieces[-1][1] + piece)
        else:
            pieces.append((kind, piece))

    for (token, space), prose in zip(tokens, kinds):
        if prose:
            add("text", token + space)
            continue
        group = _group(token)
        if group and kind(group[0], 0.5) == "prose":  # "(not printed)", "(as l.258, l.288)"
            add("text", token + space)
            continue
        if group and is_latex(group[0]) and any(_prose_word(t) for t, _ in _tokens(group[0])):
            add("text", "(")  # "(row i is y_i repeated)": prose with formulas inside
            for what, piece in segments(group[0]):
                add(what, piece)
            add("text", ")" + group[1] + space)
            continue
        # A separator at the end of a math token ("(x_j^{(i)}),", "0;", "i:") is text between formulas.
        m = re.match(r"^(.*?)([,;:]*)\Z", token, flags=re.S)  # \Z: $ would match before a last newline
        body, tail = m.group(1), m.group(2)
        add("math", body)
        if tail or (pieces and pieces[-1][0] == "text"):
            add("text", tail + space)
        else:
            add("math", space)
    # Trailing spaces of a math piece belong to the text that follows; a math piece with nothing
    # to typeset is text.
    out = []
    for what, piece in pieces:
        if what == "math":
            core = piece.rstrip()
            if not re.search(r"[A-Za-z0-9\\]", core):
                what = "text"
            elif core != piece:
                out.append(("math", core))
                what, piece = "text", piece[len(core) :]
        if out and out[-1][0] == what:
            out[-1] = (what, out[-1][1] + piece)
        else:
            out.append((what, piece))
    return out


# Two or more prose words inside a formula (\frac{Number of correct predictions}{...}) are set as text;
# a word of three or more letters (softmax, Sum, old) upright, as a name, not a product of letters.
_WORDS_IN_MATH = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}(?: [A-Za-z]{2,})+(?![A-Za-z])")
_NAME_OR_TEXT = re.compile(r"\\text\{[^}]*\}|(?<![\\A-Za-z])[A-Za-z]{3,}(?![A-Za-z])")


def _textify(latex):
    def text(m):
        words = m.group(0).split(" ")
        return r"\text{" + m.group(0) + "}" if all(_prose_word(w) for w in words) else m.group(0)

    def name(m):
        return m.group(0) if m.group(0).startswith("\\") else r"\operatorname{" + m.group(0) + "}"

    return _NAME_OR_TEXT.sub(name, _WORDS_IN_MATH.sub(text, latex))


def math_element(latex):
    """One <math> element with the LaTeX source as its annotation, or None if it cannot be converted."""
    try:
        converted = convert(_textify(latex))
        root = ET.fromstring(converted)  # latex2mathml may emit a bare & or <: not well-formed
    except Exception:  # noqa: BLE001 - any failure of the converter means "show the source instead"
        return None
    if root.tag.rsplit("}", 1)[-1] != "math" or not len(root):
        return None
    inner = converted[converted.index(">") + 1 : converted.rindex("</math>")]
    return (
        '<math display="inline"><semantics>' + f"<mrow>{inner}</mrow>"
        f'<annotation encoding="application/x-tex">{html.escape(latex, quote=False)}</annotation>'
        "</semantics></math>"
    )


@dataclass
class Rendered:
    html: str
    fallbacks: int  # math pieces shown as code because latex2mathml could not convert them


def to_html(formula):
    """HTML for a Formula: MathML for its math pieces, text for its prose, code where conversion fails."""
    text = formula.latex if isinstance(formula, Formula) else str(formula)
    form = kind(text)
    if form == "prose":
        return Rendered(html.escape(text), 0)
    if form == "code":  # slide pseudo-code: shown exactly as printed
        return Rendered(f'<code class="printed">{html.escape(text)}</code>', 0)
    parts, fallbacks = [], 0
    for what, piece in segments(text):
        if what == "text":
            parts.append(html.escape(piece))
            continue
        element = math_element(piece)
        if element is None:
            fallbacks += 1
            parts.append(f'<code class="tex">{html.escape(piece)}</code>')
        else:
            parts.append(element)
    return Rendered(f'<span class="formula">{"".join(parts)}</span>', fallbacks)
