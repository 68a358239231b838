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


PROVIDERS = [
    Provider("matrix", "Cross-check matrix", sections.matrix_section),
    Provider("kinks", "Kink cases (Z = 0)", sections.kinks_section),
    Provider("realistic", "Realistic sizes", realistic.realistic_section),
    Provider("catalogue", "Equation catalogue", catalogue_section.catalogue_section),
    Provider("examples", "Worked examples and errata", capabilities.examples_section),
    Provider("training", "Training equivalence", capabilities.training_section),
    Provider("performance", "Performance", performance.performance_section),
    Provider("environment", "Environment", environment.environment_section),
]
