"""The report's "realistic" section: MNIST-sized networks at m = 256 and 2048, on the chosen device.

Each record carries m, dtype, device, the worst relative error and how many dZ elements were set
aside as branch-ambiguous (core/branches.py). Under --tf32 on CUDA, float32 runs with TF32 matmuls:
TF32 rounds every matmul input to 10 mantissa bits (2^-11 relative, against float32's 2^-24), so
float32 agreement to float32's tolerance is not expected; the section measures the loss per
quantity against the float32 tolerance and shows it as a finding, not as a failure.
"""

import time

from ..core.tolerances import tolerance_for
from ..core.traces import run_case
from .context import Context
from .model import Paragraph, Section, Table, record
from .sections import eps, family, fmt, sig


def tf32_applies(ctx: Context, dtype):
    """True where TF32 changes the arithmetic: float32 on CUDA with --tf32 (TF32 exists nowhere else)."""
    return ctx.tf32 and ctx.device == "cuda" and dtype == "float32"


def case_record(case, comparison, ctx, seconds):
    """One case as a record `crosscheck compare` can follow, with the tier's own fields."""
    worst = max(comparison.rows, key=lambda r: r.max_rel)
    set_aside = comparison.set_aside
    return {
        **record(case.id, comparison.ok, worst.max_rel, eps(case.dtype)),
        "network": case.network,
        "hidden": case.hidden,
        "m": case.m,
        "dtype": case.dtype,
        "device": ctx.device,
        "tf32": tf32_applies(ctx, case.dtype),
        "worst_quantity": worst.name,
        "quantities": {r.name: sig(r.max_rel) for r in comparison.rows},
        "set_aside": set_aside.count,
        "set_aside_of": set_aside.total,
        "flipped": sum(set_aside.flipped.values()),
        "seconds": round(seconds, 3),
        "first_divergence": None if comparison.ok else comparison.first_divergence(),
    }


def run_tier(ctx):
    """A record per realistic case, the twin on ctx.device."""
    out = []
    for case in ctx.bar(ctx.realistic, "realistic"):
        start = time.perf_counter()
        comparison = run_case(case, ctx.device)
        out.append(case_record(case, comparison, ctx, time.perf_counter() - start))
    return out


def tf32_finding(records):
    """Worst float32 error per quantity family under TF32, against the float32 tolerance."""
    rtol = tolerance_for("float32").rtol
    worst = {}
    for r in records:
        for name, rel in r["quantities"].items():
            fam = family(name)
            worst[fam] = max(worst.get(fam, 0.0), float("inf") if rel is None else rel)
    order = [f for f in ("Z", "A", "J", "dA", "dZ", "dW", "db") if f in worst]
    return {
        "rtol": rtol,
        "cases": len(records),
        "beyond_tolerance": sum(not r["ok"] for r in records),
        "worst_per_quantity": {f: worst[f] for f in order},
    }


def realistic_section(ctx):
    records = run_tier(ctx)
    findings = [r for r in records if r["tf32"]]
    judged = [r for r in records if not r["tf32"]]
    failures = sum(not r["ok"] for r in judged)
    set_aside = sum(r["set_aside"] for r in records)
    elements = sum(r["set_aside_of"] for r in records)
    rows = [
        [
            r["network"],
            r["hidden"],
            r["m"],
            r["dtype"] + (" (TF32)" if r["tf32"] else ""),
            "ok" if r["ok"] else ("finding" if r["tf32"] else "FAIL"),
            fmt(r["error"]),
            r["worst_quantity"],
            f"{r['set_aside']:,} of {r['set_aside_of']:,}",
            r["flipped"],
            f"{r['seconds']:.2f}",
        ]
        for r in records
    ]
    blocks = [
        Paragraph(
            f"{len(records)} realistic cases on {ctx.device}, {failures} failing; {set_aside:,} of {elements:,} "
            "hidden dZ elements set aside as branch-ambiguous (a pre-activation within the forward tolerance of "
            "a kink, computed differently by the two sides: its dZ is accepted on either branch, and what follows "
            "from it is carried down exactly; `crosscheck/core/branches.py`). Exact-zero pre-activations are never "
            "set aside: the kink cases verify g'(0)."
        ),
        Table(
            ["network", "hidden", "m", "dtype", "verdict", "worst rel. error", "at", "set aside", "flipped", "s"],
            rows,
            "Realistic tier: softmax + cross-entropy, mean reduction",
        ),
    ]
    data = {"device": ctx.device, "tf32": ctx.tf32, "set_aside": set_aside, "elements": elements}
    if findings:
        data["tf32_finding"] = finding = tf32_finding(findings)
        blocks += [
            Paragraph(
                "TF32 is on: float32 matmuls round their inputs to 10 mantissa bits (relative 2^-11 instead of "
                "2^-24), so agreement to the float32 tolerance is not expected. A measured finding, not a failure: "
                f"{finding['beyond_tolerance']} of {finding['cases']} float32 cases go beyond rtol "
                f"{finding['rtol']:.1e}."
            ),
            Table(
                ["quantity", "worst rel. error under TF32", "float32 rtol", "x rtol"],
                [
                    [q, fmt(v), fmt(finding["rtol"]), f"{v / finding['rtol']:.3g}"]
                    for q, v in finding["worst_per_quantity"].items()
                ],
                "Loss of float32 agreement under TF32, per quantity",
            ),
        ]
    return Section(
        "realistic",
        "Realistic sizes",
        status="fail" if failures else "ok",
        summary={
            "checks": len(records),
            "failures": failures,
            "errata": 0,
            "quantities": sum(len(r["quantities"]) for r in records),
        },
        data=data,
        records=records,
        blocks=blocks,
    )
