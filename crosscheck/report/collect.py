"""Running everything a report holds: each registered section in turn, with progress on stderr."""

import datetime
import time

from ..core import progress
from . import model
from .providers import PROVIDERS
from .sections import verdict_section


def collect(ctx, providers=None):
    """A Report: the verdict first, then every provider's section (a missing one is noted, not fatal)."""
    providers = PROVIDERS if providers is None else providers
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    generated = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    sections = []
    for provider in providers:
        progress.write(f"report: {provider.title}", enabled=ctx.progress)
        try:
            section = provider.build(ctx)
        except ImportError as exc:
            # Sections that other parts of the project provide appear once those parts are installed.
            section = model.not_available(provider.key, provider.title, str(exc))
        section.key, section.title = provider.key, provider.title
        sections.append(section)
    report = model.Report(sections, generated=generated, quick=ctx.quick, seed=ctx.seed)
    report.sections.insert(0, verdict_section(report))
    report.run_seconds = time.perf_counter() - start
    return report
