"""Every figure crosscheck draws keeps its texts whole: inside the figure, and clear of other axes.

The figures' margins are fixed in inches from the lengths of their labels (crosscheck/core/canvas.py),
not found by a layout engine, so nothing else would notice a label cut off at the edge or drawn over
a neighbouring panel. Each figure is drawn with the longest labels the registries hold; matplotlib's
renderer measures the texts (the oracle), and each one must lie inside the figure and overlap no
other axes (a colorbar is an axes of its own) and no text of another axes.
"""

import types

import matplotlib
import pytest

from crosscheck.core.ops import HIDDEN, PAIRINGS
from crosscheck.examples import figures as example_figures
from crosscheck.report import capabilities, figures
from crosscheck.training import command as train_command
from crosscheck.training.datasets import NAMES

DTYPES = ("float64", "float32")
# a pixel of slack on every side of a text: antialiased text extents are rounded outwards
SLACK = 1.0


def _shown_ticklabels(axis):
    low, high = sorted(axis.get_view_interval())
    span = (high - low) * 1e-9
    pairs = [*zip(axis.get_majorticklocs(), axis.get_majorticklabels())]
    pairs += zip(axis.get_minorticklocs(), axis.get_minorticklabels())  # labelled on a log axis under a decade
    return [label for loc, label in pairs if low - span <= loc <= high + span]


def texts_by_axes(fig):
    """{shown axes: the texts a reader must see whole}: title, axis labels, shown tick labels and their
    offset ("1e5"), legend."""
    out = {}
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts = [ax.title, ax.xaxis.label, ax.yaxis.label, ax.xaxis.get_offset_text(), ax.yaxis.get_offset_text()]
        texts += _shown_ticklabels(ax.xaxis) + _shown_ticklabels(ax.yaxis)
        if ax.get_legend() is not None:
            texts += ax.get_legend().get_texts()
        out[ax] = [t for t in texts if t.get_visible() and t.get_text()]
    return out


def misplaced(fig):
    """Each text that leaves the figure, or overlaps another axes or a text of another axes, named."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    texts = texts_by_axes(fig)
    assert all(texts.values()), "an axes with no text to check: the check would pass by itself"
    boxes = {ax: [(t, t.get_window_extent(renderer).padded(-SLACK)) for t in ts] for ax, ts in texts.items()}
    areas = {ax: ax.get_window_extent(renderer) for ax in texts}
    found = []
    for ax, placed in boxes.items():
        for text, box in placed:
            where = f"{text.get_text()!r} of the axes titled {ax.get_title()!r}"
            if not (page.contains(box.x0, box.y0) and page.contains(box.x1, box.y1)):
                found.append(f"{where} leaves the figure: {box.extents} in {page.extents}")
            for other, area in areas.items():
                if other is not ax and box.overlaps(area):
                    found.append(f"{where} lies over another axes ({other.get_title()!r}, {other.get_ylabel()!r})")
            for other, theirs in boxes.items():
                for their_text, their_box in theirs if other is not ax else ():
                    if box.overlaps(their_box):
                        found.append(f"{where} overlaps {their_text.get_text()!r}")
    return found


@pytest.fixture
def drawn(monkeypatch):
    """The figures handed to save() by the report, the examples and `crosscheck train`, not written."""
    kept = []

    def keep(fig, path, dpi):
        kept.append(fig)
        return path

    for module in (figures, example_figures, train_command):
        monkeypatch.setattr(module, "save", keep)
    return kept


def _groups(hidden, pairings):
    values = [3e-16, None, 0.0, 2e-3, 7e-7]  # None: a non-finite error, drawn as "inf"
    return [
        {"hidden": h, "pairing": p, "dtype": d, "worst_rel": values[(i + j) % len(values)]}
        for i, h in enumerate(hidden)
        for j, p in enumerate(pairings)
        for d in DTYPES
    ]


def _heatmap(path, hidden=(*HIDDEN, "none"), pairings=tuple(PAIRINGS)):
    hidden, pairings = list(hidden), list(pairings)
    figures.heatmap(_groups(hidden, pairings), hidden, pairings, DTYPES, {"float64": 9.1e-13, "float32": 1.5e-5}, path)


def _error_distribution(path):
    cases = [
        {"dtype": d, "quantities": {"dW1": 3e-16 * 10**k, "db1": 0.0, "J": None}} for d in DTYPES for k in range(9)
    ]
    figures.error_distribution(cases, {"float64": 2.2e-16, "float32": 1.2e-7}, {"float64": 4096, "float32": 128}, path)


def _training_curves(path):
    names = [name for name, _, _ in capabilities.TRAINING_RUNS]
    costs = [[2.5, 1.0, 0.25], [-150000.0, -90000.0, -42000.0]]  # the widest tick labels a cost gets unscaled
    histories = {name: {"reference": costs[i % 2], "torch": costs[i % 2]} for i, name in enumerate(names)}
    figures.training_curves(histories, path)


def _timings(path):
    rows = [dict(dtype=d, m=m, reference_s=m * 2e-5, torch_s=m * 1.9e-5) for d in DTYPES for m in (1, 32, 256, 2048)]
    figures.timings(rows, path)


def _timings_within_a_decade(path):
    """Times that span less than a decade: matplotlib then labels the minor ticks too (5x10^-1)."""
    rows = [dict(dtype=d, m=m, reference_s=0.4e-3 + m * 1e-7, torch_s=0.5e-3) for d in DTYPES for m in (1, 32, 256)]
    figures.timings(rows, path)


def _train_losses(path):
    dataset = max(NAMES, key=len)
    history = [{"epoch": e, "ref_loss": -150000.0 / e, "torch_loss": -150000.0 / e} for e in range(1, 200)]
    config = {"regime": "minibatch", "learning_rate": 0.0125}
    train_command.plot_losses(types.SimpleNamespace(dataset=dataset, config=config, history=history), path)


DRAWINGS = {
    "report heatmap": _heatmap,
    "report error distribution": _error_distribution,
    "report training curves": _training_curves,
    "report timings": _timings,
    "report timings within a decade": _timings_within_a_decade,
    "crosscheck train losses": _train_losses,
    "decision boundaries": example_figures.render_decision_boundaries,
}


@pytest.mark.parametrize("name", DRAWINGS)
def test_every_text_is_whole_and_clear_of_other_axes(name, drawn, tmp_path):
    DRAWINGS[name](tmp_path / "figure.png")
    assert drawn, f"{name} drew no figure"
    for fig in drawn:
        assert not misplaced(fig), f"{name}:\n" + "\n".join(misplaced(fig))


@pytest.mark.parametrize("name", ["report training curves", "decision boundaries"])
def test_a_users_matplotlib_settings_leave_the_layout_alone(name, drawn, tmp_path):
    """The margins are fixed for matplotlib's default style, which the figures are drawn in, whatever a
    user's matplotlibrc or rcParams say (canvas.in_default_style)."""
    with matplotlib.rc_context({"font.size": 20, "axes.titlesize": 24, "xtick.major.pad": 12}):
        DRAWINGS[name](tmp_path / "figure.png")
    for fig in drawn:
        assert not misplaced(fig), f"{name}:\n" + "\n".join(misplaced(fig))


_panels = figures.panels
BROKEN_LAYOUTS = {
    "margins as if the labels took no room": ("text_width", lambda labels, fontsize: 0.0, "leaves the figure"),
    "no gap between the panels": (
        "panels",
        lambda fig, rows, cols, **gaps: _panels(fig, rows, cols),
        "lies over another axes",
    ),
}


@pytest.mark.parametrize("broken", BROKEN_LAYOUTS)
def test_the_check_finds_a_heatmap_laid_out_wrong(broken, drawn, tmp_path, monkeypatch):
    name, replacement, expected = BROKEN_LAYOUTS[broken]
    monkeypatch.setattr(figures, name, replacement)
    _heatmap(tmp_path / "figure.png", ["leaky_relu", "none"], list(PAIRINGS)[:3])  # small: quicker to draw
    assert expected in "\n".join(misplaced(drawn[0]))
