"""Checking a student's hand-derived derivative: run it on the examiner's probes, judge, diagnose.

check_derivation(target, fn) calls fn on every probe of crosscheck.derivation_probes, compares
each output element with three opinions (PyTorch autograd, the reference, finite differences)
within crosscheck.tolerances, and explains a disagreement as a teacher would: the worst elements,
and a diagnosis where one fits (a known mistake, a constant factor, the sign, the transpose, a
wrong shape, non-finite values, or one region such as the kink).
"""

import importlib.util
import pathlib
import warnings
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from .derivation_targets import OPINIONS, TARGETS
from .tolerances import FD_MARGIN, FD_RTOL, derivation_rtol

DTYPES = ("float64", "float32")
REDUCTIONS = ("mean", "sum")
WORST = 5  # rows of the worst-elements table
DIM_NAMES = {"n": "n (the number of rows/units)", "m": "m (the number of examples)", "n_prev": "n[l-1]"}


@dataclass
class DerivationResult:
    """The verdict on one function, with its diagnosis and the table of its worst elements."""

    target: str
    function: str
    reduction: str
    dtype: str
    ok: bool
    equations: dict
    diagnosis: list = field(default_factory=list)
    disagrees_with: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    table: list = field(default_factory=list)
    probes: list = field(default_factory=list)
    elements: int = 0

    @property
    def verdict(self):
        return "agrees" if self.ok else "disagrees"

    @property
    def exit_code(self):
        return 0 if self.ok else 1

    def to_dict(self):
        keys = ("target", "function", "reduction", "dtype", "ok", "verdict", "equations", "diagnosis",
                "disagrees_with", "notes", "table", "probes", "elements")
        return {k: getattr(self, k) for k in keys}

    def format(self):
        """The report a student reads."""
        from tabulate import tabulate

        eqs = ", ".join(f"{o}: {e}" if len(self.equations) > 1 else e for o, e in self.equations.items())
        lines = [
            f"crosscheck derivation {self.target} {self.function} ({self.dtype}, reduction {self.reduction})",
            f"verdict: {self.verdict.upper()} on {len(self.probes)} probes, {self.elements} elements "
            f"(catalogue equation {eqs})",
        ]
        if not self.ok:
            lines.append("disagrees with: " + (", ".join(self.disagrees_with) or "(no opinion could be formed: see diagnosis)"))
            lines.append("diagnosis:")
            lines += [f"  - {d}" for d in self.diagnosis]
        if self.table:
            lines += ["worst elements:", tabulate(
                [[r["probe"], r["output"] + r["index"], r["input"], r["got"], r["PyTorch autograd"], r["reference"],
                  r["finite differences"]] for r in self.table],
                ["probe", "element", "input", "got", "PyTorch", "reference", "finite diff."], disable_numparse=True)]
        lines += [f"note: {n}" for n in self.notes]
        lines.append("probes: " + "; ".join(f"{p['label']} [{p['status']}]" for p in self.probes))
        return "\n".join(lines)


def load_function(spec):
    """FILE.py:FUNCTION -> (callable, display name); ValueError naming what is missing."""
    path, sep, name = str(spec).rpartition(":")
    if not sep or not path or not name:
        raise ValueError(f"FILE.py:FUNCTION: expected a file and a function name joined by ':', got {spec!r}")
    file = pathlib.Path(path)
    if not file.is_file():
        raise ValueError(f"FILE.py:FUNCTION: file {path!r} not found")
    module_spec = importlib.util.spec_from_file_location(f"_student_{file.stem}", file)
    if module_spec is None or module_spec.loader is None:
        raise ValueError(f"FILE.py:FUNCTION: cannot load {path!r} as a Python file")
    module = importlib.util.module_from_spec(module_spec)
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:  # the student's file itself is broken: bad input, not a disagreement
        raise ValueError(f"FILE.py:FUNCTION: importing {path!r} raised {type(exc).__name__}: {exc}") from None
    if not hasattr(module, name):
        found = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_"))
        raise ValueError(f"FUNCTION: {path!r} has no function {name!r} (callables found: {', '.join(found) or 'none'})")
    fn = getattr(module, name)
    if not callable(fn):
        raise ValueError(f"FUNCTION: {name!r} in {path!r} is a {type(fn).__name__}, not callable")
    return fn, f"{file.name}:{name}"


def _call(fn, args):
    """The student's outputs on copies of args; overflow and invalid-value warnings silenced."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*(a.copy() for a in args))


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


def _shape_hint(got, want, target, o):
    hint = f"wrong shape: got {got}, expected {want}"
    if got == want[::-1]:
        return hint + " (the transpose's shape: check the order of the product or a missing .T)"
    if len(want) == 2 and got == (want[0],):
        return hint + " (the column dimension was lost: keep 2-D arrays, e.g. keepdims=True in a sum)"
    if len(want) == 2 and len(got) == 2 and got[0] == want[0] and want[1] == 1:
        return hint + " (not summed over the examples: sum over axis=1)"
    if len(want) == 2 and len(got) == 2 and got[1] == want[1] and want[0] == 1:
        return hint + " (summed over the wrong axis)"
    if got == ():
        return hint + " (a scalar came back: return an array the shape of the input, e.g. np.ones_like(Z))"
    return hint


def _factor_name(factors, dims):
    """Name the per-probe factors: a constant (2, 1/2, -1, ...) or a power of n or m, else None."""
    cs = np.array(factors)
    if np.allclose(cs, cs[0], rtol=1e-6, atol=0):
        frac = Fraction(float(cs[0])).limit_denominator(64)
        exact = abs(float(frac) - cs[0]) <= 1e-6 * abs(cs[0])
        return str(frac) if exact else f"{cs[0]:.6g}"
    for key in ("n", "m", "n_prev"):
        size = np.array([d.get(key, np.nan) for d in dims], dtype=float)
        for power, form in ((1, "{}"), (-1, "1/{}")):
            for k in (1, 2, 0.5, -1, -2, -0.5):
                if np.allclose(cs, k * size**power, rtol=1e-6, atol=0):
                    prefix = "" if k == 1 else "-" if k == -1 else f"{Fraction(k).limit_denominator(4)} * "
                    return prefix + form.format(DIM_NAMES[key])
    return None


def _factor_sentence(name):
    if name == "-1":
        return "the opposite sign: every value is the negative of the right one (check the order of a subtraction)"
    if name.startswith("-"):
        return f"the opposite sign and off by a constant factor: your values are {name} times the right ones"
    return f"off by a constant factor: your values are {name} times the right ones"


def _diagnose_output(records, target, o):
    """Sentences for one output, from its records over all probes (most specific first)."""
    out = []
    problems = [r for r in records if r.problem]
    if problems:
        out.append(f"{problems[0].problem} (probe '{problems[0].probe.label}'"
                   + (f", and {len(problems) - 1} more probes" if len(problems) > 1 else "") + ")")
    judged = [r for r in records if r.got is not None]
    wrong = [r for r in judged if any(m.any() for m in r.bad.values())]
    if not wrong:
        return out
    ref = lambda r: r.probe.opinions["reference"][r.o]  # noqa: E731
    nonfinite = [(r, i) for r in wrong for i in zip(*np.nonzero(~np.isfinite(r.got) & np.isfinite(ref(r))))]
    if nonfinite:
        r, i = nonfinite[0]
        out.append(f"non-finite values where the true value is finite ({len(nonfinite)} elements, e.g. "
                   f"{r.probe.labels[o](i)} gives {r.got[i]}): this form overflows or divides by zero there")
    rtol = derivation_rtol(wrong[0].probe.args[0].dtype.name)
    if all(not np.any(r.got) for r in judged):
        out.append("zero everywhere: the derivative is not zero (did the function return an unfilled array?)")
        return out
    # A teacher's catalogue of typical mistakes, checked before the generic patterns.
    names = {k for r in judged for k in r.probe.mistakes}
    for name in sorted(names):
        hits = []
        for r in judged:
            mk = r.probe.mistakes.get(name, (None,) * 3)[o]
            if mk is not None and mk.shape == r.got.shape:
                with np.errstate(all="ignore"):
                    hits.append(bool(np.all(np.abs(r.got - mk) <= rtol * np.maximum(r.probe.scale[o], np.abs(mk)))))
        if hits and all(hits):
            out.append(f"matches a typical mistake: {name}")
            return out
    # A constant factor (or the sign) on every judged probe.
    factors, dims = [], []
    for r in judged:
        e, s = ref(r), r.probe.scale[o]
        live = np.abs(e) > rtol * s
        if not live.any() or not np.all(np.isfinite(r.got)):
            factors = None
            break
        c = float(np.sum(r.got[live] * e[live]) / np.sum(e[live] * e[live]))
        if c == 0 or not np.all(np.abs(r.got - c * e) <= rtol * s * max(1.0, abs(c))):
            factors = None
            break
        factors.append(c), dims.append(r.probe.dims)
    if factors:
        name = _factor_name(factors, dims)
        out.append(_factor_sentence(name) if name else
                   "off by a factor that changes with the shape: " + ", ".join(f"{c:.4g}" for c in factors))
        return out
    # The transpose, on probes where the shapes allow it.
    square = [r for r in judged if r.got.shape == ref(r).shape and r.got.shape[0] == r.got.shape[-1] and r.got.ndim == 2]
    if square and all(np.all(np.abs(r.got - ref(r).T) <= rtol * np.maximum(r.probe.scale[o], r.probe.scale[o].T)) for r in square):
        if any(not np.allclose(ref(r), ref(r).T) for r in square):
            out.append("the transpose of the right answer (on square shapes): check the order of the product or a missing .T")
            return out
    # One region: the kink, one side of it, saturation, one label value.
    regions = [r for r in judged if r.probe.regions[o] is not None]
    if regions and len(regions) == len(judged):
        bad_in = {str(x) for r in wrong for x in r.probe.regions[o][r.bad["reference"] | r.bad["PyTorch autograd"]]}
        all_in = {str(x) for r in judged for x in np.ravel(r.probe.regions[o])}
        for side in ("z < 0", "z > 0"):  # a wrong branch that also takes the kink
            if bad_in == {side, "z = 0 (the kink)"}:
                bad_in = {side.replace("<", "<=").replace(">", ">=") + " (the kink included)"}
        if len(bad_in) == 1 and len(all_in) > 1:
            (region,) = bad_in
            sentence = f"wrong only where {region}; right everywhere else"
            if region.startswith("z = 0"):
                r = next(r for r in wrong if (r.probe.regions[o] == region).any())
                i = tuple(np.argwhere(r.probe.regions[o] == region)[0])
                sentence += (f": at z = 0 the documents and PyTorch take g'(0) = {ref(r)[i]:g}, you give {r.got[i]:g} "
                             "(decide which side of the kink z = 0 belongs to)")
            out.append(sentence)
            return out
    if not nonfinite:
        out.append("no simple pattern (not a constant factor, the sign, the transpose or one region): compare the worst elements")
    return out


def _cell(value):
    return "skipped" if value is None else f"{value:.10g}"


def check_derivation(target, fn, reduction="mean", dtype="float64", name=None):
    """Judge `fn` as the derivative called `target` (see TARGETS); returns a DerivationResult."""
    from .derivation_probes import probes_for  # imports torch: only when a check runs

    if target not in TARGETS:
        raise ValueError(f"TARGET: unknown target {target!r}, expected one of {', '.join(TARGETS)}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"--reduction: expected one of {', '.join(REDUCTIONS)}, got {reduction!r}")
    if dtype not in DTYPES:
        raise ValueError(f"--dtype: expected one of {', '.join(DTYPES)}, got {dtype!r}")
    if not callable(fn):
        raise ValueError(f"fn: expected a callable, got {type(fn).__name__}")
    spec = TARGETS[target]
    rtol = derivation_rtol(dtype)
    n_out = len(spec.outputs)
    records, probe_rows, elements = [], [], 0
    for probe in probes_for(target, dtype, reduction):
        recs = [_Record(probe, o) for o in range(n_out)]
        problem = ""
        try:
            result = _call(fn, probe.args)
        except Exception as exc:  # the student's code failing on an input is a disagreement, said in words
            message = str(exc) if len(str(exc)) <= 160 else str(exc)[:157] + "..."
            problem = f"raised {type(exc).__name__}: {message}"
        else:
            outs = [result] if n_out == 1 else result
            if n_out > 1 and (not isinstance(result, (tuple, list)) or len(result) != n_out):
                count = f" of {len(result)}" if isinstance(result, (tuple, list)) else ""
                problem = f"returned a {type(result).__name__}{count}, expected a tuple ({', '.join(spec.outputs)})"
            else:
                for r, got in zip(recs, outs):
                    want = probe.opinions["reference"][r.o].shape
                    try:
                        got = np.asarray(got, dtype=np.float64)
                    except (TypeError, ValueError) as exc:
                        r.problem = f"returned something that is not a numeric array ({type(got).__name__}: {exc})"
                        continue
                    if got.shape != want:
                        r.problem = _shape_hint(got.shape, want, target, r.o)
                        continue
                    r.got = got
                    _judge(r, rtol)
        for r in recs:
            elements += probe.opinions["reference"][r.o].size
        bad = problem or any(r.problem or any(m.any() for m in r.bad.values()) for r in recs)
        probe_rows.append({"label": probe.label, "status": "wrong" if bad else "ok", "problem": problem})
        records += recs

    ok = all(p["status"] == "ok" for p in probe_rows)
    res = DerivationResult(target, name or getattr(fn, "__name__", repr(fn)), reduction, dtype, ok,
                           dict(zip(spec.outputs, spec.equation_ids(reduction))), probes=probe_rows, elements=elements)
    # Where finite differences abstained, say so (they cannot judge a kink or an ill-conditioned point).
    skipped = {}
    for r in records:
        for why in np.ravel(r.probe.fd_skip[r.o]):
            if why:
                skipped[why] = skipped.get(why, 0) + 1
    if skipped.get("kink"):
        res.notes.append(f"finite differences skipped at {skipped['kink']} elements exactly at the kink z = 0, "
                         "where the derivative is a convention, not a limit")
    if skipped.get("ill-conditioned"):
        res.notes.append(f"finite differences abstained at {skipped['ill-conditioned']} elements where their own "
                         "error estimate is too large to judge (probabilities or saturated values at the dtype's edge)")
    if ok:
        return res
    failed = [p for p in probe_rows if p["problem"]]
    if failed:
        others = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
        res.diagnosis.append(f"{failed[0]['problem']} on probe '{failed[0]['label']}'{others}")
    for o, out_name in enumerate(spec.outputs):
        sentences = _diagnose_output([r for r in records if r.o == o], target, o)
        prefix = f"{out_name}: " if n_out > 1 else ""
        res.diagnosis += [prefix + s for s in sentences]
        if sentences:
            res.diagnosis.append(f"{prefix}it should match catalogue equation {res.equations[out_name]}")
    if not any("catalogue equation" in d for d in res.diagnosis):
        res.diagnosis.append("it should match catalogue equation " + ", ".join(f"{o}: {e}" if n_out > 1 else e for o, e in res.equations.items()))
    res.disagrees_with = [n for n in OPINIONS if any(r.bad.get(n, np.zeros(0, bool)).any() for r in records)]
    judged_bad = [r for r in records if r.got is not None and r.bad["reference"].any()]
    if judged_bad and "finite differences" not in res.disagrees_with:
        res.notes.append("finite differences could not judge the wrong elements (skipped there), "
                         "so only PyTorch and the reference speak against them")
    ranked = sorted(((float(r.excess[i]), r, i) for r in judged_bad for i in zip(*np.nonzero(r.bad["reference"]))),
                    key=lambda t: -t[0])
    for _, r, i in ranked[:WORST]:
        row = {"probe": r.probe.label, "output": spec.outputs[r.o] if n_out > 1 else "", "index": str(list(map(int, i))),
               "input": r.probe.labels[r.o](i), "got": _cell(float(r.got[i]))}
        for n in OPINIONS:
            v = float(r.probe.opinions[n][r.o][i])
            row[n] = "skipped" if np.isnan(v) else _cell(v)
        if row["finite differences"] == "skipped":
            row["finite differences"] = f"skipped ({r.probe.fd_skip[r.o][i]})"
        res.table.append(row)
    return res
