"""TF32 as a measured finding: float32 agreement under TF32 matmuls, against the float32 tolerance.

With --tf32 on CUDA, float32 matmuls round their inputs to TF32's 10 mantissa bits (relative 2^-11,
against float32's 2^-24), so agreement to the float32 tolerance (2^7 eps) is not expected and its
absence is no disagreement between the implementations: both are right for the arithmetic they
were given. A section then counts those cases as a finding, quantified per quantity, not as failures.
"""

from ..core.tolerances import tolerance_for
from .model import Paragraph, Table

FAMILIES = ("Z", "A", "J", "dA", "dZ", "dW", "db")


def tf32_applies(ctx, dtype):
    """True where TF32 changes the arithmetic: float32 on CUDA with --tf32 (TF32 exists nowhere else)."""
    return bool(ctx.tf32) and ctx.device == "cuda" and dtype == "float32"


def tf32_finding(cases):
    """Worst error per quantity family over the TF32 cases (dicts with "quantities" and "ok")."""
    rtol = tolerance_for("float32").rtol
    worst = {}
    for c in cases:
        for name, rel in c["quantities"].items():
            fam = name.rstrip("0123456789")
            worst[fam] = max(worst.get(fam, 0.0), float("inf") if rel is None else rel)
    return {
        "rtol": rtol,
        "cases": len(cases),
        "beyond_tolerance": sum(not c["ok"] for c in cases),
        "worst_per_quantity": {f: worst[f] for f in FAMILIES if f in worst},
    }


def finding_blocks(finding):
    """The paragraph and table a section shows for its TF32 finding."""
    rtol = finding["rtol"]
    return [
        Paragraph(
            "TF32 is on: float32 matmuls round their inputs to 10 mantissa bits (relative 2^-11 instead of 2^-24), "
            "so agreement to the float32 tolerance is not expected. A measured finding, not a failure: "
            f"{finding['beyond_tolerance']} of {finding['cases']} float32 cases go beyond rtol {rtol:.1e}."
        ),
        Table(
            ["quantity", "worst rel. error under TF32", "float32 rtol", "x rtol"],
            [[q, f"{v:.2e}", f"{rtol:.1e}", f"{v / rtol:.3g}"] for q, v in finding["worst_per_quantity"].items()],
            "Loss of float32 agreement under TF32, per quantity",
        ),
    ]
