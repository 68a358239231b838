"""Checking a student's hand-derived derivative against autograd, the reference and finite differences."""

from .judge import check_derivation
from .student import judge_file

__all__ = ["check_derivation", "judge_file"]
