"""Calling a student's function on copies of a probe's arguments, with NumPy's warnings silenced."""

import warnings

import numpy as np


def call(fn, args):
    """The student's outputs on copies of args; overflow and invalid-value warnings silenced."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*(a.copy() for a in args))
