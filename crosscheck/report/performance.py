"""The report's performance section: forward+backward timings of the reference and of torch."""

from torch_impl import runtime

from ..bench.measure import ACTIVATIONS, SIZES, measure, table
from . import figures
from .model import Figure, Paragraph, Section, Table


def _threads(threads):
    if threads is None:
        return f"NumPy's BLAS and torch on their default threads (torch: {runtime.describe()['torch_threads']})"
    return f"NumPy's BLAS and torch each limited to {threads} thread{'s' if threads > 1 else ''}"


def performance_section(ctx):
    if ctx.bench is None:
        return Section(
            "performance",
            "Performance",
            status="not available",
            note="not available: timings skipped",
            blocks=[Paragraph("Timings were skipped in this run.")],
        )

    rows = measure(**ctx.bench, progress=ctx.bar)
    headers, body = table(rows)
    blocks = [
        Paragraph(
            f"Median time of one forward + cost + backward pass, network {'-'.join(map(str, SIZES))} "
            f"({'-'.join(ACTIVATIONS)} + cce, mean reduction), {ctx.bench['repeats']} repeats each, reference "
            f"and torch interleaved in the same run, {_threads(ctx.bench.get('threads'))}. A ratio above 1 "
            "means the NumPy reference is slower."
        ),
        Table(headers, body),
    ]
    path, rel = ctx.figure_path("timings.png")
    figures.timings(rows, path)
    blocks.append(Figure(rel, "Forward+backward time against m"))
    return Section(
        "performance",
        "Performance",
        data={
            "network": list(SIZES),
            "activations": list(ACTIVATIONS),
            "loss": "cce",
            "settings": ctx.bench,
            "rows": rows,
        },
        blocks=blocks,
    )
