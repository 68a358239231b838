"""Your activation, loss, layer or network against torch autograd: run both on the draws, compare.

Each check returns an OwnResult: ok, and where not ok the diagnosis, naming the first quantity that
went wrong (value before derivative, output layer before the first), its first wrong element, both
values and what the mistake looks like. Your code raising is a disagreement, said in words.
"""

from dataclasses import dataclass, field

import numpy as np

from reference._validate import is_whole
from torch_impl import user
from torch_impl.twin import Twin

from ..core import convention
from ..core.echo import cut, echoed, printable
from ..core.ops import ACTIVATIONS, LOSSES, REDUCTIONS
from ..core.tolerances import tolerance_for
from ..derivation.child import call
from . import draws
from .verdict import compare, elementwise_scale, normwise_scale

DOC_NAMES = {"weight": "W", "bias": "b"}  # torch's parameter names as the documents write them
RTOL = tolerance_for("float64").rtol  # your functions and torch both run in float64


@dataclass
class OwnResult:
    """The verdict on your code: ok, and the diagnosis when not."""

    what: str
    ok: bool = True
    diagnosis: list = field(default_factory=list)
    checked: list = field(default_factory=list)  # the draws' labels

    def fail(self, label, lines):
        self.ok = False
        self.diagnosis += [f"on '{label}': {lines[0]}", *lines[1:]]

    @property
    def message(self):
        if self.ok:
            return f"{self.what}: your function agrees with torch on {len(self.checked)} draws"
        return "\n".join([f"{self.what}: your function disagrees with torch", *[f"  - {d}" for d in self.diagnosis]])


def _run(fn, args):
    """(outputs, None) or (None, the exception in words)."""
    try:
        return call(fn, args), None
    except (Exception, SystemExit) as exc:  # your function failing on an input (or leaving) is a disagreement
        return None, f"your function raised {type(exc).__name__}: {exc}"


def _arguments(seed, **functions):
    """ValueError naming an argument that is not a callable, or a seed that is not a whole number >= 0
    (your function missing is bad usage, not a disagreement of yours)."""
    for name, fn in functions.items():
        if not callable(fn):
            raise ValueError(f"{name}: expected a callable, got {echoed(fn)}")
    if not is_whole(seed) or seed < 0:
        raise ValueError(f"seed: expected a whole number >= 0, got {echoed(seed)}")


def _torch_side(name, helper, *args):
    """helper(*args), a torch_impl.user helper running your torch reference; ValueError naming `name`
    where that reference raises: it, not your NumPy code, failed (bad usage, not a disagreement)."""
    try:
        return helper(*args)
    except user.NotUsable:
        raise  # the helper's own, naming the argument already
    except Exception as exc:  # noqa: BLE001 - whatever your torch code raises
        said = printable(cut(f"{type(exc).__name__}: {exc}", 200))
        what = "a torch module" if name == "torch_module" else "a torch function of tensors"
        raise ValueError(f"{name}: expected {what}, got one that raised {said}") from exc


def check_activation(g, g_prime, torch_g, seed=draws.SEED):
    """g(Z) against torch_g(Z) and g_prime(Z) against autograd's derivative, elementwise (torch_g
    must be, and autograd must follow it: user.elementwise_derivative checks both)."""
    _arguments(seed, g=g, g_prime=g_prime, torch_g=torch_g)
    result = OwnResult("activation")
    for label, Z in draws.activation_inputs(seed):
        result.checked.append(label)
        A, dZ = _torch_side("torch_g", user.elementwise_derivative, torch_g, Z)
        _, dZ_flipped = _torch_side("torch_g", user.elementwise_derivative, torch_g, -Z)
        describe = lambda i, Z=Z: f"z = {Z[i]:.6g}"
        where = lambda i, Z=Z: draws.region(Z[i])
        for quantity, fn, want, mistakes in (
            ("g(Z)", g, A, {}),
            (
                "g'(Z)",
                g_prime,
                dZ,
                {
                    "g(z) itself instead of g'(z)": A,
                    "g'(-z): the sign of z slipped (e^z where e^-z belongs)": dZ_flipped,
                },
            ),
        ):
            got, problem = _run(fn, (Z,))
            lines = [f"{quantity}: {problem}"] if problem else None
            lines = lines or compare(
                quantity, got, want, scale=elementwise_scale, rtol=RTOL, describe=describe, mistakes=mistakes,
                where=where, dims={"n": Z.shape[0], "m": Z.shape[1]},
            )  # fmt: skip
            if lines:
                result.fail(label, lines)
                return result
    return result


LOSS_KINDS = ("binary", "categorical", "real")


def check_loss(L, dL, torch_loss, kind="binary", seed=draws.SEED):
    """L(A, Y) against torch_loss(A, Y) and dL(A, Y) against autograd's dL/dA, on the same arrays."""
    _arguments(seed, L=L, dL=dL, torch_loss=torch_loss)
    result = OwnResult(f"loss ({kind})")
    for label, A, Y in draws.loss_inputs(kind, seed):
        result.checked.append(label)
        J, dA = _torch_side("torch_loss", user.loss_vjp, torch_loss, A, Y)
        describe = lambda i, A=A, Y=Y: f"a = {A[i]:.6g}, y = {Y[i]:.6g}" if i else "the loss value"
        dims = {"n": A.shape[0], "m": A.shape[1], "n * m": A.size}
        for quantity, fn, want in (("L(A, Y)", L, np.array(J)), ("dL/dA", dL, dA)):
            got, problem = _run(fn, (A, Y))
            lines = [f"{quantity}: {problem}"] if problem else None
            lines = lines or compare(quantity, got, want, scale=normwise_scale, rtol=RTOL, describe=describe, dims=dims)
            if lines:
                result.fail(label, lines)
                return result
    return result


def check_layer(forward, backward, torch_module, reduction="mean", seed=draws.SEED):
    """forward(A_prev, *params) -> Z and backward(dZ, A_prev, *params) -> (dA_prev, *dparams).

    The documents' convention: column layout, params in the module's order (a 1-D bias as a column),
    dZ and dA_prev per example, dW and db derivatives of J = reduce(sum(dZ * Z)) (1/m under "mean").
    """
    _arguments(seed, forward=forward, backward=backward, torch_module=torch_module)
    if not hasattr(torch_module, "named_parameters"):
        raise ValueError(f"torch_module: expected a torch.nn.Module such as nn.Linear, got {echoed(torch_module)}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction: expected one of {', '.join(REDUCTIONS)}, got {reduction!r}")
    shapes = user.parameter_shapes(torch_module)
    if any(len(s) not in (1, 2) for s in shapes.values()):  # a convolution's 3-D weight was read as a bias
        raise ValueError(
            f"torch_module: expected a layer of 2-D weights and 1-D biases such as nn.Linear, got {shapes}"
        )
    shapes = {k: (s if len(s) == 2 else (s[0], 1)) for k, s in shapes.items()}
    weight = shapes.get("weight")
    if weight is None:
        raise ValueError("torch_module: expected a layer with a 2-D `weight` (n x n_prev), such as nn.Linear")
    result = OwnResult(f"layer {type(torch_module).__name__}")
    for label, A_prev, params, dZ in draws.layer_inputs(weight[1], weight[0], shapes, seed):
        result.checked.append(label)
        m = A_prev.shape[1]
        k = convention.per_example_factor(reduction, m)
        # J = reduce(sum(dZ * Z)): autograd's upstream is dZ / k, and its dA_prev is k times too small.
        Z, dX, dparams = _torch_side(
            "torch_module",
            user.module_vjp,
            torch_module,
            params,
            convention.columns_to_rows(A_prev),
            convention.columns_to_rows(dZ) / k,
        )
        names = list(params)
        wants = [("Z", convention.rows_to_columns(Z)), ("dA_prev", k * convention.rows_to_columns(dX))]
        wants += [(f"d{DOC_NAMES.get(n, n)}", dparams[n].reshape(shapes[n])) for n in names]
        describe = lambda i: ""
        dims = {"m": m, "n": weight[0], "n_prev": weight[1]}
        values = [params[n] for n in names]
        got_Z, problem = _run(forward, (A_prev, *values))
        got_back, problem_back = _run(backward, (dZ, A_prev, *values)) if not problem else (None, None)
        problem = problem or problem_back
        if not problem and (not isinstance(got_back, tuple | list) or len(got_back) != 1 + len(names)):
            problem = f"backward returned {type(got_back).__name__}, expected a tuple (dA_prev, {', '.join('d' + DOC_NAMES.get(n, n) for n in names)})"
        if problem:
            result.fail(label, [problem])
            return result
        for (quantity, want), got in zip(wants, [got_Z, *got_back]):
            lines = compare(quantity, got, want, scale=normwise_scale, rtol=RTOL, describe=describe, dims=dims)
            if lines:
                result.fail(label, lines)
                return result
    return result


def check_network(forward, backward, sizes, activations, loss, reduction="mean", seed=draws.SEED):
    """forward(X, params) -> (AL, caches) and backward(AL, Y, caches) -> {"dW1", "db1", ...}.

    torch's twin of the same network (registered activations and loss, J the mean or sum of L(i))
    gives AL and every dW[l], db[l]; they are judged in chain order, from the output layer back, and
    the first wrong quantity is named.
    """
    _arguments(seed, forward=forward, backward=backward)
    if np.ndim(sizes) != 1 or len(sizes) < 2 or not all(is_whole(n) and n > 0 for n in sizes):
        raise ValueError(f"sizes: expected layer sizes n[0], ..., n[L], whole numbers > 0, got {echoed(sizes)}")
    sizes = [int(n) for n in sizes]
    if not isinstance(activations, (list, tuple)):  # a string was read letter by letter
        raise ValueError(f"activations: expected a list of names, one per layer, got {echoed(activations)}")
    if len(activations) != len(sizes) - 1:
        raise ValueError(
            f"activations: expected {len(sizes) - 1}, one per layer of {list(sizes)}, got {len(activations)}"
        )
    for name in activations:  # names only: ("elu", {...}) was "unhashable type: 'dict'"
        if not isinstance(name, str) or name not in ACTIVATIONS:
            raise ValueError(f"activations: unknown {echoed(name)}, expected one of {', '.join(ACTIVATIONS)}")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ValueError(f"loss: unknown {loss!r}, expected one of {', '.join(LOSSES)}")
    L = len(sizes) - 1
    result = OwnResult(f"network {list(sizes)} {'/'.join(activations)} + {loss} ({reduction})")
    twin = Twin(sizes, activations, "float64")
    for label, X, Y, params in draws.network_inputs(sizes, loss, seed):
        result.checked.append(label)
        capture = twin.load(params).capture(
            convention.columns_to_rows(X), convention.columns_to_rows(Y), loss, reduction
        )
        trace = convention.document_trace(capture, reduction, X.shape[1])
        out, problem = _run(forward, (X, {k: v.copy() for k, v in params.items()}))
        if not problem and (not isinstance(out, tuple | list) or len(out) != 2):
            problem = f"forward returned {type(out).__name__}, expected (AL, caches)"
        if not problem:
            grads, problem = _run(lambda: backward(out[0], Y.copy(), out[1]), ())
            if not problem and not isinstance(grads, dict):
                problem = f"backward returned {type(grads).__name__}, expected a dict of dW1, db1, ..."
        if problem:
            result.fail(label, [problem])
            return result
        order = [("A" + str(L), out[0])] + [
            (f"{q}{l}", grads.get(f"{q}{l}")) for l in range(L, 0, -1) for q in ("dW", "db")
        ]
        for quantity, got in order:
            if got is None:
                result.fail(label, [f"{quantity}: missing from what backward returned (keys: {', '.join(grads)})"])
                return result
            lines = compare(
                quantity, got, trace[quantity], scale=normwise_scale, rtol=RTOL,
                describe=lambda i: "", dims={"m": X.shape[1]},
            )  # fmt: skip
            if lines:
                result.fail(label, lines)
                return result
    return result
