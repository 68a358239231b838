"""The registry: which sections a report holds, in order, and the function that builds each.

A provider is build(ctx) -> model.Section, imported here by name: the list is the registry.
To add a section, write its function and add one line here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from . import capabilities, catalogue_section, environment, performance, realistic, sections


@dataclass(frozen=True)
class Provider:
    key: str  # the section's key in report.json
    title: str
    build: Callable
    optional: bool = False  # True: an ImportError (an extra not installed) shows "not available"
    # Seconds it takes in the full report on one core (measured, rounded): with --jobs, workers take
    # the heaviest sections first. Only the order matters, so a stale figure costs speed, never a verdict.
    weight: float = 1.0


PROVIDERS = [
    Provider("matrix", "Cross-check matrix", sections.matrix_section, weight=8),
    Provider("kinks", "Kink cases (Z = 0)", sections.kinks_section, weight=1),
    Provider("realistic", "Realistic sizes", realistic.realistic_section, weight=10),
    Provider("catalogue", "Equation catalogue", catalogue_section.catalogue_section, weight=2.5),
    Provider("examples", "Worked examples and errata", capabilities.examples_section, weight=1.5),
    Provider("training", "Training equivalence", capabilities.training_section, weight=8),
    Provider("performance", "Performance", performance.performance_section, weight=6),
    Provider("environment", "Environment", environment.environment_section, weight=0.1),
]
