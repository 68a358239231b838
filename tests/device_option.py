"""`pytest --device cpu|cuda|mps`: the device the torch twin runs on in the device-aware tests.

Registered from tests/conftest.py. Where the requested device is missing (no GPU on this machine),
the tests that take the `device` fixture are skipped with the reason, never failed.
"""

import pytest

from torch_impl import DEVICES


def pytest_addoption(parser):
    parser.addoption(
        "--device",
        default="cpu",
        choices=DEVICES,
        help="where the torch twin runs in the device-aware tests (default: cpu)",
    )


@pytest.fixture(scope="session")
def device(request):
    """The --device name; the test is skipped, with the reason, where torch cannot run on it here."""
    from torch_impl import runtime  # here: the option is registered in pytest's controller too, which needs no torch

    name = request.config.getoption("--device")
    ok, why = runtime.available(name)
    if not ok:
        pytest.skip(f"--device {name}: {why}")
    return name
