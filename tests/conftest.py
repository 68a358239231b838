"""Shared pytest plugins of the suite."""

pytest_plugins = ["tests.device_option"]
