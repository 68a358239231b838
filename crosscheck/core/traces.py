"""Running one case through both implementations: the same weights and data, two traces."""

import functools

import numpy as np

from reference import network
from torch_impl.twin import Twin

from . import convention
from .branches import resolve_branches
from .compare import chain_order, compare
from .tolerances import tolerance_for


def reference_trace(case, data=None):
    """Every named quantity from the NumPy reference, in the documents' layout."""
    X, Y, params = case.draw() if data is None else data
    AL, caches = network.forward(X, params, case.activations)
    grads = network.backward(AL, Y, caches, case.loss, case.reduction, case.l1, case.l2)
    trace = {}
    for l, cache in enumerate(caches, start=1):
        trace[f"Z{l}"], trace[f"A{l}"] = cache["Z"], cache["A"]
    trace["J"] = np.array(network.cost(AL, Y, case.loss, case.reduction, params, case.l1, case.l2))
    trace.update(grads)
    return trace


# Twins of more weights than this are built per case: their layers cost little beside their products,
# and 36 cached realistic-size twins held about 100 MiB (weights and gradients) to the process's end.
CACHED_WEIGHTS = 10_000


@functools.lru_cache(maxsize=1024)
def _twin(sizes, activations, dtype, device):
    return Twin(list(sizes), [(name, dict(parameters)) for name, parameters in activations], dtype, device)


def twin_for(case, device=None):
    """The twin of the case's network. A small one is shared by every case with the same shape,
    activations, dtype and device: load() overwrites every weight and bias and capture() clears the
    gradients, so a reused twin computes what a new one would. Building nn.Linear layers (and drawing
    initial weights that load() overwrites at once) was a twelfth of a matrix case's time."""
    sizes = case.sizes
    if sum(n * n_prev for n_prev, n in zip(sizes[:-1], sizes[1:])) > CACHED_WEIGHTS:
        return Twin(sizes, case.activations, case.dtype, device)
    activations = tuple((name, tuple(sorted(parameters.items()))) for name, parameters in case.activations)
    return _twin(tuple(sizes), activations, case.dtype, device)


def torch_trace(case, data=None, device=None):
    """Every named quantity from the PyTorch twin (on `device`, default the CPU), mapped into the
    documents' layout and convention."""
    X, Y, params = case.draw() if data is None else data
    twin = twin_for(case, device).load(params)
    capture = twin.capture(
        convention.columns_to_rows(X), convention.columns_to_rows(Y), case.loss, case.reduction, case.l1, case.l2
    )
    return convention.document_trace(capture, case.reduction, case.m)


def run_case(case, device=None):
    """Both traces compared in chain order, with the case's dtype tolerance; dZ elements that sit
    within rounding of a kink are compared against both branches (branches.py), and the comparison
    carries their count as `set_aside`."""
    data = case.draw()
    X, _, params = data
    other = torch_trace(case, data, device)
    ref, set_aside = resolve_branches(
        reference_trace(case, data), other, X, params, case.activations, case.reduction, case.dtype
    )
    comparison = compare(ref, other, tolerance_for(case.dtype), order=chain_order(case.depth), label=case.id)
    comparison.set_aside = set_aside
    return comparison
