"""The report's case sections: the cross-check matrix and the kink cases."""

from collections import defaultdict

import numpy as np

from ..core.ops import EXTENSIONS, HIDDEN, PAIRINGS
from ..core.tolerances import FACTORS, tolerance_for
from . import figures
from .context import run_cases
from .model import Bullets, Figure, Paragraph, Section, Table, record
from .tf32 import finding_blocks, tf32_applies, tf32_finding

MAX_LISTED_FAILURES = 50
# Quantity families in chain order, for the per-quantity table: "dW2" belongs to "dW".
FAMILIES = ("Z", "A", "J", "dA", "dZ", "dW", "db")


def eps(dtype):
    return float(np.finfo(dtype).eps)


def sig(x, digits=4):
    """A float kept to `digits` significant digits (per-quantity numbers; the worst per case stays exact)."""
    return None if x is None or not np.isfinite(x) else float(f"{x:.{digits - 1}e}")


def fmt(x):
    return "n/a" if x is None else f"{x:.2e}"


def family(name):
    return name.rstrip("0123456789")


def case_data(case, comparison):
    """Everything known about one case, as plain data."""
    worst = max(comparison.rows, key=lambda r: r.max_rel)
    return {
        "id": case.id,
        "hidden": case.hidden,
        "pairing": case.pairing,
        "reduction": case.reduction,
        "reg": case.reg,
        "depth": case.depth,
        "m": case.m,
        "dtype": case.dtype,
        "kink": case.kink,
        "ok": comparison.ok,
        "rtol": worst.rtol,
        "worst_rel": worst.max_rel if np.isfinite(worst.max_rel) else None,
        "worst_quantity": worst.name,
        "quantities": {r.name: sig(r.max_rel) for r in comparison.rows},
        "first_divergence": None if comparison.ok else comparison.first_divergence(),
    }


def _worst(values):
    """Largest error, with None (infinite: a shape mismatch or a non-finite value) the worst of all."""
    values = list(values)
    return None if any(v is None for v in values) else max(values, default=0.0)


def group(cases, keys):
    """Cases grouped by the `keys` fields: count, failures, worst relative error and where it was."""
    groups = defaultdict(list)
    for c in cases:
        groups[tuple(c[k] for k in keys)].append(c)
    out = []
    for key, members in groups.items():
        worst = max(members, key=lambda c: np.inf if c["worst_rel"] is None else c["worst_rel"])
        out.append(
            {
                **dict(zip(keys, key)),
                "cases": len(members),
                "failures": sum(not c["ok"] for c in members),
                "worst_rel": _worst(c["worst_rel"] for c in members),
                "worst_case": worst["id"],
                "worst_quantity": worst["worst_quantity"],
            }
        )
    return out


def hidden_rows(cases):
    """Hidden activations in the matrix's order, with depth-1 networks ("none") last."""
    present = {c["hidden"] for c in cases}
    return [h for h in (*HIDDEN, "none") if h in present]


def pivot_table(groups, cases, dtype):
    """Rows hidden activation, columns output+loss pairing: worst relative error of each cell."""
    cells = {(g["hidden"], g["pairing"]): g for g in groups if g["dtype"] == dtype}
    pairings = [p for p in PAIRINGS if any(k[1] == p for k in cells)]
    rows = []
    for hidden in hidden_rows(cases):
        row = [f"{hidden} (extension)" if hidden in EXTENSIONS else hidden]
        for p in pairings:
            g = cells.get((hidden, p))
            if g is None:
                row.append("")
            elif g["failures"]:
                row.append(f"{fmt(g['worst_rel'])} ({g['failures']} of {g['cases']} fail)")
            else:
                row.append(fmt(g["worst_rel"]))
        rows.append(row)
    tol = tolerance_for(dtype)
    caption = (
        f"{dtype}: worst relative error per hidden activation (rows) x output+loss (columns); "
        f"tolerance {tol.rtol:.1e} = {FACTORS[dtype]} eps, eps = {eps(dtype):.2e}"
    )
    return Table(["hidden \\ out+loss", *pairings], rows, caption)  # fits REPORT.md's 120


def family_table(cases, dtypes):
    """Worst relative error per quantity family (Z, A, J, dA, dZ, dW, db) and dtype."""
    worst = defaultdict(float)
    for c in cases:
        for name, rel in c["quantities"].items():
            key = (family(name), c["dtype"])
            worst[key] = None if rel is None or worst[key] is None else max(worst[key], rel)
    rows = [[f, *(fmt(worst.get((f, d))) if (f, d) in worst else "" for d in dtypes)] for f in FAMILIES]
    data = {f"{f}/{d}": worst[(f, d)] for f in FAMILIES for d in dtypes if (f, d) in worst}
    return Table(["quantity", *dtypes], rows, "Worst relative error per quantity, over all cases"), data


def _dtypes(cases):
    return [d for d in ("float64", "float32") if any(c["dtype"] == d for c in cases)]


def _failure_bullets(cases):
    failing = [c for c in cases if not c["ok"]]
    items = [f"`{c['id']}`: {c['first_divergence']}" for c in failing[:MAX_LISTED_FAILURES]]
    if len(failing) > MAX_LISTED_FAILURES:
        items.append(f"... and {len(failing) - MAX_LISTED_FAILURES} more (all in report.json)")
    return items


def matrix_records(ctx, cases):
    """A record per matrix case, each run through both twins (a part of the matrix, with --jobs)."""
    return [case_data(c, comp) for c, comp in run_cases(ctx, cases, "matrix")]


def matrix_from_records(ctx, records):
    """The matrix section from its records: tables by activation x pairing x dtype, two figures."""
    return matrix_like_section("matrix", "Cross-check matrix", records, ctx, figures_too=True)


def matrix_like_section(key, title, cases, ctx, figures_too=False):
    dtypes = _dtypes(cases)
    groups = group(cases, ("hidden", "pairing", "dtype"))
    under_tf32 = [c for c in cases if tf32_applies(ctx, c["dtype"])]
    failures = sum(not c["ok"] for c in cases if not tf32_applies(ctx, c["dtype"]))
    quantities = sum(len(c["quantities"]) for c in cases)
    fam_table, fam_data = family_table(cases, dtypes)
    extensions = sorted({c["hidden"] for c in cases} & set(EXTENSIONS))
    blocks = [
        Paragraph(
            f"{len(cases)} cases, {quantities} quantities compared, {failures} failing. A quantity agrees when "
            "max|reference - torch| <= rtol x max|torch| (norm-wise relative error, `crosscheck/core/tolerances.py`)."
            + (
                f" Rows marked (extension) are activations beyond the documents ({', '.join(extensions)}): registered "
                "operators, not documented equations."
                if extensions
                else ""
            )
        )
    ]
    blocks += [pivot_table(groups, cases, d) for d in dtypes]
    blocks.append(fam_table)
    if figures_too and cases:
        path, rel = ctx.figure_path("heatmap.png")
        figures.heatmap(
            groups,
            hidden_rows(cases),
            [p for p in PAIRINGS if any(g["pairing"] == p for g in groups)],
            dtypes,
            {d: tolerance_for(d).rtol for d in dtypes},
            path,
        )
        blocks.append(Figure(rel, "Worst relative error per hidden activation x output+loss, per dtype (log scale)"))
        path, rel = ctx.figure_path("error_distribution.png")
        figures.error_distribution(cases, {d: eps(d) for d in dtypes}, {d: FACTORS[d] for d in dtypes}, path)
        blocks.append(Figure(rel, "Distribution of per-quantity relative errors in units of each dtype's eps"))
    if failures:
        blocks += [Paragraph("Failing cases, with where the twins first went apart:"), Bullets(_failure_bullets(cases))]
    if under_tf32:
        blocks += finding_blocks(tf32_finding(under_tf32))
    data = {
        "eps": {d: eps(d) for d in dtypes},
        "rtol": {d: tolerance_for(d).rtol for d in dtypes},
        "groups": groups,
        "families": fam_data,
        "cases": cases,
    }
    if under_tf32:
        data["tf32_finding"] = tf32_finding(under_tf32)
    return Section(
        key,
        title,
        status="fail" if failures else "ok",
        summary={"checks": len(cases), "quantities": quantities, "failures": failures, "errata": 0},
        data=data,
        records=[record(c["id"], c["ok"], c["worst_rel"], eps(c["dtype"])) for c in cases],
        blocks=blocks,
    )


def kinks_section(ctx):
    """Pre-activations exactly at 0 on every hidden layer: the documented g'(0) against torch's."""
    cases = [case_data(c, comp) for c, comp in run_cases(ctx, ctx.kinks, "kinks")]
    section = matrix_like_section("kinks", "Kink cases (Z = 0)", cases, ctx)
    hidden_dZ = {}
    for c in cases:
        L = c["depth"]
        rels = [c["quantities"][f"dZ{l}"] for l in range(1, L)]
        key = (c["hidden"], c["dtype"])
        hidden_dZ.setdefault(key, []).extend(rels)
    rows, data = [], []
    for g in sorted(
        group(cases, ("hidden", "dtype")), key=lambda g: (hidden_rows(cases).index(g["hidden"]), g["dtype"])
    ):
        dz = _worst(hidden_dZ[(g["hidden"], g["dtype"])])
        data.append({**g, "worst_hidden_dZ_rel": dz})
        rows.append([g["hidden"], g["dtype"], g["cases"], g["failures"], fmt(g["worst_rel"]), fmt(dz)])
    section.data["by_activation"] = data
    section.blocks = [
        Paragraph(
            "Example 0 is the zero vector and unit 0 of layer 1 has zero weights and biases, so Z = 0 "
            "reaches every hidden layer: dZ there is where the documented g'(0) (relu'(0) = 0) meets torch's."
        ),
        Table(
            ["hidden", "dtype", "cases", "failures", "worst rel. error", "worst hidden dZ rel. error"],
            rows,
            "Kink cases per hidden activation and dtype",
        ),
    ]
    if section.summary["failures"]:
        section.blocks += [Paragraph("Failing kink cases:"), Bullets(_failure_bullets(cases))]
    return section
