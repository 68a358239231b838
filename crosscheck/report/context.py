"""What a report's sections are given: where to write figures, how much to run, and a progress bar."""

import pathlib
from dataclasses import dataclass, field

from ..bench import measure as bench
from ..core import progress
from ..core.matrix import KINKS, MATRIX, kink_matrix, quick_matrix
from ..core.realistic import realistic_sample, realistic_tier
from ..core.traces import run_case


@dataclass
class Context:
    """What providers are given: where to write figures and how much to run."""

    out_dir: pathlib.Path
    quick: bool = False
    seed: int = 0
    cases: list = field(default_factory=list)
    kinks: list = field(default_factory=list)
    bench: dict | None = None  # keyword arguments for bench.measure; None skips the timings
    progress: bool = True
    realistic: list = field(default_factory=list)  # core.realistic cases
    device: str = "cpu"  # where the torch twin runs (torch_impl.runtime.DEVICES)
    tf32: bool = False  # float32 matmuls in TF32 on CUDA (an explicit configuration, see report.realistic)

    @property
    def figures_dir(self):
        path = self.out_dir / "figures"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def figure_path(self, name):
        """(absolute path to write, path relative to the report folder for links)."""
        return self.figures_dir / name, f"figures/{name}"

    def bar(self, iterable, desc, total=None):
        units = {"matrix": "cases", "kinks": "cases", "realistic": "cases", "bench": "sizes"}
        return progress.bar(iterable, desc=desc, total=total, enabled=self.progress, unit=units.get(desc, "it"))


def quick_kinks(seed=0):
    """A few kink cases for smoke runs: every hidden activation once per dtype, softmax + cce, m = 7."""
    return [c for c in kink_matrix(seed) if c.pairing == "softmax_cce" and c.m == 7]


def default_context(out_dir, quick=False, progress=True, device="cpu", tf32=False):
    """The full run (MATRIX + KINKS + the realistic tier, every benchmark size) or the quick one for CI."""
    return Context(
        realistic=realistic_sample() if quick else realistic_tier(),
        device=device,
        tf32=tf32,
        out_dir=pathlib.Path(out_dir),
        quick=quick,
        cases=quick_matrix() if quick else list(MATRIX),
        kinks=quick_kinks() if quick else list(KINKS),
        bench=bench.QUICK if quick else bench.REPORT,
        progress=progress,
    )


def run_cases(ctx, cases, desc):
    """(case, Comparison) for each case, in order, the twin on ctx.device."""
    return [(case, run_case(case, ctx.device)) for case in ctx.bar(cases, desc)]
