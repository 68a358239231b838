"""Every PNG crosscheck draws: a matplotlib Figure on the Agg canvas, its axes placed by fixed margins.

The object API (Figure with FigureCanvasAgg) needs no pyplot and no global backend state: drawing
never opens a window and is safe under pytest-xdist. Margins are given in inches, from the lengths of
the labels a figure holds (registry names, numbers), rather than found by a layout engine:
layout="constrained" measured every text of a figure several times over to place the axes, about
half of each figure's drawing time (the report's heatmap 0.55 -> 0.21 s, its training curves
0.50 -> 0.21 s). Fixed margins hold for matplotlib's own default style, so every figure is drawn in
it (`in_default_style`), whatever a user's matplotlibrc or rcParams say. tests/test_figures.py draws
every figure with the longest labels the registries hold and checks that no text leaves its figure,
lies over another axes or overlaps a text of another axes.
"""

import functools

from matplotlib import style
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

# One character of a label, in inches per point of font size: DejaVu Sans, matplotlib's default
# face, averages about 0.55 em over lower-case letters, digits and "_"; 0.6 leaves room for wide ones.
CHAR = 0.6 / 72


def in_default_style(draw):
    """`draw` run in matplotlib's default style: font sizes, ticks and pads as the margins assume them."""

    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        with style.context("default"):
            return draw(*args, **kwargs)

    return drawn


def text_width(labels, fontsize):
    """Inches taken by the label with the most characters of `labels` at `fontsize` points: an estimate
    within a few per cent for names of lower-case letters, digits and "_" (tests/test_figures.py checks
    the figures that use it)."""
    return max((len(str(label)) for label in labels), default=0) * fontsize * CHAR


def figure(width, height, left, right, bottom, top):
    """A width x height inch Figure, on the Agg canvas, whose axes fill it but for the margins (inches)."""
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height)
    return fig


def panels(fig, rows, cols, gap_x=0.0, gap_y=0.0):
    """rows x cols axes of `fig`, as a flat list, with gaps between them in inches."""
    params = fig.subplotpars
    width, height = fig.get_size_inches()
    axis_w = ((params.right - params.left) * width - (cols - 1) * gap_x) / cols
    axis_h = ((params.top - params.bottom) * height - (rows - 1) * gap_y) / rows
    grid = {"wspace": gap_x / axis_w, "hspace": gap_y / axis_h}
    return list(fig.subplots(rows, cols, squeeze=False, gridspec_kw=grid).ravel())


def save(fig, path, dpi):
    fig.savefig(path, dpi=dpi)
    return path
