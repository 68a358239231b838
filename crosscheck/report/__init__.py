"""Comparison reports: REPORT.md, report.html, report.json and figures from one run.

runner.collect(ctx) runs every registered section provider (providers.PROVIDERS) and returns a
model.Report; write() renders it. Modules, one job each: context (what sections are given), runner
(running the sections, in worker processes too), workers (those processes, for --jobs), providers
(the registry), model (data and the JSON schema), verdict (the first section), sections (matrix,
kinks), realistic (the realistic tier), tf32 (TF32 as a finding), catalogue_section (the catalogue
and its errata ledger), capabilities (examples, training sections), performance (timings),
environment, figures, markdown, html, compare (diffing two report.json files), command
(`crosscheck report`).

Nothing is imported here up front: the sections bring torch, matplotlib and scikit-learn (2 s),
which `crosscheck compare` (compare.py and model.py) never needs. Context, default_context and
collect are loaded at first use (__getattr__).
"""

import pathlib


def write(report, out_dir):
    """REPORT.md, report.html and report.json in out_dir (figures are already there); their paths."""
    from . import html, markdown, model

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
    from .context import default_context
    from .runner import collect

    ctx = default_context(out_dir, quick=quick, progress=progress)
    for name, value in overrides.items():
        setattr(ctx, name, value)
    report = collect(ctx, jobs=jobs)
    return report, write(report, ctx.out_dir)


_AT_FIRST_USE = {"Context": "context", "default_context": "context", "collect": "runner"}


def __getattr__(name):
    if name not in _AT_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_AT_FIRST_USE[name]}", __name__), name)


def __dir__():
    return sorted({*globals(), *_AT_FIRST_USE})


__all__ = ["Context", "build", "collect", "default_context", "write"]
