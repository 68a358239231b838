"""Checking a student's hand-derived derivative: run it on the examiner's probes, judge, diagnose.

check_derivation(target, fn) calls fn on every probe (derivation.probes), compares each output
element with three opinions (PyTorch autograd, the reference, finite differences) within
core.tolerances, and explains a disagreement as a teacher would (derivation.diagnose).
"""

from dataclasses import dataclass, field

import numpy as np

from ..core.echo import printable
from ..core.ops import REDUCTIONS
from ..core.tolerances import DTYPES, FD_MARGIN, FD_RTOL, derivation_rtol
from .child import call, outputs_of, raised
from .diagnose import diagnose_output, shape_hint
from .probes import probes_for
from .result import DerivationResult
from .targets import OPINIONS, TARGETS

WORST = 5  # rows of the worst-elements table


@dataclass
class _Record:
    """One output of one probe: what came back and how it compares."""

    probe: object
    o: int
    got: np.ndarray = None
    problem: str = ""  # exception, unusable return or wrong shape, already said in words
    bad: dict = field(default_factory=dict)  # opinion -> mask of disagreeing elements
    excess: np.ndarray = None  # error / allowed error against the reference, for ranking


def _judge(record, rtol):
    p, o = record.probe, record.o
    got, s = record.got, p.scale[o]
    with np.errstate(all="ignore"):
        for name in OPINIONS:
            e = p.opinions[name][o]
            allowed = rtol * s
            if name == "finite differences":
                allowed = allowed + FD_RTOL * s + FD_MARGIN * p.fd_error[o]
                record.bad[name] = ~np.isnan(e) & ~(np.abs(got - e) <= allowed)
            else:
                record.bad[name] = ~(np.abs(got - e) <= allowed)
        e = p.opinions["reference"][o]
        record.excess = np.where(np.isfinite(got), np.abs(got - e) / (rtol * s), np.inf)


def _cell(value):
    return "skipped" if value is None else f"{value:.10g}"


def validate(target, reduction, dtype):
    """ValueError naming the argument where target, reduction or dtype is unknown."""
    if not isinstance(target, str) or target not in TARGETS:
        raise ValueError(f"TARGET: unknown target {target!r}, expected one of {', '.join(TARGETS)}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"--reduction: expected one of {', '.join(REDUCTIONS)}, got {reduction!r}")
    if dtype not in DTYPES:
        raise ValueError(f"--dtype: expected one of {', '.join(DTYPES)}, got {dtype!r}")


def expected_shapes(probe):
    """The shape of every output the probe expects, for the student's returns."""
    return [o.shape for o in probe.opinions["reference"]]


def check_derivation(target, fn, reduction="mean", dtype="float64", name=None):
    """Judge `fn` as the derivative called `target` (see TARGETS), called in this process.

    For a function you wrote and trust. A student's file is judged contained, in a child process
    with limits: derivation.contained.judge_file.
    """
    validate(target, reduction, dtype)
    if not callable(fn):
        raise ValueError(f"fn: expected a callable, got {type(fn).__name__}")
    outputs_names = TARGETS[target].outputs
    probes, outputs = probes_for(target, dtype, reduction), []
    for probe in probes:
        try:
            outputs.append(outputs_of(call(fn, probe.args), outputs_names, expected_shapes(probe)))
        except (Exception, SystemExit) as exc:  # failing on an input (or leaving) is a disagreement, in words
            outputs.append((printable(raised(exc)), []))
    return judge(target, probes, outputs, reduction, dtype, name or getattr(fn, "__name__", repr(fn)))


def judge(target, probes, outputs, reduction, dtype, name):
    """The verdict from the student's outputs on each probe: outputs[p] is (problem, outs) as made
    by child.outputs_of, whether they were computed here or sent back by a contained child."""
    spec = TARGETS[target]
    rtol = derivation_rtol(dtype)
    n_out = len(spec.outputs)
    records, probe_rows, elements = [], [], 0
    for probe, (problem, outs) in zip(probes, outputs):
        recs = [_Record(probe, o) for o in range(n_out)]
        for r, got in zip(recs, outs):
            if isinstance(got, str):
                r.problem = got
            elif isinstance(got, tuple):
                r.problem = shape_hint(got, probe.opinions["reference"][r.o].shape, target, r.o)
            else:
                r.got = got
                _judge(r, rtol)
        for r in recs:
            elements += probe.opinions["reference"][r.o].size
        bad = problem or any(r.problem or any(m.any() for m in r.bad.values()) for r in recs)
        probe_rows.append({"label": probe.label, "status": "wrong" if bad else "ok", "problem": problem})
        records += recs

    ok = all(p["status"] == "ok" for p in probe_rows)
    res = DerivationResult(
        target,
        name,
        reduction,
        dtype,
        ok,
        dict(zip(spec.outputs, spec.equation_ids(reduction))),
        probes=probe_rows,
        elements=elements,
    )
    # Where finite differences abstained, say so (they cannot judge a kink or an ill-conditioned point).
    skipped = {}
    for r in records:
        for why in np.ravel(r.probe.fd_skip[r.o]):
            if why:
                skipped[why] = skipped.get(why, 0) + 1
    if skipped.get("kink"):
        res.notes.append(
            f"finite differences skipped at {skipped['kink']} elements exactly at the kink z = 0, "
            "where the derivative is a convention, not a limit"
        )
    if skipped.get("ill-conditioned"):
        res.notes.append(
            f"finite differences abstained at {skipped['ill-conditioned']} elements where their own "
            "error estimate is too large to judge (probabilities or saturated values at the dtype's edge)"
        )
    if ok:
        return res
    failed = [p for p in probe_rows if p["problem"]]
    if failed:
        others = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
        res.diagnosis.append(f"{failed[0]['problem']} on probe '{failed[0]['label']}'{others}")
    for o, out_name in enumerate(spec.outputs):
        sentences = diagnose_output([r for r in records if r.o == o], target, o)
        prefix = f"{out_name}: " if n_out > 1 else ""
        res.diagnosis += [prefix + s for s in sentences]
        if sentences and res.equations[out_name]:
            res.diagnosis.append(f"{prefix}it should match catalogue equation {res.equations[out_name]}")
    if spec.extension:
        res.diagnosis.append(
            f"{target} is an extension beyond the documents: no catalogue equation, judged by the three opinions"
        )
    elif not any("catalogue equation" in d for d in res.diagnosis):
        res.diagnosis.append(
            "it should match catalogue equation "
            + ", ".join(f"{o}: {e}" if n_out > 1 else e for o, e in res.equations.items())
        )
    res.disagrees_with = [n for n in OPINIONS if any(r.bad.get(n, np.zeros(0, bool)).any() for r in records)]
    judged_bad = [r for r in records if r.got is not None and r.bad["reference"].any()]
    if judged_bad and "finite differences" not in res.disagrees_with:
        res.notes.append(
            "finite differences could not judge the wrong elements (skipped there), "
            "so only PyTorch and the reference speak against them"
        )
    ranked = sorted(
        ((float(r.excess[i]), r, i) for r in judged_bad for i in zip(*np.nonzero(r.bad["reference"]))),
        key=lambda t: -t[0],
    )
    for _, r, i in ranked[:WORST]:
        row = {
            "probe": r.probe.label,
            "output": spec.outputs[r.o] if n_out > 1 else "",
            "index": str(list(map(int, i))),
            "input": r.probe.labels[r.o](i),
            "got": _cell(float(r.got[i])),
        }
        for n in OPINIONS:
            v = float(r.probe.opinions[n][r.o][i])
            row[n] = "skipped" if np.isnan(v) else _cell(v)
        if row["finite differences"] == "skipped":
            row["finite differences"] = f"skipped ({r.probe.fd_skip[r.o][i]})"
        res.table.append(row)
    return res
