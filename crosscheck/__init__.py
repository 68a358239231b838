"""The harness: cases, loading one set of weights into both implementations, convention mapping,
comparison, the case matrix, reports and the command line; and the public API (crosscheck.api)."""

from .api import (
    assert_activation,
    assert_layer,
    assert_loss,
    assert_network,
    check_activation,
    check_derivation,
    check_layer,
    check_loss,
    check_network,
    grade_file,
    judge_file,
)

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
