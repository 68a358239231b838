"""The report sections that the other capabilities provide: the worked examples and training (the
catalogue's is in catalogue_section.py).

Each turns its capability's results into plain data, records for `crosscheck compare`, and blocks.
Results may be dicts or objects; `field(item, name)` reads either.
"""

import math
import pathlib
import shutil

import numpy as np

from ..examples.figures import render_decision_boundaries
from ..examples.runner import run_all as run_examples
from ..examples.runner import show
from ..training.runs import DEFAULTS, train_side_by_side
from . import figures
from .model import Figure, Paragraph, Section, Table, record


def field(item, name, default=None):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _fmt(x):
    if x is None:
        return ""
    if isinstance(x, float):
        return "inf" if math.isinf(x) else f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"
    return str(x)


def _finite(x):
    """A float for JSON, or None for NaN and infinity (JSON has neither)."""
    return float(x) if math.isfinite(x) else None


def examples_section(ctx):
    """The documents' worked numeric examples (issue 4), their verdicts, the errata, decision boundaries.

    A printed erratum is a finding, not a failure; a failure is the reference and torch disagreeing on a step.
    """
    steps = []
    for result in run_examples():
        src = result.source
        where = f"doc {str(src.get('document', ''))[:3]}, line {src.get('line', '?')}"
        for s in result.steps:
            steps.append(
                {
                    "example": result.name,
                    "step": s.step,
                    "verdict": s.verdict,
                    "printed": s.printed,
                    "computed": show(s.reference),
                    "torch": show(s.torch),
                    "correct": s.correct,
                    "twins_agree": bool(s.twins_agree),
                    "error": float(s.twins_rel),
                    "note": s.note,
                    "location": f"{result.name} ({where}), {s.step}",
                }
            )
    printed = [s for s in steps if s["printed"] is not None]
    errata = [
        {"location": s["location"], "printed": s["printed"], "correct": s["correct"], "note": s["note"]}
        for s in printed
        if s["verdict"] == "erratum"
    ]
    failures = sum(not s["twins_agree"] for s in steps)
    counts = {v: sum(s["verdict"] == v for s in printed) for v in ("ok", "rounding drift", "erratum")}
    blocks = [
        Paragraph(
            f"{len(printed)} printed values in {len({s['example'] for s in steps})} worked examples: "
            f"{counts['ok']} ok, {counts['rounding drift']} rounding drift, {counts['erratum']} errata. "
            f"{len(steps) - len(printed)} further values (the unprinted backward pass and one SGD step) "
            f"computed by both implementations: {failures} disagreements."
        ),
    ]
    if errata:  # the errata first, then every printed value
        blocks += [
            Paragraph("Errata (mistakes printed in the documents):"),
            Table(
                ["location", "printed", "correct", "note"],
                [[e["location"], e["printed"], e["correct"] or "", e["note"]] for e in errata],
            ),
        ]
    blocks.append(
        Table(
            ["example", "step", "printed", "reference", "torch", "verdict"],
            [[s["example"], s["step"], s["printed"], s["computed"], s["torch"], s["verdict"]] for s in printed],
        )
    )
    figures = []
    for path in map(pathlib.Path, render_decision_boundaries(ctx.figures_dir)):
        if path.resolve().parent != ctx.figures_dir.resolve():  # the report links and embeds from figures/
            shutil.copy(path, ctx.figures_dir / path.name)
        rel = f"figures/{path.name}"
        figures.append(rel)
        blocks.append(Figure(rel, f"Decision boundary: {path.stem}"))
    return Section(
        "examples",
        "Worked examples and errata",
        status="fail" if failures else "ok",
        summary={"checks": len(steps), "failures": failures, "errata": len(errata)},
        data={"steps": steps, "errata": errata, "figures": figures},
        records=[record(f"{s['example']}/{s['step']}", s["twins_agree"], s["error"]) for s in steps],
        blocks=blocks,
    )


# The training equivalences the report runs: (name, dataset, options); --quick shortens them to
# QUICK_EPOCHS by regime. One SGD epoch is already 455 lockstep steps on breast_cancer (a second took
# 0.45 s more of every quick build); a batch epoch is one step.
QUICK_EPOCHS = {"sgd": 1, "minibatch": 2, "batch": 5}
TRAINING_RUNS = [
    ("digits minibatch", "digits", {}),
    ("digits minibatch float32", "digits", {"dtype": "float32"}),
    (
        "digits batch l2 weight_decay",
        "digits",
        {"regime": "batch", "learning_rate": 0.5, "epochs": 60, "l2": 1e-4, "l2_as": "weight_decay"},
    ),
    (
        "breast_cancer sgd l1",
        "breast_cancer",
        {"regime": "sgd", "learning_rate": 0.01, "epochs": 3, "hidden": (16,), "activation": "tanh", "l1": 1e-4},
    ),
    (
        "diabetes minibatch sum",
        "diabetes",
        {"batch_size": 16, "learning_rate": 0.002, "epochs": 20, "hidden": (32,), "reduction": "sum"},
    ),
]


def training_section(ctx):
    """Training equivalence (issue 5): both implementations trained side by side from the same start.

    Both implementations are trained side by side from the same start over the same batches.
    """
    runs = []
    for name, dataset, options in TRAINING_RUNS:
        if ctx.quick:
            options = {**options, "epochs": QUICK_EPOCHS[options.get("regime", DEFAULTS["regime"])]}
        result = train_side_by_side(dataset, **options, device=ctx.device)
        t = result.trajectory
        acc = result.test_accuracy or {}
        runs.append(
            {
                "name": name,
                "dataset": dataset,
                "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
                "dtype": result.config["dtype"],
                "ok": bool(result.ok),
                "steps": t.steps,
                "history_reference": [float(x) for x in t.ref_J],
                "history_torch": [float(x) for x in t.torch_J],
                "accuracy_reference": acc.get("reference"),
                "accuracy_torch": acc.get("torch"),
                "max_param_diff": float(t.max_param_diff),
                "worst_rel": float(max(t.worst_rel.values(), default=0.0)),
                "rtol": float(t.tol.rtol),
                "eps": float(np.finfo(result.config["dtype"]).eps),
                "first_divergence": str(t.first) if t.first else None,
                "seconds": result.seconds,
            }
        )
    failures = sum(not r["ok"] for r in runs)
    rows = [
        [
            r["name"],
            r["dtype"],
            r["steps"],
            _fmt(r["history_reference"][-1] if r["history_reference"] else None),
            _fmt(r["history_torch"][-1] if r["history_torch"] else None),
            _fmt(r["accuracy_reference"]),
            _fmt(r["accuracy_torch"]),
            f"{r['max_param_diff']:.2e}",
            f"{r['worst_rel']:.2e}",
            f"{r['rtol']:.1e}",
            "ok" if r["ok"] else f"FAIL: {r['first_divergence']}",
        ]
        for r in runs
    ]
    blocks = [
        Paragraph(
            f"{len(runs)} training runs repeated step by step in both implementations (torch.optim.SGD) "
            f"from the same weights over the same batches, every parameter and the loss compared "
            f"after every step: {failures} diverging."
        ),
        Table(
            [
                "run",
                "dtype",
                "steps",
                "final J (reference)",
                "final J (torch)",
                "test accuracy (reference)",
                "test accuracy (torch)",
                "max param diff",
                "worst rel. error",
                "rtol",
                "verdict",
            ],
            rows,
        ),
    ]
    if runs:
        path, rel = ctx.figure_path("training_curves.png")
        figures.training_curves(
            {r["name"]: {"reference": r["history_reference"], "torch": r["history_torch"]} for r in runs}, path
        )
        blocks.append(Figure(rel, "Cost per step, reference (thick) and torch (dashed)"))
    return Section(
        "training",
        "Training equivalence",
        status="fail" if failures else "ok",
        summary={"checks": len(runs), "failures": failures, "errata": 0},
        data={"runs": runs},
        records=[record(r["name"], r["ok"], r["worst_rel"], r["eps"]) for r in runs],
        blocks=blocks,
    )
