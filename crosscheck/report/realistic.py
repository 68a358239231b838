"""The report's "realistic" section: MNIST-sized networks at m = 256 and 2048, on the chosen device.

Each record carries m, dtype, device, the worst relative error and how many dZ elements were set
aside as branch-ambiguous (core/branches.py). Under --tf32 on CUDA its float32 cases are a measured
finding, not failures (tf32.py says why).
"""

import time

import numpy as np

from ..core.traces import run_case
from .model import Paragraph, Section, Table, record
from .sections import eps, fmt, sig
from .tf32 import finding_blocks, tf32_applies, tf32_finding


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


def cost(case):
    """A case's relative cost, to share the tier out evenly: its matrix products' work in bytes
    (m x the weights' count x the dtype's size; float64 cases take about twice float32's)."""
    return case.m * sum(n * n_prev for n_prev, n in zip(case.sizes, case.sizes[1:])) * np.dtype(case.dtype).itemsize


def realistic_records(ctx, cases):
    """A record per realistic case, the twin on ctx.device (a part of the tier, with --jobs)."""
    out = []
    for case in ctx.bar(cases, "realistic"):
        start = time.perf_counter()
        comparison = run_case(case, ctx.device)
        out.append(case_record(case, comparison, ctx, time.perf_counter() - start))
    return out


def realistic_from_records(ctx, records):
    """The section from the tier's records: the table, the set-aside counts, a TF32 finding if any."""
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
    seconds = round(sum(r["seconds"] for r in records), 2)
    data = {"device": ctx.device, "tf32": ctx.tf32, "set_aside": set_aside, "elements": elements, "seconds": seconds}
    if findings:
        data["tf32_finding"] = finding = tf32_finding(findings)
        blocks += finding_blocks(finding)
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
