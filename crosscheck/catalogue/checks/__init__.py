"""The catalogue's cross-checks: each computes with the reference and with torch and returns {id: Finding}.

CHECKS maps a check's name (as the catalogue's `checks` lists it) to its function; every module
lists its own checks in its CHECKS tuple.
"""

from . import backward, citations, claims, counts, doc001, doc003, doc004, forward, worked_examples

MODULES = (forward, backward, doc001, doc003, doc004, citations, claims, counts, worked_examples)
CHECKS = {check.__name__: check for module in MODULES for check in module.CHECKS}

__all__ = ["CHECKS"]
