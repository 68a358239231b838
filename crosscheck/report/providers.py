"""The registry: which sections a report holds, in order, and the function that builds each.

A provider is build(ctx) -> model.Section. One that raises ImportError is listed as
"not available" in the report. To add a section, write its function and add one line here.
"""

from dataclasses import dataclass
from typing import Callable

from . import bench, environment, hooks, sections


@dataclass(frozen=True)
class Provider:
    key: str  # the section's key in report.json
    title: str
    build: Callable


PROVIDERS = [
    Provider("matrix", "Cross-check matrix", sections.matrix_section),
    Provider("kinks", "Kink cases (Z = 0)", sections.kinks_section),
    Provider("catalogue", "Equation catalogue", hooks.catalogue_section),
    Provider("examples", "Worked examples and errata", hooks.examples_section),
    Provider("training", "Training equivalence", hooks.training_section),
    Provider("performance", "Performance", bench.performance_section),
    Provider("environment", "Environment", environment.environment_section),
]
