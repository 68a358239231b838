"""The registry: which sections a report holds, in order, and the function that builds each.

A provider is build(ctx) -> model.Section, imported here by name: the list is the registry.
To add a section, write its function and add one line here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import capabilities, catalogue_section, environment, performance, realistic, sections


@dataclass(frozen=True)
class Split:
    """How a section of independent cases is shared out with --jobs: its cases (the Context field
    `cases`) are dealt by `cost` into `parts` parts, each run by `records` in whichever process is free, and
    `assemble` makes the section from all the records, in the cases' order, in the parent process.
    In one process (Provider.make) the same two run on all the cases at once."""

    cases: str
    records: Callable  # (ctx, cases) -> one picklable record per case, in order
    assemble: Callable  # (ctx, records) -> model.Section
    parts: int
    cost: Callable | None = None  # case -> its relative cost, to deal the parts even (None: all alike)


@dataclass(frozen=True)
class Provider:
    key: str  # the section's key in report.json
    title: str
    build: Callable | None  # ctx -> model.Section; None where `split` says how the section is made
    optional: bool = False  # True: an ImportError (an extra not installed) shows "not available"
    # Seconds it takes in the full report on one core (measured, rounded): with --jobs, workers take
    # the heaviest sections first. Only the order matters, so a stale figure costs speed, never a verdict.
    weight: float = 1.0
    # Sections with the same name here load the same slow libraries at first use (scikit-learn, and the
    # dynamo that torch.optim loads: 2.3 s in each process that loads them): with --jobs they are
    # one unit of work, built one after another in one process, so that only one process pays.
    shares: str = ""
    # The two sections that each take a third of the run alone: in parts, so that with --jobs the
    # processes end together (whole, on 2 cores one ended 2-3 s after the other).
    split: Split | None = None

    def __post_init__(self):
        if (self.build is None) == (self.split is None):
            raise ValueError(f"provider {self.key!r}: expected a build function or a split, exactly one")

    def make(self, ctx):
        """The whole section, built in this process."""
        if self.split is None:
            return self.build(ctx)
        return self.split.assemble(ctx, self.split.records(ctx, getattr(ctx, self.split.cases)))


OPTIM = "torch.optim and scikit-learn"
PROVIDERS = [
    Provider(
        "matrix",
        "Cross-check matrix",
        None,
        weight=8,
        split=Split("cases", sections.matrix_records, sections.matrix_from_records, parts=4),
    ),
    Provider("kinks", "Kink cases (Z = 0)", sections.kinks_section, weight=1),
    Provider(
        "realistic",
        "Realistic sizes",
        None,
        weight=10,
        split=Split(
            "realistic", realistic.realistic_records, realistic.realistic_from_records, parts=8, cost=realistic.cost
        ),
    ),
    Provider("catalogue", "Equation catalogue", catalogue_section.catalogue_section, weight=2.5, shares=OPTIM),
    Provider("examples", "Worked examples and errata", capabilities.examples_section, weight=1.5, shares=OPTIM),
    Provider("training", "Training equivalence", capabilities.training_section, weight=8, shares=OPTIM),
    Provider("performance", "Performance", performance.performance_section, weight=6),
    Provider("environment", "Environment", environment.environment_section, weight=0.1),
]
