"""The harness: cases, loading one set of weights into both implementations, convention mapping,
comparison, the case matrix, reports and the command line."""


def check_derivation(target, fn, reduction="mean", dtype="float64", name=None):
    """Judge a student's derivative `fn` as `target`; see crosscheck.derivation (imports torch on call)."""
    from .derivation import check_derivation as check

    return check(target, fn, reduction=reduction, dtype=dtype, name=name)
