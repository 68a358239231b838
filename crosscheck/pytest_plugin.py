"""The pytest plugin (entry point group pytest11): a fixture `crosscheck` for checking your code against torch.

    def test_softplus(crosscheck):
        crosscheck.assert_activation(softplus, d_softplus, torch.nn.functional.softplus)

Installed with the package, pytest loads it by itself; without installing, `pytest -p crosscheck.pytest_plugin`.
"""

from types import SimpleNamespace

import pytest

# What the fixture hands out: the assert_* helpers, and the check_* ones for a result without raising.
FIXTURE_NAMES = (
    "assert_activation",
    "assert_loss",
    "assert_layer",
    "assert_network",
    "check_activation",
    "check_loss",
    "check_layer",
    "check_network",
    "check_derivation",
)


@pytest.fixture
def crosscheck():
    """crosscheck.assert_activation / assert_loss / assert_layer / assert_network: AssertionError with the diagnosis."""
    from . import api  # here, not at the top: pytest loads the plugin in processes that never use it

    return SimpleNamespace(**{name: getattr(api, name) for name in FIXTURE_NAMES})
