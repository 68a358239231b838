"""Running everything a report holds: each registered section in turn, with progress on stderr."""

import datetime
import time

from ..core import progress
from . import model
from .providers import PROVIDERS
from .sections import verdict_section


def collect(ctx, providers=None):
    """A Report: the verdict first, then every provider's section.

    A required provider that raises (an import error included) leaves a failed section naming the
    error, so the report fails; only an optional provider's import error leaves "not available",
    shown with its reason.
    """
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
            if not provider.optional:
                section = model.broken(provider.key, provider.title, exc)
            else:  # an optional extra not installed: visible, with its reason, and no verdict of its own
                section = model.not_available(provider.key, provider.title, str(exc))
        except Exception as exc:  # noqa: BLE001 - any failure of a section is reported as that section failing
            section = model.broken(provider.key, provider.title, exc)
        section.key, section.title = provider.key, provider.title
        sections.append(section)
    report = model.Report(sections, generated=generated, quick=ctx.quick, seed=ctx.seed)
    report.sections.insert(0, verdict_section(report))
    report.run_seconds = time.perf_counter() - start
    return report
