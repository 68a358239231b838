"""Rendering document 004's decision-boundary examples (their figures are missing from the text)."""

import pathlib

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .boundary import boundary_params, boundary_reference  # noqa: E402
from .runner import load, names  # noqa: E402

# The plotted square: wide enough to show the b = 12 neuron's boundary at x2 = 6.
EXTENT = (-8.0, 8.0)
RESOLUTION = 161  # grid points per axis: a step of 0.1


def boundary_names():
    """The examples of kind "boundary", in name order."""
    return [n for n in names() if load(n).get("kind") == "boundary"]


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
        fig, ax = plt.subplots(figsize=(5, 4.2))
        filled = ax.contourf(x1, x2, y_hat, levels=np.linspace(0, 1, 21), cmap="RdBu_r", vmin=0, vmax=1)
        if y_hat.min() < 0.5 < y_hat.max():
            ax.contour(x1, x2, y_hat, levels=[0.5], colors="k", linewidths=1.2)
        fig.colorbar(filled, ax=ax, label="y_hat")
        ax.set_xlabel("x1 (screen size)")
        ax.set_ylabel("x2 (cost)")
        ax.set_title(f"{data['title']}\n{_weights_caption(data)}", fontsize=8)
        fig.tight_layout()
        path = out / f"{name}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        paths.append(path)
    return paths


def _weights_caption(data):
    inputs = data["inputs"]
    parts = [f"{k} = {inputs[k]}" for k in ("W1", "b1", "W2", "b2") if k in inputs]
    return ", ".join(parts)
