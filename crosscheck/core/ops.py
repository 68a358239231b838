"""The operator registry, in the spirit of PyTorch's OpInfo: one record per activation and per loss.

Each record joins the reference's record (reference.activations.ACTIVATIONS, reference.losses.LOSSES:
the NumPy function and its derivative, documented parameter defaults, kinks, input domain, source)
with its torch counterpart (torch_impl.modules). The case matrix, the piece checks, the kink cases,
the derivation targets, the CLI's choices and the report all iterate these records: adding an
activation is one record on each side, nothing else.
"""

from dataclasses import dataclass

from reference import activations as ref_activations
from reference import losses as ref_losses
from torch_impl import modules as torch_modules


@dataclass(frozen=True)
class Op:
    """One operator: the reference record and the torch factory (module builder or per-example loss)."""

    name: str
    kind: str  # "activation" or "loss"
    reference: object
    torch: object

    @property
    def extension(self):
        """True for an operator the documents do not define (softplus, SiLU, GELU)."""
        return self.kind == "activation" and self.reference.extension

    @property
    def params(self):
        return getattr(self.reference, "params", {})

    @property
    def kinks(self):
        return getattr(self.reference, "kinks", ())

    @property
    def domain(self):
        return self.reference.domain

    @property
    def doc(self):
        return self.reference.doc or "extension (not in the documents)"


def _join(kind, reference, torch_side):
    missing = sorted(set(reference) ^ set(torch_side))
    if missing:
        raise ValueError(
            f"operator registry: {kind} {missing} registered on one side only "
            "(reference and torch_impl.modules must name the same operators)"
        )
    return {name: Op(name, kind, record, torch_side[name]) for name, record in reference.items()}


ACTIVATIONS = _join("activation", ref_activations.ACTIVATIONS, torch_modules.ACTIVATIONS)
LOSSES = _join("loss", ref_losses.LOSSES, torch_modules.LOSSES)

# Hidden layers take the elementwise activations; softmax is an output only.
HIDDEN = tuple(name for name, op in ACTIVATIONS.items() if op.reference.elementwise)
KINKED = tuple(name for name, op in ACTIVATIONS.items() if op.kinks)
EXTENSIONS = tuple(name for name, op in ACTIVATIONS.items() if op.extension)
# Output activation + loss pairings, named as they appear in case ids ("sigmoid_bce").
PAIRINGS = {f"{output}_{name}": (output, name) for name, op in LOSSES.items() for output in op.reference.outputs}
REDUCTIONS = ref_losses.REDUCTIONS


def resolved(activations):
    """Each activation as (name, every parameter with its value): the documented defaults fill what is
    not given, so the torch side is built with exactly the reference's parameters."""
    out = []
    for activation in activations:
        record, params = ref_activations.resolve(activation)
        out.append((record.name, params))
    return out


def describe(op):
    """One row of `crosscheck ops`: name, kind, parameters, kinks, domain, source."""
    params = ", ".join(f"{k}={p.default:g} (drawn {p.low:g}..{p.high:g})" for k, p in op.params.items()) or "-"
    kinks = ", ".join(f"z = {k:g}" for k in op.kinks) or "-"
    if op.kind == "loss":
        params = "outputs: " + ", ".join(op.reference.outputs)
        kinks = "-"
    return {
        "name": op.name,
        "kind": op.kind,
        "parameters": params,
        "kinks": kinks,
        "domain": op.domain,
        "source": op.doc,
    }
