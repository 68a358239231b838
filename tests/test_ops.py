"""The operator registry: one record a side, joined; every consumer iterates it; `crosscheck ops` lists it."""

import json
import math

import numpy as np
import pytest
import torch

from crosscheck.cli import main
from crosscheck.core import ops
from crosscheck.core.matrix import KINKS, MATRIX
from crosscheck.core.pieces import piece_cases
from crosscheck.derivation.targets import TARGETS
from crosscheck.report.sections import pivot_table
from reference import activations
from torch_impl.modules import activation_module

EXTENSIONS = ("softplus", "silu", "gelu")
# torch.nn.functional's own forms, an oracle independent of both registries' records. softplus with
# threshold 40, as torch_impl.modules builds it: torch's default (20) returns z itself above 20, off by
# log1p(e^-z) ~ 2e-9 there (test_softplus_default_threshold_is_an_approximation).
FUNCTIONAL = {
    "softplus": lambda z: torch.nn.functional.softplus(z, beta=1.0, threshold=40.0),
    "silu": torch.nn.functional.silu,
    "gelu": torch.nn.functional.gelu,
}


def test_registry_sides_name_the_same_operators():
    from torch_impl import modules

    assert set(ops.ACTIVATIONS) == set(activations.ACTIVATIONS) == set(modules.ACTIVATIONS)
    assert len(ops.ACTIVATIONS) >= 10


def test_an_operator_registered_on_one_side_only_is_refused():
    with pytest.raises(ValueError, match=r"registered on one side only"):
        ops._join("activation", {"relu": object(), "swish2": object()}, {"relu": object()})


@pytest.mark.parametrize("name", EXTENSIONS)
def test_extension_reaches_every_consumer(name):
    """Registered once a side, an extension is in the matrix, the kink cases, the pieces, the targets."""
    assert ops.ACTIVATIONS[name].extension and name in ops.EXTENSIONS
    assert any(c.hidden == name for c in MATRIX) and any(c.hidden == name for c in KINKS)
    assert any(c.name == name for c in piece_cases())
    assert name in TARGETS and TARGETS[name].extension


@pytest.mark.parametrize("name", EXTENSIONS)
def test_extension_matches_torch_functional(name):
    Z = np.linspace(-30, 30, 121)[None, :]  # one unit, 121 examples: the column layout's 2-D Z
    Zt = torch.tensor(Z, requires_grad=True)
    A = FUNCTIONAL[name](Zt)
    A.sum().backward()
    np.testing.assert_allclose(activations.forward(name, Z), A.detach().numpy(), rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(activations.derivative(name, Z), Zt.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_softplus_default_threshold_is_an_approximation():
    z = torch.tensor([[21.0, 30.0]], dtype=torch.float64)
    exact = activations.forward("softplus", z.numpy())
    default = torch.nn.functional.softplus(z).numpy()
    assert np.all(default == z.numpy()) and np.all(np.abs(exact - default) > 0)


def test_the_twins_softplus_is_exact_past_torchs_default_threshold():
    """torch_impl builds Softplus with threshold 40: between 20 and 40 its value is z + log1p(e^-z)
    (math.log1p as the oracle), where torch's default threshold would return z, 2e-9 off at 20."""
    z = np.array([[21.0, 25.0, 39.0]])
    expected = z + np.vectorize(lambda v: math.log1p(math.exp(-v)))(z)
    A = activation_module("softplus", **activations.ACTIVATIONS["softplus"].defaults())(torch.as_tensor(z))
    np.testing.assert_allclose(A.numpy(), expected, rtol=1e-15, atol=0)


def test_report_labels_extensions():
    cases = [{"hidden": h, "pairing": "softmax_cce", "dtype": "float64"} for h in ("relu", "gelu")]
    groups = [{**c, "failures": 0, "cases": 1, "worst_rel": 0.0} for c in cases]
    rows = {row[0] for row in pivot_table(groups, cases, "float64").rows}
    assert rows == {"relu", "gelu (extension)"}


def test_ops_command_lists_every_operator(capsys):
    assert main(["ops"]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert [line.split()[0] for line in lines] == [*ops.ACTIVATIONS, *ops.LOSSES]
    leaky = next(line for line in lines if line.startswith("leaky_relu"))
    assert "slope=0.01" in leaky and "z = 0" in leaky
    assert main(["ops", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["name"] for r in records if r["kind"] == "activation"} >= {"softplus", "silu", "gelu", "elu"}
    assert next(r for r in records if r["name"] == "elu")["parameters"].startswith("alpha=1")
