"""The examiner's probes for `crosscheck derivation` and the three opinions on each.

A probe is one call of the student's function: its arguments (column layout, in the student's
dtype) and, for every output, what PyTorch autograd, the reference and central finite
differences (float64) say it should be, with each element's term scale and region. Probes are
written by hand around the places where derivations go wrong (kinks, saturation, probabilities
near 0 and 1, m = 1, square layers where a transpose hides) and filled with seeded draws.
"""

import functools
import zlib
from dataclasses import dataclass, field

import numpy as np

from reference import activations as act
from reference import losses, network
from torch_impl import derivatives as torch_derivatives

from . import convention
from .derivation_targets import OPINIONS, TARGETS  # noqa: F401 (re-exported)
from .tolerances import FD_TRUST

SLOPE, ALPHA = 0.01, 1.0  # leaky ReLU slope and ELU alpha: the documents' values and torch's defaults
KINKED = {"relu", "leaky_relu", "elu"}  # elementwise activations with a kink at z = 0
# Central differences: h = eps^(1/3) * scale balances truncation (h^2) and rounding (eps / h).
FD_STEP = float(np.finfo(np.float64).eps) ** (1 / 3)
# Hand-picked z for activations: the kink, either side of it (far and very near), moderate and saturated.
Z_GRID = (0.0, 1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 5.0, -5.0, 12.0, -12.0, 20.0, -20.0, 35.0, -35.0)
# Probabilities "near 0 and 1" and saturated logits, per dtype: as extreme as the dtype still
# represents strictly inside (0, 1) (in float32 sigma(17) is already 1.0). float64 stops at 1e-10
# because torch's BCELoss backward clamps a(1 - a) at 1e-12.
NEAR_EDGE = {"float64": 1e-10, "float32": 1e-6}
SATURATED = {"float64": 30.0, "float32": 12.0}

@dataclass
class Probe:
    """One call of the student's function and everything needed to judge its answer.

    For each output o: opinions[name][o] (float64), fd_error[o] (estimated error of the finite
    difference, NaN where it abstains), fd_skip[o] ("" or why it abstains), scale[o] (term scale),
    regions[o] (a label per element, or None), labels[o](index) describing an element's inputs.
    """

    label: str
    args: tuple
    opinions: dict
    fd_error: tuple
    fd_skip: tuple
    scale: tuple
    regions: tuple
    labels: tuple
    # Known mistakes a teacher would recognise: name -> tuple of arrays (None where not defined).
    mistakes: dict = field(default_factory=dict)
    dims: dict = field(default_factory=dict)  # n, m (and n_prev) of this probe, for naming factors


def rng_for(target, dtype):
    """Seeded by the target and dtype alone, so probes are the same in any order on any worker."""
    return np.random.default_rng(zlib.crc32(f"{target}/{dtype}".encode()))


def as_dtype(array, dtype):
    """The student's copy in `dtype`, and the float64 value of exactly that copy for the opinions."""
    student = np.asarray(array, dtype=dtype)
    return student, student.astype(np.float64)


# --- finite differences ------------------------------------------------------------------------

def _central(F, X, h, rows=None, size=0.0):
    """(F(X + H) - F(X - H)) / ((X + H) - (X - H)) and its rounding bound eps (|F+| + |F-| + 2 size) / 2H.

    The step actually taken is (X + H) - (X - H), exact in floating point, not 2H. `size` is the
    magnitude of the intermediate terms F rounds (e.g. 1 for log(1 - a), whose argument rounds
    in absolute terms), where that exceeds |F|. With `rows`, one row is perturbed at a time and
    F returns one value per column.
    """
    eps = np.finfo(np.float64).eps
    if rows is None:
        up, down = X + h, X - h
        Fu, Fd = F(up), F(down)
        return (Fu - Fd) / (up - down), eps * (np.abs(Fu) + np.abs(Fd) + 2 * size) / (up - down)
    D, R = np.empty_like(X), np.empty_like(X)
    for k in range(X.shape[0]):  # a loop over units: every column (example) moves at once
        up, down = X.copy(), X.copy()
        up[k] += h[k]
        down[k] -= h[k]
        Fu, Fd = F(up).ravel(), F(down).ravel()
        D[k] = (Fu - Fd) / (up[k] - down[k])
        R[k] = eps * (np.abs(Fu) + np.abs(Fd) + 2 * np.ravel(size)) / (up[k] - down[k])
    return D, R


def finite_difference(F, X, h, rows=None, size=0.0):
    """Central difference with step h and its error estimate |D(h) - D(2h)| + rounding (see tolerances)."""
    D, R = _central(F, X, h, rows, size)
    return D, np.abs(D - _central(F, X, 2 * h, rows, size)[0]) + R


def _abstain(D, err, scale, skip):
    """Blank the differences that are too inaccurate to judge, saying why."""
    skip = np.where((skip == "") & ~(err <= FD_TRUST * scale), "ill-conditioned", skip)
    bad = skip != ""
    return np.where(bad, np.nan, D), np.where(bad, np.nan, err), skip


# --- probes per kind -----------------------------------------------------------------------------

def _z_label(Z):
    return lambda index: f"z = {Z[index]:.6g}"


def _elementwise_probes(name, dtype):
    rng = rng_for(name, dtype)
    grid = np.concatenate([Z_GRID, rng.normal(0, 3, 28 - len(Z_GRID))]).reshape(4, 7)

    def with_zeros(Z, count):
        Z.flat[rng.choice(Z.size, count, replace=False)] = 0.0
        return Z

    shapes = [
        ("grid: kink, near it, moderate, saturated (4x7)", grid),
        ("one example, m = 1 (5x1)", with_zeros(rng.normal(0, 2, (5, 1)), 1)),
        ("square (4x4)", with_zeros(rng.normal(0, 3, (4, 4)), 2)),
        ("wide (3x8)", with_zeros(rng.uniform(-6, 6, (3, 8)), 2)),
    ]
    g, g_prime = act.ELEMENTWISE[name]
    probes = []
    for label, Z0 in shapes:
        Zs, Z = as_dtype(Z0, dtype)
        h = FD_STEP * np.maximum(1.0, np.abs(Z))
        skip = np.full(Z.shape, "", dtype=object)
        if name in KINKED:
            # Keep both steps (h and 2h) on one side of the kink; exactly at it there is no derivative.
            h = np.where(Z != 0, np.minimum(h, np.abs(Z) / 4), h)
            skip[Z == 0] = "kink"
        D, err = finite_difference(g, Z, h)
        scale = np.maximum(1.0, np.abs(g_prime(Z)))
        D, err, skip = _abstain(D, err, scale, skip)
        if name in KINKED or name == "identity":
            regions = np.where(Z < 0, "z < 0", np.where(Z > 0, "z > 0", "z = 0 (the kink)"))
        else:
            regions = np.where(np.abs(Z) > 5, "|z| > 5 (saturated)", "|z| <= 5")
        mistakes = {"g(z) itself instead of g'(z)": (g(Z),)}
        if name == "sigmoid":
            mistakes["g(z)(1 - g(z)) with z in place of g(z): z(1 - z)"] = (Z * (1 - Z),)
            s = g(Z)
            mistakes["g(z)(1 + g(z)): a sign slip in (1 - g(z))"] = (s * (1 + s),)
        if name == "tanh":
            mistakes["1 - z^2: tanh(z) replaced by z"] = (1 - Z * Z,)
            mistakes["1 - tanh(z): the square is missing"] = (1 - g(Z),)
        probes.append(Probe(
            label, (Zs,),
            {"PyTorch autograd": (convention.rows_to_columns(torch_derivatives.activation_prime(name, convention.columns_to_rows(Z), SLOPE, ALPHA)),),
             "reference": (g_prime(Z),),
             "finite differences": (D,)},
            (err,), (skip,), (scale,), (regions,), (_z_label(Z),), mistakes, {"n": Z.shape[0], "m": Z.shape[1]},
        ))
    return probes


def _softmax_probes(dtype):
    rng = rng_for("softmax", dtype)
    sat = SATURATED[dtype]
    square = rng.normal(0, 2, (5, 5))
    square[0, 1], square[3, 4] = sat, sat  # two near one-hot columns: probabilities near 0 and 1
    shapes = [
        ("moderate (4x5)", rng.normal(0, 1.5, (4, 5))),
        ("one example, m = 1 (3x1)", rng.normal(0, 1.5, (3, 1))),
        ("square with saturated columns (5x5)", square),
        ("two classes (2x6)", rng.normal(0, 3, (2, 6))),
    ]
    probes = []
    for label, Z in shapes:
        # A random upstream gradient: an all-ones dA gives dZ = 0 and hides every mistake.
        dAs, dA = as_dtype(rng.normal(0, 1, Z.shape), dtype)
        As, A = as_dtype(act.softmax(Z), dtype)
        # The opinions from Z see softmax(Z); the student's A is that rounded to dtype (within its rtol).
        D, err = finite_difference(lambda Zp: np.sum(dA * act.softmax(Zp), axis=0, keepdims=True), Z,
                                   FD_STEP * np.maximum(1.0, np.abs(Z)), rows=True,
                                   size=np.sum(np.abs(dA) * A, axis=0))
        scale = A * (np.abs(dA) + np.sum(A * np.abs(dA), axis=0, keepdims=True))
        D, err, skip = _abstain(D, err, scale, np.full(Z.shape, "", dtype=object))
        probes.append(Probe(
            label, (dAs, As),
            {"PyTorch autograd": (convention.rows_to_columns(torch_derivatives.softmax_backward(convention.columns_to_rows(Z), convention.columns_to_rows(dA))),),
             "reference": (act.softmax_backward(dA, A),),
             "finite differences": (D,)},
            (err,), (skip,), (scale,), (None,),
            (lambda i, A=A, dA=dA: f"a = {A[i]:.4g}, dA = {dA[i]:.4g}",),
            {"the diagonal of the Jacobian only: dA * A * (1 - A)": (dA * A * (1 - A),),
             "A * (dA - sum(dA)): the sum is missing its weights A": (A * (dA - dA.sum(axis=0, keepdims=True)),)},
            {"n": Z.shape[0], "m": Z.shape[1]},
        ))
    return probes


def _one_hot(rng, n, m):
    Y = np.zeros((n, m))
    Y[rng.integers(0, n, m), np.arange(m)] = 1.0
    return Y


def _loss_data(name, dtype, rng):
    """(label, AL, Y) for a loss; AL column distributions for cce."""
    p = NEAR_EDGE[dtype]
    if name == "bce":
        edges = np.array([[p, p, 1 - p, 1 - p, 0.5], [1 - p, p, 0.5, p, 1 - p]])
        return [
            ("moderate (1x6)", rng.uniform(0.05, 0.95, (1, 6)), np.array([[0, 1, 0, 1, 1, 0.0]])),
            ("one example, m = 1 (1x1)", np.array([[0.3]]), np.array([[1.0]])),
            ("multi-label (3x4)", rng.uniform(0.05, 0.95, (3, 4)), rng.integers(0, 2, (3, 4)).astype(float)),
            (f"probabilities near 0 and 1 ({p:g}) (2x5)", edges, np.array([[0, 1, 0, 1, 1], [1, 0, 1, 1, 0.0]])),
        ]
    if name == "cce":
        edge = np.full((5, 5), p / 4)
        edge[np.arange(5), [0, 1, 2, 3, 4]] = 1 - p  # near-one on the diagonal
        soft = rng.dirichlet(np.ones(3), 4).T
        return [
            ("moderate (4x5)", act.softmax(rng.normal(0, 1.5, (4, 5))), _one_hot(rng, 4, 5)),
            ("one example, m = 1 (3x1)", act.softmax(rng.normal(0, 1.5, (3, 1))), _one_hot(rng, 3, 1)),
            (f"probabilities near 0 and 1 ({p / 4:g}) (5x5)", edge, np.eye(5)[:, [0, 3, 2, 1, 4]]),
            ("soft labels (3x4)", act.softmax(rng.normal(0, 1.5, (3, 4))), soft),
        ]
    return [  # mse, sse: any real outputs
        ("moderate (3x4)", rng.normal(0, 1, (3, 4)), rng.normal(0, 1, (3, 4))),
        ("one output, n = 1 (1x5)", rng.normal(0, 1, (1, 5)), rng.normal(0, 1, (1, 5))),
        ("one example, m = 1 (5x1)", rng.normal(0, 1, (5, 1)), rng.normal(0, 1, (5, 1))),
        ("square, large values (4x4)", rng.normal(0, 30, (4, 4)), rng.normal(0, 30, (4, 4))),
    ]


def _loss_probes(name, dtype):
    rng = rng_for(name, dtype)
    probes = []
    for label, AL0, Y0 in _loss_data(name, dtype, rng):
        ALs, AL = as_dtype(AL0, dtype)
        Ys, Y = as_dtype(Y0, dtype)
        n = AL.shape[0]
        if name == "bce":
            h = FD_STEP * np.minimum(AL, 1 - AL)  # stay inside (0, 1)
            scale = np.abs(1 - Y) / (1 - AL) + np.abs(Y) / AL
        elif name == "cce":
            h = FD_STEP * AL
            scale = 1 / AL  # the one term -y/a has |y| <= 1: a nonzero scale also where y = 0
        else:
            h = FD_STEP * np.maximum(1.0, np.abs(AL))
            scale = (2 / n if name == "mse" else 2) * (np.abs(AL) + np.abs(Y))
        size = 1.0 if name in ("bce", "cce") else np.sum((np.abs(AL) + np.abs(Y)) ** 2, axis=0)
        D, err = finite_difference(lambda A: losses.per_example(A, Y, name), AL, h, rows=True, size=size)
        D, err, skip = _abstain(D, err, scale, np.full(AL.shape, "", dtype=object))
        regions = None
        if name == "bce":
            regions = np.where(Y == 1, "y = 1", "y = 0")
        elif name == "cce":
            regions = np.where(Y > 0, "y > 0", "y = 0")
        mistakes = {}
        if name == "bce":
            mistakes["y/a - (1 - y)/(1 - a): the derivative of the log-likelihood, not of the loss"] = (Y / AL - (1 - Y) / (1 - AL),)
            mistakes["A[L] - Y: that is dZ[L] (through the sigmoid), not dA[L]"] = (AL - Y,)
        if name == "cce":
            mistakes["A[L] - Y: that is dZ[L] (through the softmax), not dA[L]"] = (AL - Y,)
            mistakes["-1 / A[L]: the label y is missing (right only where y = 1)"] = (-1 / AL,)
        probes.append(Probe(
            label, (ALs, Ys),
            {"PyTorch autograd": (convention.rows_to_columns(torch_derivatives.loss_prime(name, convention.columns_to_rows(AL), convention.columns_to_rows(Y))),),
             "reference": (losses.derivative(AL, Y, name),),
             "finite differences": (D,)},
            (err,), (skip,), (scale,), (regions,),
            (lambda i, AL=AL, Y=Y: f"a = {AL[i]:.6g}, y = {Y[i]:.4g}",), mistakes, {"n": n, "m": AL.shape[1]},
        ))
    return probes


def _fused_probes(name, dtype):
    rng = rng_for(name, dtype)
    sat = SATURATED[dtype]
    output, loss = {"sigmoid_bce": ("sigmoid", "bce"), "softmax_cce": ("softmax", "cce")}[name]
    if output == "sigmoid":
        data = [
            ("moderate (1x6)", rng.normal(0, 2, (1, 6)), np.array([[0, 1, 0, 1, 1, 0.0]])),
            ("one example, m = 1 (1x1)", np.array([[-0.7]]), np.array([[1.0]])),
            ("multi-label (3x4)", rng.normal(0, 2, (3, 4)), rng.integers(0, 2, (3, 4)).astype(float)),
            (f"saturated, z = +-{sat:g} (2x4)", np.array([[sat, sat, -sat, -sat], [-sat, 0.0, sat, 1.0]]), np.array([[0, 1, 0, 1], [1, 1, 0, 0.0]])),
        ]
    else:
        square = rng.normal(0, 2, (5, 5))
        square[0, 1], square[3, 4] = sat, -sat
        data = [
            ("moderate (4x5)", rng.normal(0, 1.5, (4, 5)), _one_hot(rng, 4, 5)),
            ("one example, m = 1 (3x1)", rng.normal(0, 1.5, (3, 1)), _one_hot(rng, 3, 1)),
            ("square with saturated columns (5x5)", square, np.eye(5)[:, [0, 0, 2, 3, 1]]),
            ("soft labels (3x4)", rng.normal(0, 1.5, (3, 4)), rng.dirichlet(np.ones(3), 4).T),
        ]
    probes = []
    for label, Z, Y0 in data:
        ALs, AL = as_dtype(act.forward(output, Z), dtype)
        Ys, Y = as_dtype(Y0, dtype)
        m = Z.shape[1]
        cache = {"A_prev": np.zeros((1, m)), "W": np.zeros((Z.shape[0], 1)), "b": np.zeros((Z.shape[0], 1)),
                 "Z": Z, "A": AL, "activation": output}
        # The reference network's own dZ[L] for a one-layer network whose cache holds this Z[L], A[L].
        reference = network.backward(AL, Y, [cache], loss, "sum")["dZ1"]
        D, err = finite_difference(lambda Zp: losses.per_example(act.forward(output, Zp), Y, loss), Z,
                                   FD_STEP * np.maximum(1.0, np.abs(Z)), rows=True, size=1.0)
        scale = np.abs(AL) + np.abs(Y)
        D, err, skip = _abstain(D, err, scale, np.full(Z.shape, "", dtype=object))
        regions = np.where(Y == 1, "y = 1", "y = 0") if output == "sigmoid" else np.where(Y > 0, "y > 0", "y = 0")
        probes.append(Probe(
            label, (ALs, Ys),
            {"PyTorch autograd": (convention.rows_to_columns(torch_derivatives.fused_prime(loss, convention.columns_to_rows(Z), convention.columns_to_rows(Y))),),
             "reference": (reference,),
             "finite differences": (D,)},
            (err,), (skip,), (scale,), (regions,),
            (lambda i, AL=AL, Y=Y, Z=Z: f"z = {Z[i]:.4g}, a = {AL[i]:.6g}, y = {Y[i]:.4g}",),
            {"dA[L] (the loss derivative) instead of dZ[L]": (losses.derivative(AL, Y, loss),),
             "dA[L] * A * (1 - A): the chain through only the diagonal of the output's Jacobian": (-Y * (1 - AL),)},
            {"n": Z.shape[0], "m": m},
        ))
    return probes


def _linear_probes(dtype, reduction):
    rng = rng_for("linear", dtype)
    shapes = [  # (n[l], n[l-1], m)
        ("non-square layer 3x4, m = 5", 3, 4, 5),
        ("square layer 4x4, m = 3", 4, 4, 3),
        ("one example, m = 1, layer 2x3", 2, 3, 1),
        ("square layer 5x5, m = 6", 5, 5, 6),
        ("one unit, layer 1x3, m = 4", 1, 3, 4),
    ]
    probes = []
    for label, n, n_prev, m in shapes:
        dZs, dZ = as_dtype(rng.normal(0, 1, (n, m)), dtype)
        As, A_prev = as_dtype(rng.normal(0, 1, (n_prev, m)), dtype)
        Ws, W = as_dtype(rng.normal(0, 1, (n, n_prev)), dtype)
        bs, b = as_dtype(rng.normal(0, 1, (n, 1)), dtype)
        gA, gW, gb = torch_derivatives.linear_backward(convention.columns_to_rows(dZ), convention.columns_to_rows(A_prev), W, b, reduction)
        k = convention.per_example_factor(reduction, m)
        torch_opinion = (k * convention.rows_to_columns(gA), gW, convention.bias_to_column(gb))

        def J(A_, W_, b_):
            return losses.reduce(np.sum(dZ * network.linear_forward(A_, W_, b_), axis=0), reduction)

        fds, errs, skips = [], [], []
        size = losses.reduce(np.sum(np.abs(dZ) * (np.abs(W) @ np.abs(A_prev) + np.abs(b)), axis=0), reduction)
        scales = network.linear_backward(np.abs(dZ), np.abs(A_prev), np.abs(W), reduction)
        for which, X in enumerate((A_prev, W, b)):
            D, err = np.empty_like(X), np.empty_like(X)
            h = FD_STEP * np.maximum(1.0, np.abs(X))
            for index in np.ndindex(X.shape):  # a loop over the parameter's entries: J is one number
                def F(x, index=index, which=which):
                    args = [A_prev, W, b]
                    args[which] = X.copy()
                    args[which][index] = x[0]
                    return np.array([J(*args)])
                D[index], err[index] = (v[0] for v in finite_difference(F, np.array([X[index]]), np.array([h[index]]), size=size))
            if which == 0:
                D, err = k * D, k * err  # per-example dA_prev, as the documents write it
            D, err, skip = _abstain(D, err, scales[which], np.full(X.shape, "", dtype=object))
            fds.append(D), errs.append(err), skips.append(skip)
        mistakes = {}
        if n == n_prev:
            mistakes["dA_prev = W dZ: W is not transposed"] = (W @ dZ, None, None)
        labels = (lambda i: "", ) * 3  # the element index says it all
        probes.append(Probe(
            label, (dZs, As, Ws, bs),
            {"PyTorch autograd": torch_opinion,
             "reference": network.linear_backward(dZ, A_prev, W, reduction),
             "finite differences": tuple(fds)},
            tuple(errs), tuple(skips), tuple(scales), (None, None, None), labels, mistakes,
            {"n": n, "n_prev": n_prev, "m": m},
        ))
    return probes


@functools.lru_cache(maxsize=64)
def probes_for(target, dtype="float64", reduction="mean"):
    """The probes for a target name, in the student's dtype (and reduction, for linear)."""
    kind = TARGETS[target].kind
    if kind == "elementwise":
        return _elementwise_probes(target, dtype)
    if kind == "softmax":
        return _softmax_probes(dtype)
    if kind == "loss":
        return _loss_probes(target, dtype)
    if kind == "fused":
        return _fused_probes(target, dtype)
    return _linear_probes(dtype, reduction)
