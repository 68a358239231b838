"""The catalogue's cross-checks: each computes with the reference and with torch and returns {id: Finding}.

CHECKS maps a check's name (as the catalogue's `checks` lists it) to its function.
"""

from ._util import CHECKS
from . import doc001, doc003, doc004, forward, backward  # noqa: F401  (registration)

__all__ = ["CHECKS"]
