"""The record types of the operator registry: what the reference knows about an activation or a loss.

The records themselves are listed beside their functions (activations.ACTIVATIONS, losses.LOSSES).
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Param:
    """A parameter of an activation: its documented default and the range cases draw it from."""

    default: float
    low: float
    high: float


@dataclass(frozen=True)
class Activation:
    """One activation as a record: g, and g' (elementwise) or the VJP `backward(dA, A)` (softmax).

    kinks: where g' jumps (there g'(kink) is a convention). output: the range of g, which decides the
    labels a loss can be given after it. doc: where the documents define it ("" for an extension).
    """

    name: str
    g: Callable
    g_prime: Callable | None
    params: dict = field(default_factory=dict)
    kinks: tuple = ()
    domain: str = "all real z"
    output: str = "real"  # real, (0, 1), (-1, 1), [0, inf), simplex
    doc: str = ""
    catalogue: str = ""  # the catalogue id of its derivative
    backward: Callable | None = None
    formula: str = ""  # g as a reader writes it

    @property
    def extension(self):
        return not self.doc

    @property
    def elementwise(self):
        return self.g_prime is not None

    def defaults(self):
        return {k: p.default for k, p in self.params.items()}


@dataclass(frozen=True)
class Loss:
    """One loss as a record: per-example L(i) and its derivative dA[L] = dL(i)/dA[L].

    outputs: the output activations it is paired with in the matrix. labels: what Y holds
    ("binary" 0/1, "one-hot" columns, or "like-output": values in the output activation's range).
    """

    name: str
    L: Callable
    dL: Callable
    outputs: tuple
    labels: str
    domain: str
    doc: str
