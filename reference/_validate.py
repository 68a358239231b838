"""Input checks for the public reference API: each failure is a ValueError naming the argument,
what was expected and what came."""

import numpy as np

# dtype kinds of real numbers: float, signed and unsigned integer (not bool "b", complex "c", object "O").
# A kind test, not np.issubdtype: these checks run at every call of the reference, every training step.
REAL = ("f", "i", "u")


def as_matrix(name, value, *, rows=None, cols=None):
    """Return `value` as a finite 2-D floating array, or raise ValueError saying what is wrong."""
    try:
        array = np.asarray(value)
    except Exception as exc:  # ragged lists and the like
        raise ValueError(f"{name}: expected a 2-D numeric array, got {type(value).__name__} ({exc})") from None
    if array.dtype.kind not in REAL:
        raise ValueError(f"{name}: expected a real numeric array, got dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(
            f"{name}: expected a 2-D array in the column layout (features x examples), got shape {array.shape}"
        )
    if array.size == 0:  # no feature or no example: a mean of nothing is nan, a max of nothing an error
        raise ValueError(f"{name}: expected at least one row and one column (example), got shape {array.shape}")
    if array.dtype.kind != "f":
        array = array.astype(np.float64)
    if rows is not None and array.shape[0] != rows:
        raise ValueError(f"{name}: expected {rows} rows, got shape {array.shape}")
    if cols is not None and array.shape[1] != cols:
        raise ValueError(f"{name}: expected {cols} columns, got shape {array.shape}")
    if not np.isfinite(array).all():
        bad = np.argwhere(~np.isfinite(array))[0]
        raise ValueError(
            f"{name}: expected finite values, got {array[tuple(bad)]} at index {tuple(int(i) for i in bad)}"
        )
    return array


def is_whole(value):
    """An int or a NumPy integer (np.int64 from an array), not a bool."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def real_of_shape(name, value, shape):
    """A real numeric array of exactly `shape` (finite or not)."""
    array = np.asarray(value)
    if array.dtype.kind not in REAL or array.shape != tuple(shape):
        raise ValueError(
            f"{name}: expected a real array of shape {tuple(shape)}, got dtype {array.dtype}, shape {array.shape}"
        )
    return array


def finite_array(name, value):
    """A finite real array of any shape (per-example losses may come as a row or a vector)."""
    array = np.asarray(value)
    if array.dtype.kind not in REAL:
        raise ValueError(f"{name}: expected a real numeric array, got dtype {array.dtype}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name}: expected finite values, got {array[~np.isfinite(array)].flat[0]}")
    return array


def finite_number(name, value):
    """A finite real number (an activation's parameter), as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name}: expected a finite number, got {type(value).__name__} {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value!r}")
    return float(value)


def non_negative(name, value):
    """A finite real number >= 0 (a regularization strength, a learning rate), as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name}: expected a finite number >= 0, got {type(value).__name__} {value!r}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name}: expected a finite number >= 0, got {value!r}")
    return float(value)


def same_shape(name_a, a, name_b, b):
    if a.shape != b.shape:
        raise ValueError(f"{name_b}: expected the shape of {name_a} {a.shape}, got {b.shape}")


def choice(kind, name, allowed):
    if name not in allowed:
        raise ValueError(f"unknown {kind} {name!r}: expected one of {', '.join(sorted(allowed))}")


def binary_labels(name, Y):
    bad = ~((Y == 0) | (Y == 1))
    if np.any(bad):
        values = np.unique(Y[bad])[:5]
        raise ValueError(f"{name}: bce expects labels in {{0, 1}}, got {values.tolist()}")


def distribution_columns(name, Y):
    """Each column of Y must be a probability vector (one-hot is the usual case)."""
    tol = 1e-6 if Y.dtype == np.float64 else 1e-4
    if np.any(Y < 0) or np.any(np.abs(Y.sum(axis=0) - 1) > tol):
        sums = Y.sum(axis=0)
        worst = int(np.argmax(np.abs(sums - 1) + (Y < 0).any(axis=0)))
        raise ValueError(
            f"{name}: cce expects each column to be one-hot or a probability vector "
            f"(non-negative, summing to 1), column {worst} is {Y[:, worst].tolist()}"
        )


def open_unit_interval(name, AL, loss):
    if np.any(AL <= 0) or np.any(AL >= 1):
        raise ValueError(
            f"{name}: {loss} expects predictions strictly inside (0, 1) (a saturated output "
            f"makes log(0)), got values in [{AL.min()}, {AL.max()}]"
        )
