"""The pytest plugin from another project's tests: the `crosscheck` fixture checks softplus against torch.

pytester runs an inner pytest in this process on files written into its own temporary directory;
the plugin is named with -p because this checkout (not necessarily the installed copy) is under test.
The right derivative of softplus is the logistic sigmoid; the wrong one is planted.
"""

import importlib.metadata
import pathlib
import tomllib

pytest_plugins = ["pytester"]

ROOT = pathlib.Path(__file__).parent.parent

OTHER_PROJECT_TESTS = """
import numpy as np
import torch
import torch.nn.functional as F


def softplus(Z):
    return np.logaddexp(0.0, Z)


def d_softplus(Z):
    return 0.5 * (1 + np.tanh(Z / 2))


def d_softplus_wrong(Z):  # a sign slip in the exponent: 1 / (1 + e^z) is sigma(-z)
    return 1 / (1 + np.exp(Z))


def test_softplus_right(crosscheck):
    crosscheck.assert_activation(softplus, d_softplus, F.softplus)


def test_softplus_wrong(crosscheck):
    crosscheck.assert_activation(softplus, d_softplus_wrong, F.softplus)


def test_linear_layer(crosscheck):
    def forward(A_prev, W, b):
        return W @ A_prev + b

    def backward(dZ, A_prev, W, b):
        m = dZ.shape[1]
        return W.T @ dZ, dZ @ A_prev.T / m, dZ.sum(axis=1, keepdims=True) / m

    crosscheck.assert_layer(forward, backward, torch.nn.Linear(3, 2))


def test_mse_loss(crosscheck):
    def L(A, Y):
        return np.mean((A - Y) ** 2)

    def dL(A, Y):
        return 2 * (A - Y) / A.size

    crosscheck.assert_loss(L, dL, F.mse_loss, kind="real")
"""


def _installed_entry_point():
    """True when the installed distribution's pytest11 entry point already loads the plugin."""
    return any(ep.value == "crosscheck.pytest_plugin" for ep in importlib.metadata.entry_points(group="pytest11"))


def test_fixture_passes_right_code_and_fails_wrong_code_with_the_diagnosis(pytester):
    pytester.makepyfile(test_other_project=OTHER_PROJECT_TESTS)
    # Installed (make test's pip install -e), the entry point loads the plugin already and naming it again
    # with -p would register it twice; a checkout run without installing needs -p.
    load = [] if _installed_entry_point() else ["-p", "crosscheck.pytest_plugin"]
    result = pytester.runpytest(*load, "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*activation: your function disagrees with torch*",
            "*g'(Z): * elements disagree; first wrong element*your function*torch*",
            "*matches a typical mistake: g'(-z)*",
            "*FAILED test_other_project.py::test_softplus_wrong*",
        ]
    )
    assert "test_softplus_right PASSED" not in result.stdout.str()  # -v not given: only the summary
    assert "reference" not in "\n".join(line for line in result.outlines if "disagrees" in line)


def test_plugin_is_declared_under_the_pytest11_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["pytest11"] == {"crosscheck": "crosscheck.pytest_plugin"}
