"""The report's figures as PNG files (crosscheck/core/canvas.py: the Agg canvas, fixed margins)."""

import math

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.patches import Rectangle

from ..core.canvas import figure, in_default_style, panels, save, text_width

DPI = 110


@in_default_style
def heatmap(groups, hidden, pairings, dtypes, rtol, path):
    """One panel per dtype: worst relative error per hidden activation x pairing, log colour scale.

    Cells above the dtype's tolerance get a red frame; exact agreement (0) is drawn at the floor.
    """
    rows_w = text_width(hidden, 8) + 0.15  # y tick labels, left of each panel
    columns_h = text_width(pairings, 8) * math.sin(math.radians(40)) + 0.3  # x tick labels at 40 degrees
    bar_w = 1.05  # a panel's colorbar with its tick labels and its rotated label
    fig = figure(5.2 * len(dtypes), 0.45 * len(hidden) + 0.6 + columns_h + 0.35, rows_w, bar_w, columns_h, 0.35)
    axes = panels(fig, 1, len(dtypes), gap_x=rows_w + bar_w)
    for ax, dtype in zip(axes, dtypes):
        cells = {(g["hidden"], g["pairing"]): g for g in groups if g["dtype"] == dtype}
        grid = np.full((len(hidden), len(pairings)), np.nan)
        for (h, p), g in cells.items():
            grid[hidden.index(h), pairings.index(p)] = np.inf if g["worst_rel"] is None else g["worst_rel"]
        eps = float(np.finfo(dtype).eps)
        floor = eps / 16
        top = max(rtol[dtype] * 4, np.nanmax(np.where(np.isfinite(grid), grid, 0.0), initial=floor) * 2)
        shown = np.clip(np.where(np.isinf(grid), top, grid), floor, top)
        image = ax.imshow(shown, norm=LogNorm(vmin=floor, vmax=top), cmap="viridis", aspect="auto")
        ax.set_xticks(range(len(pairings)), pairings, rotation=40, ha="right", fontsize=8)
        ax.set_yticks(range(len(hidden)), hidden, fontsize=8)
        ax.set_title(f"{dtype} (tolerance {rtol[dtype]:.1e})", fontsize=10)
        for i in range(len(hidden)):
            for j in range(len(pairings)):
                v = grid[i, j]
                if np.isnan(v):
                    continue
                label = "inf" if np.isinf(v) else ("0" if v == 0 else f"{v:.0e}")
                light = shown[i, j] < math.sqrt(floor * top)
                ax.text(j, i, label, ha="center", va="center", fontsize=6.5, color="white" if light else "black")
                if v > rtol[dtype]:
                    ax.add_patch(_frame(ax, i, j))
        # inside the panel's own width, the bar's labels in the gap to the next panel (bar_w)
        fig.colorbar(image, ax=ax, label="worst relative error", shrink=0.9, fraction=0.06, pad=0.03)
    return save(fig, path, DPI)


def _frame(ax, i, j):
    return Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="red", linewidth=2)


@in_default_style
def error_distribution(cases, eps, factors, path):
    """Histogram per dtype of log10(relative error / eps) over every compared quantity, with the tolerance."""
    fig = figure(7.5, 3.6, left=0.75, right=0.15, bottom=0.55, top=0.15)
    ax = fig.subplots()
    colours = {"float64": "tab:blue", "float32": "tab:orange"}
    bins = np.arange(-4.0, 6.01, 0.25)
    for dtype, e in eps.items():
        rels = np.array(
            [r if r is not None else np.inf for c in cases if c["dtype"] == dtype for r in c["quantities"].values()],
            dtype=float,
        )
        exact = int(np.sum(rels == 0))
        positive = rels[rels > 0]
        units = np.log10(np.clip(positive / e, 10.0 ** bins[0], 10.0 ** bins[-1]))
        ax.hist(
            units,
            bins=bins,
            histtype="step",
            linewidth=1.6,
            color=colours.get(dtype),
            label=f"{dtype}: {len(rels)} quantities, {exact} exactly equal (not drawn)",
        )
        ax.axvline(
            math.log10(factors[dtype]),
            color=colours.get(dtype),
            linestyle="--",
            linewidth=1,
            label=f"{dtype} tolerance: {factors[dtype]} eps",
        )
    ax.set_xlabel("log10(relative error / eps of the dtype)")
    ax.set_ylabel("quantities")
    ax.set_yscale("log")
    ax.legend(fontsize=7, loc="upper right")
    return save(fig, path, DPI)


@in_default_style
def training_curves(histories, path):
    """One panel per training run: the cost per step of the reference and of torch, overlaid.

    histories: {run name: {"reference": [J per step], "torch": [J per step]}}.
    """
    names = list(histories)
    cols = min(3, len(names)) or 1
    rows = math.ceil(len(names) / cols) or 1
    fig = figure(4.2 * cols, 3.0 * rows, left=1.0, right=0.15, bottom=0.5, top=0.3)  # up to 6-digit costs
    axes = panels(fig, rows, cols, gap_x=1.1, gap_y=0.75)
    for ax, name in zip(axes, names):
        for side, style in (
            ("reference", dict(color="tab:blue", linewidth=2.5, alpha=0.6)),
            ("torch", dict(color="black", linewidth=1, linestyle="--")),
        ):
            values = histories[name].get(side)
            if values is not None:
                ax.plot(np.arange(len(values)), values, label=side, **style)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("step")
        ax.set_ylabel("cost J")
        ax.legend(fontsize=7)
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    return save(fig, path, DPI)


@in_default_style
def timings(rows, path):
    """Forward+backward time against m, reference and torch, one line per dtype (log-log)."""
    fig = figure(6.5, 3.6, left=1.0, right=0.15, bottom=0.55, top=0.15)  # minor labels (4x10^-1) within a decade
    ax = fig.subplots()
    for dtype, colour in (("float64", "tab:blue"), ("float32", "tab:orange")):
        mine = sorted((r for r in rows if r["dtype"] == dtype), key=lambda r: r["m"])
        if not mine:
            continue
        m = [r["m"] for r in mine]
        ax.plot(m, [r["reference_s"] * 1e3 for r in mine], "o-", color=colour, label=f"reference {dtype}")
        ax.plot(m, [r["torch_s"] * 1e3 for r in mine], "s--", color=colour, label=f"torch {dtype}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("m (examples per batch)")
    ax.set_ylabel("median forward+backward time (ms)")
    ax.legend(fontsize=7)
    return save(fig, path, DPI)
