"""The report's first section, the verdict: PASS or FAIL over every other section, and the errata."""

from .model import Paragraph, Section, Table


def _distinct_errata(report, summed):
    """Errata over the report with each printed mistake counted once, and the ledger's line (or None).

    The catalogue's ledger counts distinct printed mistakes, the worked examples' errata included (it
    claims them): with it, the examples section's erratum rows are not added a second time. Without it
    (catalogue not available), the sections' own counts are summed as before.
    """
    available = {s.key: s for s in report.sections if s.status != "not available"}
    ledger = available["catalogue"].data.get("ledger") if "catalogue" in available else None
    if not ledger:
        return summed, None
    others = sum(s.summary.get("errata", 0) for k, s in available.items() if k not in ("catalogue", "examples"))
    kinds = ", ".join(f"{k} {v}" for k, v in ledger["by_kind"].items())
    line = (
        f"{ledger['distinct']} distinct printed mistakes (by kind: {kinds}); {ledger['drift_count']} rounding "
        f"drifts (right arithmetic on rounded inputs, not counted as mistakes). The table's errata column counts "
        f"erratum entries and example rows; a mistake printed in several places is one mistake in the headline."
    )
    return ledger["distinct"] + others, line


def verdict_section(report):
    """The headline: checks, quantities, failures and errata over every section, and which are missing.

    Errata are distinct printed mistakes (see _distinct_errata), not the sum of the sections' rows.
    """
    rows, missing = [], []
    total = {"checks": 0, "quantities": 0, "failures": 0, "errata": 0}
    for s in report.sections:
        if s.status == "not available":
            missing.append(s.title)
            rows.append([s.title, s.status, "", "", ""])
            continue
        for k in total:
            total[k] += s.summary.get(k, 0)
        rows.append(
            [s.title, s.status, s.summary.get("checks", ""), s.summary.get("failures", ""), s.summary.get("errata", "")]
        )
    total["errata"], ledger_line = _distinct_errata(report, total["errata"])
    # Failures decide PASS or FAIL; the documents' printed mistakes are findings, said after them.
    verdict = "FAIL" if total["failures"] else "PASS"
    matrix_cases = sum(s.summary.get("checks", 0) for s in report.sections if s.key in ("matrix", "kinks"))
    headline = (
        f"**{verdict}**: {total['failures']} failures ({matrix_cases} cases, {total['quantities']} quantities "
        f"compared); {total['errata']} distinct printed mistakes confirmed in the documents."
    )
    blocks = [Paragraph(headline)]
    if ledger_line:
        blocks.append(Paragraph(ledger_line))
    if missing:
        blocks.append(Paragraph(f"Not in this build: {', '.join(missing)}."))
    mode = "quick (CI slice)" if report.quick else "full"
    blocks.append(Paragraph(f"Run: {mode}, generated {report.generated}, seed {report.seed}."))
    blocks.append(Table(["section", "status", "checks", "failures", "errata"], rows))
    return Section(
        "verdict",
        "Verdict",
        status="fail" if total["failures"] else "ok",
        data={"verdict": verdict, "cases": matrix_cases, **total, "not_available": missing},
        blocks=blocks,
    )
