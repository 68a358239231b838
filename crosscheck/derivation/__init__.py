"""Checking a student's hand-derived derivative against autograd, the reference and finite differences."""

from .judge import check_derivation

__all__ = ["check_derivation"]
