"""The check "citations": what an entry quotes is printed on its line, and an erratum's witnesses on theirs.

A wording or index slip is proven by the document itself: its `quote` (the slip, verbatim) is on the
cited line while its `witness` lines print the right form. For such an erratum the finding is
error 0 when every witness is found (the correction is the document's own), and printed_error 1 when
every quote is found (the slip is printed); a verified entry's quotes must all be found. A seed file
that cannot be read makes every entry fail (error inf), never pass.
"""

import math

from .. import seeds
from ..findings import Finding
from ..schema import CITATIONS, load


def _show(text, width=60):
    text = seeds.flat(text)
    return text if len(text) <= width else text[: width - 3] + "..."


def citations():
    """Quotes and witnesses of every entry listing this check, found in the seed text (white space aside)."""
    entries = [e for e in load().values() if CITATIONS in e.checks]
    try:
        texts = {doc: seeds.lines(doc) for doc in sorted({e.doc for e in entries})}
    except seeds.SeedsMissing as exc:
        return {e.id: Finding(math.inf, math.nan, f"seeds: {exc}") for e in entries}
    out = {}
    for e in entries:
        numbered = texts[e.doc]
        lost = [(n, q) for n, q in e.quote if not seeds.prints(numbered, n, q)]
        unseen = [(n, w) for n, w in e.witness if not seeds.prints(numbered, n, w)]
        if e.status == "verified":
            out[e.id] = Finding(
                0.0 if not lost else math.inf,
                math.nan,
                "" if not lost else f"seeds: l.{lost[0][0]} does not print {_show(lost[0][1])!r}",
            )
            continue
        if unseen:
            how = f"seeds: the witness l.{unseen[0][0]} does not print {_show(unseen[0][1])!r}"
        elif lost:
            how = f"seeds: l.{lost[0][0]} no longer prints {_show(lost[0][1])!r}"
        else:
            said = "; ".join(f"l.{n} prints {_show(w)!r}" for n, w in e.witness)
            how = f"{e.mistake}: l.{e.quote[0][0]} prints {_show(e.quote[0][1])!r}" + (
                f", while {said}" if said else ""
            )
        out[e.id] = Finding(0.0 if not unseen else math.inf, 0.0 if lost else 1.0, how)
    return out


CHECKS = (citations,)
