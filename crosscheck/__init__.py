"""The harness: cases, loading one set of weights into both implementations, convention mapping,
comparison, the case matrix, reports and the command line; and the public API (crosscheck.api)."""

__all__ = [
    "assert_activation",
    "assert_layer",
    "assert_loss",
    "assert_network",
    "check_activation",
    "check_derivation",
    "check_layer",
    "check_loss",
    "check_network",
    "grade_file",
    "judge_file",
]


def __getattr__(name):
    """The API, loaded at first use: it brings torch (about 1.5 s), which a process that only imports
    a crosscheck module, such as pytest's controller loading the plugin, never needs."""
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'crosscheck' has no attribute {name!r}")


def __dir__():
    return sorted({*globals(), *__all__})
