"""Comparison reports: REPORT.md, report.html, report.json and figures from one run.

collect.collect(ctx) runs every registered section provider (providers.PROVIDERS) and returns a
model.Report; write() renders it. Modules, one job each: context (what sections are given),
collect (running), providers (the registry), model (data and the JSON schema), sections (verdict,
matrix, kinks), realistic (the realistic tier), tf32 (TF32 as a finding), catalogue_section (the catalogue
and its errata ledger), capabilities (examples, training sections), performance (timings),
environment, figures, markdown, html, compare (diffing two report.json files), command
(`crosscheck report`).
"""

import pathlib

from . import html, markdown, model
from .collect import collect
from .context import Context, default_context


def write(report, out_dir):
    """REPORT.md, report.html and report.json in out_dir (figures are already there); their paths."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "markdown": markdown.write(report, out_dir / "REPORT.md"),
        "html": html.write(report, out_dir),
        "json": model.write_json(report, out_dir / "report.json"),
    }


def build(out_dir, quick=False, progress=True, jobs=1, **overrides):
    """Run and write a report in `jobs` processes; `overrides` replace Context fields (cases, kinks,
    bench) for small runs."""
    ctx = default_context(out_dir, quick=quick, progress=progress)
    for name, value in overrides.items():
        setattr(ctx, name, value)
    report = collect(ctx, jobs=jobs)
    return report, write(report, ctx.out_dir)


__all__ = ["Context", "build", "collect", "default_context", "write"]
