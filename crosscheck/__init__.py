"""The harness: cases, loading one set of weights into both implementations, convention mapping,
comparison, the case matrix, reports and the command line."""

from .derivation import check_derivation

__all__ = ["check_derivation"]
