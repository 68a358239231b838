"""Adapters for the sections other parts of the project provide: catalogue, worked examples, training.

Each adapter imports its provider lazily. While the provider is missing (ImportError), or lacks
the function the adapter calls, the section is reported as "not available" rather than failing
the whole report. Each adapter is small on purpose: it turns the provider's results into plain
data, records for `crosscheck compare`, and blocks; wiring a provider means adjusting the one
call and the field names marked below.

Results may be dicts or objects; `field(item, name)` reads either.
"""

import importlib
import math
import pathlib
import shutil

from .model import Figure, Paragraph, Section, Table, record


def provider(module, attribute):
    """module.attribute, or ImportError (-> "not available") naming what is missing."""
    mod = importlib.import_module(module)
    fn = getattr(mod, attribute, None)
    if fn is None:
        raise ImportError(f"{module} has no {attribute}() yet")
    return fn


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


def catalogue_section(ctx):
    """The equation catalogue (issue 3): every documented equation with its status and largest error.

    Expects crosscheck.catalogue.run_all() -> iterable of entries with
      id (str), document (str), equation (str), status ("pass" | "fail" | "erratum" | ...),
      largest_error (float: worst relative error over the entry's checks), eps (float or None).
    """
    run_all = provider("crosscheck.catalogue", "run_all")
    entries = [
        {"id": str(field(e, "id")), "document": field(e, "document", ""), "equation": field(e, "equation", ""),
         "status": str(field(e, "status", "")), "largest_error": field(e, "largest_error"), "eps": field(e, "eps")}
        for e in run_all()
    ]
    failures = sum(e["status"] == "fail" for e in entries)
    errata = sum(e["status"] == "erratum" for e in entries)
    rows = [[e["id"], e["document"], f"`{e['equation']}`" if e["equation"] else "", e["status"], _fmt(e["largest_error"])]
            for e in entries]
    return Section(
        "catalogue", "Equation catalogue", status="fail" if failures else "ok",
        summary={"checks": len(entries), "failures": failures, "errata": errata},
        data={"entries": entries},
        records=[record(e["id"], e["status"] != "fail", e["largest_error"], e["eps"]) for e in entries],
        blocks=[Paragraph(f"{len(entries)} documented equations checked: {failures} failing, {errata} errata."),
                Table(["id", "document", "equation", "status", "largest error"], rows)],
    )


def examples_section(ctx):
    """The documents' worked numeric examples (issue 4), their verdicts, the errata, decision boundaries.

    Expects crosscheck.examples.run_all() -> iterable of steps with
      example (str), step (str), verdict ("ok" | "erratum" | "fail"), printed, computed, error (float or None),
    optionally crosscheck.examples.errata(results) or steps carrying location, printed and correct
    when verdict == "erratum"; and crosscheck.examples.render_decision_boundaries(out_dir) -> [PNG paths].
    """
    run_all = provider("crosscheck.examples", "run_all")
    steps = [
        {"example": str(field(s, "example", "")), "step": str(field(s, "step", "")), "verdict": str(field(s, "verdict", "")),
         "printed": field(s, "printed"), "computed": field(s, "computed"), "error": field(s, "error"),
         "location": field(s, "location", ""), "correct": field(s, "correct")}
        for s in run_all()
    ]
    errata = [{"location": s["location"] or f"{s['example']}, {s['step']}", "printed": s["printed"],
               "correct": s["correct"] if s["correct"] is not None else s["computed"]}
              for s in steps if s["verdict"] == "erratum"]
    failures = sum(s["verdict"] == "fail" for s in steps)
    blocks = [
        Paragraph(f"{len(steps)} steps of the documents' worked examples recomputed: {failures} failing, "
                  f"{len(errata)} errata found."),
        Table(["example", "step", "printed", "computed", "verdict"],
              [[s["example"], s["step"], _fmt(s["printed"]), _fmt(s["computed"]), s["verdict"]] for s in steps]),
    ]
    if errata:
        blocks += [Paragraph("Errata (mistakes printed in the documents):"),
                   Table(["location", "printed", "correct"],
                         [[e["location"], _fmt(e["printed"]), _fmt(e["correct"])] for e in errata])]
    figures = []
    try:
        render = provider("crosscheck.examples", "render_decision_boundaries")
    except ImportError:
        render = None
    if render is not None:
        for path in map(pathlib.Path, render(ctx.figures_dir)):
            if path.resolve().parent != ctx.figures_dir.resolve():  # the report links and embeds from figures/
                shutil.copy(path, ctx.figures_dir / path.name)
            rel = f"figures/{path.name}"
            figures.append(rel)
            blocks.append(Figure(rel, f"Decision boundary: {rel.rsplit('/', 1)[-1].removesuffix('.png')}"))
    return Section(
        "examples", "Worked examples and errata", status="fail" if failures else "ok",
        summary={"checks": len(steps), "failures": failures, "errata": len(errata)},
        data={"steps": steps, "errata": errata, "figures": figures},
        records=[record(f"{s['example']}/{s['step']}", s["verdict"] != "fail", s["error"]) for s in steps],
        blocks=blocks,
    )


def training_section(ctx):
    """Training equivalence (issue 5): both implementations trained side by side from the same start.

    Expects crosscheck.training.train_side_by_side() -> iterable of runs with
      name (str), dtype (str), ok (bool), history_reference / history_torch (lists of J per step),
      accuracy_reference / accuracy_torch (floats), max_param_diff (float: worst relative parameter
      difference at the end), eps (float or None).
    """
    from . import figures

    train = provider("crosscheck.training", "train_side_by_side")
    runs = [
        {"name": str(field(r, "name")), "dtype": field(r, "dtype", ""), "ok": bool(field(r, "ok", True)),
         "history_reference": [float(x) for x in field(r, "history_reference", [])],
         "history_torch": [float(x) for x in field(r, "history_torch", [])],
         "accuracy_reference": field(r, "accuracy_reference"), "accuracy_torch": field(r, "accuracy_torch"),
         "max_param_diff": field(r, "max_param_diff"), "eps": field(r, "eps")}
        for r in train()
    ]
    failures = sum(not r["ok"] for r in runs)
    rows = [[r["name"], r["dtype"], len(r["history_reference"]), _fmt(r["history_reference"][-1] if r["history_reference"] else None),
             _fmt(r["history_torch"][-1] if r["history_torch"] else None), _fmt(r["accuracy_reference"]),
             _fmt(r["accuracy_torch"]), _fmt(r["max_param_diff"]), "ok" if r["ok"] else "FAIL"] for r in runs]
    blocks = [Paragraph(f"{len(runs)} training runs repeated in both implementations from the same weights: "
                        f"{failures} diverging."),
              Table(["run", "dtype", "steps", "final J (reference)", "final J (torch)", "accuracy (reference)",
                     "accuracy (torch)", "max param diff", "verdict"], rows)]
    if runs:
        path, rel = ctx.figure_path("training_curves.png")
        figures.training_curves({r["name"]: {"reference": r["history_reference"], "torch": r["history_torch"]}
                                 for r in runs}, path)
        blocks.append(Figure(rel, "Cost per step, reference (thick) and torch (dashed)"))
    return Section(
        "training", "Training equivalence", status="fail" if failures else "ok",
        summary={"checks": len(runs), "failures": failures, "errata": 0},
        data={"runs": runs},
        records=[record(r["name"], r["ok"], r["max_param_diff"], r["eps"]) for r in runs],
        blocks=blocks,
    )

