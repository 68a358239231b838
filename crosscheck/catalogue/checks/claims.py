"""Cross-checks of the printed claims about functions: evaluated on grids with torch, beside the reference.

A claim's finding is the share of grid points (or cases) where it fails: 0 when it holds everywhere.
A printed claim that fails is an erratum; its `corrected` statement must hold.
"""

import numpy as np

from reference import activations as act
from reference import gradients, logistic
from reference import losses as losses_mod
from torch_impl.doc_facts import bce_elementwise, bce_step_losses, exp, logistic_bce_hessian, sigmoid_cost_grads
from torch_impl.doc_models import sequential_forward
from torch_impl.elementwise import activation_vjp

from ..findings import Finding
from ._util import columns_to_rows, rel, rng, rows_to_columns, worst


def _share(failures):
    """The share of cases where a claim fails (0.0: it holds in every case)."""
    failures = np.asarray(failures, dtype=bool)
    return float(failures.mean()) if failures.size else 0.0


def _act(name, z, **parameters):
    """torch's activation module `name` at the points z."""
    return activation_vjp(name, z, np.ones_like(z), **parameters)[0]


def _grad(name, z, **parameters):
    """Autograd's elementwise derivative of torch's activation module `name` at the points z."""
    return activation_vjp(name, z, np.ones_like(z), **parameters)[1]


def _loss_and_activations(out):
    # 001 l.38: BCE as y_hat moves away from y (both labels), by nn.BCELoss.
    y_hat = np.linspace(0.01, 0.99, 99)
    grows, twins = [], 0.0
    for y in (0.0, 1.0):
        away = np.argsort(np.abs(y - y_hat))
        loss = bce_elementwise(y_hat[away], np.full(99, y))
        twins = max(twins, rel(losses_mod.bce(y_hat[away][None, :], np.full((1, 99), y))[0], loss))
        grows += list(np.diff(loss) > 0)
    grows = np.array(grows)
    # corrected "grows": fails where a step away does not raise the loss; printed "decreases": fails where it does
    out["001.loss-grows"] = Finding(
        worst(_share(~grows), twins),
        _share(grows),
        "wording: nn.BCELoss rises at every step of y_hat away from y (0.01..0.99, "
        "both labels): the loss grows when y != y_hat, it never decreases",
    )
    # 002 l.234/243: "exponential linear unit" is ELU (l.262), which is not the function l.239 draws.
    x = np.linspace(-4.0, 4.0, 81)
    relu_t, elu_t = _act("relu", x), _act("elu", x, alpha=1.0)
    neg = x < 0
    out["002.relu-name"] = Finding(
        rel(act.relu(x), relu_t),
        rel(elu_t[neg], relu_t[neg]),
        f"wording: the exponential linear unit (ELU, l.262) differs from l.239's "
        f"max(0, x) by up to {np.max(np.abs(elu_t - relu_t)):.2f} for x < 0; ReLU is the "
        f"rectified linear unit",
    )
    # 002 l.220-221: on inputs symmetric about 0, tanh averages 0 and sigmoid 0.5.
    tanh_t = _act("tanh", x)
    mean_tanh, mean_sig = float(tanh_t.mean()), float(_act("sigmoid", x).mean())
    out["002.tanh-centred"] = Finding(worst(abs(mean_tanh), abs(mean_sig - 0.5), rel(act.tanh(x), tanh_t)))
    # 002 l.244: sigmoid' <= 1/4 and tanh' -> 0 away from 0 (autograd); relu' = 1 for z > 0.
    wide = np.linspace(-8.0, 8.0, 161)
    d_sig, d_tanh, d_relu = _grad("sigmoid", wide), _grad("tanh", wide), _grad("relu", wide)
    far = np.abs(wide) >= 5
    vanish = [
        d_sig.max() > 0.25,
        d_tanh[far].max() > 2e-4,
        d_sig[far].max() > 7e-3,
        np.any(d_relu[wide > 0] != 1),
        rel(act.sigmoid_prime(wide), d_sig) > 1e-12,
    ]
    out["002.vanishing"] = Finding(_share(vanish))
    # 002 l.254-256: the variants equal ReLU for x > 0 and differ (with a non-zero gradient) for x < 0.
    pos = x > 0
    leaky_t = _act("leaky_relu", x, slope=0.01)
    d_leaky, d_elu = _grad("leaky_relu", x, slope=0.01), _grad("elu", x, alpha=1.0)
    variants = [
        np.any(leaky_t[pos] != relu_t[pos]),
        np.any(elu_t[pos] != relu_t[pos]),
        np.any(leaky_t[neg] == relu_t[neg]),
        np.any(elu_t[neg] == relu_t[neg]),
        np.any(_grad("relu", x)[neg] != 0),
        np.any(d_leaky[neg] == 0),
        np.any(d_elu[neg] == 0),
        rel(act.leaky_relu(x), leaky_t) > 1e-12,
        rel(act.elu(x), elu_t) > 1e-12,
    ]
    out["002.relu-variants"] = Finding(_share(variants))


def _networks(out, r):
    # 002 l.330-331: another cost changes dZ[L]; dW = (1/m) dZ A^T stays (autograd through two costs).
    A_prev, W, b, Y = (
        r.normal(size=(3, 6)),
        r.normal(size=(1, 3)),
        r.normal(size=(1, 1)),
        r.integers(0, 2, (1, 6)) * 1.0,
    )
    dZ, dW_err = {}, 0.0
    for name in ("bce", "mse"):
        dZ[name], dW_torch = sigmoid_cost_grads(W, b, A_prev, Y, name)
        dW_err = max(dW_err, rel(gradients.dW(dZ[name], A_prev, "mean"), dW_torch))
    changed = rel(dZ["mse"], dZ["bce"]) > 1e-6
    out["002.cost-changes-dZ"] = Finding(dW_err if changed else np.inf)
    # 003 l.118: two Dense layers with no activation between them are one Dense layer (W2 W1, W2 b1 + b2).
    W1, b1, W2, b2 = r.normal(size=(5, 4)), r.normal(size=(5, 1)), r.normal(size=(3, 5)), r.normal(size=(3, 1))
    X = r.normal(size=(4, 7))
    stacked = sequential_forward([("dense", W1, b1), ("dense", W2, b2)], X)
    out["003.linear-collapse"] = Finding(rel(W2 @ W1 @ X + (W2 @ b1 + b2), stacked))
    # 004 l.280-341: softmax outputs are positive and sum to 1 for any sign of input; e^x > 0.
    Z = np.array([[-30.0, -3.0, 0.0, 2.5, 30.0], [3.0, 4.0, 10.0, 3.0, -1.0], [-5.0, -4.0, -3.0, -2.0, -1.0]]).T
    S = rows_to_columns(_act("softmax", columns_to_rows(Z)))
    positive = [
        np.any(S <= 0),
        np.any(exp(Z) <= 0),
        rel(S.sum(axis=0), np.ones(3)) > 1e-12,
        rel(act.softmax(Z), S) > 1e-12,
    ]
    out["004.softmax-positive"] = Finding(_share(positive))
    # 004 l.71, l.131-139: a sigmoid neuron's >= 0.5 region is the half-plane w.x + b >= 0 (a straight boundary).
    g1, g2 = np.meshgrid(np.linspace(-6.1, 6.1, 41), np.linspace(-6.1, 6.1, 41))
    G = np.vstack([g1.ravel(), g2.ravel()])
    half = []
    for w, bias in (((0.0, -2.0), 0.0), ((0.0, -2.0), 12.0), ((1.5, -0.5), 1.0)):
        Wn = np.array([w])
        p = sequential_forward([("dense", Wn, np.array([[bias]])), ("sigmoid",)], G)
        half.append(np.any((p >= 0.5) != (Wn @ G + bias >= 0)))
        half.append(rel(logistic.forward(Wn.T, bias, G), p) > 1e-12)
    out["004.sigmoid-boundary"] = Finding(_share(half))
    # 004 l.1085: logistic regression's mean BCE is convex in (w, b): its Hessian (torch) has no negative eigenvalue.
    Xl, yl = r.normal(size=(3, 20)), r.integers(0, 2, 20) * 1.0
    eigen = []
    for theta in (r.normal(size=4), 3 * r.normal(size=4), np.zeros(4)):
        eigen.append(np.linalg.eigvalsh(logistic_bce_hessian(Xl, yl, theta)).min() < -1e-12)
    out["004.logistic-convex"] = Finding(_share(eigen))
    # 004 l.542: one small gradient step lowers the loss (doc 004's binary example, eta = 0.05, torch.optim.SGD).
    W1 = np.array([[0.9, 0.2, 0.4, 0.3], [-0.5, 0.4, 0.3, 0.3], [0.1, 0.1, -0.1, 0.2], [-0.2, 0.5, 0.5, 0.7]])
    spec = [
        ("dense", W1, np.full((4, 1), 0.5)),
        ("sigmoid",),
        ("dense", np.array([[0.5, 0.8, -0.6, 0.3]]), np.array([[0.3]])),
        ("sigmoid",),
    ]
    before, after = bce_step_losses(spec, np.array([[0.3], [0.5], [-0.4], [0.3]]), np.array([[1.0]]), 0.05)
    out["004.descent-step"] = Finding(0.0 if after < before else np.inf)


def claims():
    """Claims about the loss, the activations, softmax, linearity, convexity and one descent step vs torch."""
    out = {}
    _loss_and_activations(out)
    _networks(out, rng(80))
    return out


CHECKS = (claims,)
