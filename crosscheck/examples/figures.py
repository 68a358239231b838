"""Rendering document 004's decision-boundary examples (their figures are missing from the text)."""

import pathlib

import numpy as np

from ..core.canvas import figure, in_default_style, save
from .boundary import boundary_params, boundary_reference
from .runner import load, names

# The plotted square: wide enough to show the b = 12 neuron's boundary at x2 = 6.
EXTENT = (-8.0, 8.0)
RESOLUTION = 161  # grid points per axis: a step of 0.1


def boundary_names():
    """The examples of kind "boundary", in name order."""
    return [n for n in names() if load(n).get("kind") == "boundary"]


@in_default_style
def render_decision_boundaries(out_dir):
    """One PNG per decision-boundary example: y_hat over (x1, x2) with the y_hat = 0.5 contour.

    Returns the list of written paths."""
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    axis = np.linspace(*EXTENT, RESOLUTION)
    x1, x2 = np.meshgrid(axis, axis)
    X = np.vstack([x1.ravel(), x2.ravel()])
    paths = []
    for name in boundary_names():
        data = load(name)
        y_hat = boundary_reference(boundary_params(data), X).reshape(x1.shape)
        # the colorbar takes its room out of the axes; its labels and the two-line title use the margins
        fig = figure(5, 4.2, left=0.65, right=0.25, bottom=0.5, top=0.45)
        ax = fig.subplots()
        filled = ax.contourf(x1, x2, y_hat, levels=np.linspace(0, 1, 21), cmap="RdBu_r", vmin=0, vmax=1)
        if y_hat.min() < 0.5 < y_hat.max():
            ax.contour(x1, x2, y_hat, levels=[0.5], colors="k", linewidths=1.2)
        fig.colorbar(filled, ax=ax, label="y_hat")
        ax.set_xlabel("x1 (screen size)")
        ax.set_ylabel("x2 (cost)")
        ax.set_title(f"{data['title']}\n{_weights_caption(data)}", fontsize=8)
        paths.append(save(fig, out / f"{name}.png", dpi=100))
    return paths


def _weights_caption(data):
    inputs = data["inputs"]
    parts = [f"{k} = {inputs[k]}" for k in ("W1", "b1", "W2", "b2") if k in inputs]
    return ", ".join(parts)
