"""A worked example's steps as computed: the Computed row and reading the printed blocks."""

from dataclasses import dataclass

import numpy as np

from .verdict import Printed, parse


@dataclass
class Computed:
    """One step of an example: printed value (or None), local, reference and torch values."""

    step: str
    equation: str
    printed: Printed | None
    local: object
    reference: object
    torch: object
    uses: tuple = ()  # the printed steps the local recomputation read
    note: str = ""  # what exactly is wrong, where the kind can say more than the verdict


def printed_blocks(example):
    """{step: list of Printed} in the file's order; a scalar block gives a list of one."""
    blocks = {}
    for block in example.get("printed", []):
        values = block["values"]
        flat = values if isinstance(values, list) else [values]
        if flat and isinstance(flat[0], list):
            flat = [v for row in flat for v in row]
        blocks[block["step"]] = (
            [parse(v, block.get("decimals"), block.get("exact", False)) for v in flat],
            block["equation"],
            isinstance(values, list),
        )
    return blocks


def elements(step, equation, printed, vector, local, reference, torch_values, uses):
    """One Computed per printed element (1-based, as the document numbers a_11, a_12, ...)."""
    rows = []
    for i, p in enumerate(printed):
        name = f"{step}[{i + 1}]" if vector else step
        use = uses(i) if callable(uses) else uses
        rows.append(Computed(name, equation, p, _at(local, i), _at(reference, i), _at(torch_values, i), tuple(use)))
    return rows


def _at(values, i):
    return np.ravel(values)[i]


def names_of(step, printed, vector):
    return [f"{step}[{i + 1}]" if vector else step for i in range(len(printed))]


def values_of(printed):
    return np.array([p.value for p in printed], dtype=float).reshape(-1, 1)
