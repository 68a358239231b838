"""The report's equation catalogue section (issue 3) with its errata ledger (issue 16)."""

import numpy as np

from ..catalogue.ledger import build as build_ledger
from ..catalogue.runner import MISTAKES, cite
from ..catalogue.runner import run as run_catalogue
from .capabilities import _finite, _fmt
from .mathml import Formula
from .model import Paragraph, Section, Table, record


def _entries():
    eps = float(np.finfo("float64").eps)  # every catalogue check runs in float64
    entries = []
    for i, o in run_catalogue().items():
        e = o.entry
        entries.append(
            {
                "id": i,
                "document": e.doc,
                "section": e.section,
                "lines": list(e.lines),
                "equation": e.printed,
                "status": e.status,
                "kind": e.label,
                "counted_as": e.counted_as or None,
                "corrected": e.corrected,
                "how": o.how,
                "ok": bool(o.ok),
                "largest_error": _finite(o.error),
                # None where the printed form cannot even be evaluated (a shape mismatch): `how` says so.
                "printed_error": _finite(o.printed_error),
                "eps": eps,
            }
        )
    return entries


def catalogue_section(ctx):
    """The equation catalogue (issue 3) and its errata ledger (issue 16): every documented equation with its
    status and largest error, and the distinct printed mistakes by document and kind.

    Uses crosscheck.catalogue.runner.run() -> {id: Outcome(entry, error, printed_error, how, ok)} and
    crosscheck.catalogue.ledger.build() (which reruns the worked examples, a fraction of a second, to claim
    their errata). A failure is a verified equation whose twins disagree, or an erratum whose printed form
    stops disagreeing. summary["errata"] counts erratum entries; summary["distinct_errata"] counts each
    printed mistake once, the worked examples' included; the verdict reports the latter.
    """
    entries = _entries()
    ledger = build_ledger()
    failures = sum(not e["ok"] for e in entries)
    errata = [e for e in entries if e["status"] == "erratum"]
    per_doc = {}
    for e in entries:
        per_doc.setdefault(e["document"], [0, 0])
        per_doc[e["document"]][0] += 1
        per_doc[e["document"]][1] += e["status"] == "erratum"
    by_doc = ledger.by_document()
    kinds = [k for k in MISTAKES if k in ledger.by_kind()]
    cell = lambda text: text.replace("\n", " ")  # noqa: E731
    where = lambda e: f"{e['section']} ({cite(e['lines'])})"  # noqa: E731
    blocks = [
        Paragraph(
            f"{len(entries)} documented equations, definitions, shapes, counts and claims, each cross-checked "
            f"against PyTorch (or, for a wording slip, against the document's own lines): "
            f"{len(entries) - len(errata)} verified, {len(errata)} errata entries (printed wrong; the corrected "
            f"form agrees, the printed one does not), {failures} failing."
        ),
        Paragraph(
            f"Errata ledger: {ledger.summary()}. A mistake printed in several places counts once: the one-hot "
            f"table's ten rows are one erratum, and so are doc 001's three formulas built on one transposed row."
        ),
        Table(
            ["document", "entries", "errata entries", "distinct mistakes"] + kinds,
            [
                [d, n, k, sum(by_doc.get(d, {}).values())] + [by_doc.get(d, {}).get(kind, 0) for kind in kinds]
                for d, (n, k) in sorted(per_doc.items())
            ],
        ),
    ]
    if errata:
        blocks += [
            Paragraph(
                "Errata in the equations: the printed form, the corrected one, the kind of mistake, and "
                "how the computation (or the document's own lines) tells them apart."
            ),
            Table(
                ["id", "kind", "counted as", "printed", "corrected", "how it disagrees"],
                [
                    [
                        e["id"],
                        e["kind"],
                        e["counted_as"],
                        Formula(cell(e["equation"])),
                        Formula(cell(e["corrected"])),
                        cell(e["how"]),
                    ]
                    for e in errata
                ],
            ),
        ]
    # The errata first (what a reader of the documents wants most), then every entry; formulas as Formula cells.
    blocks.append(
        Table(
            ["id", "section", "printed", "status", "largest error"],
            [
                [
                    e["id"],
                    cell(where(e)),
                    Formula(cell(e["equation"])),
                    e["status"] + ("" if e["ok"] else " FAIL"),
                    _fmt(e["largest_error"]),
                ]
                for e in entries
            ],
        )
    )
    return Section(
        "catalogue",
        "Equation catalogue",
        status="fail" if failures else "ok",
        summary={
            "checks": len(entries),
            "failures": failures,
            "errata": len(errata),
            "distinct_errata": ledger.distinct,
            "drifts": ledger.drift_count,
        },
        data={"entries": entries, "ledger": ledger.to_json()},
        records=[record(e["id"], e["ok"], e["largest_error"], e["eps"]) for e in entries],
        blocks=blocks,
    )
