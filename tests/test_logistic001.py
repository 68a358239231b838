"""Document 001: propagate, optimize, predict and the 2-layer sigmoid network against torch; its printed slips."""

import numpy as np
import pytest
import torch
from torch import nn

from crosscheck.core.tolerances import tolerance_for
from reference import errata, logistic
from torch_impl.doc_models import logistic_example_grads, logistic_sgd, two_layer_grads

RTOL = tolerance_for("float64").rtol


def close(a, b):
    b = np.asarray(b, dtype=float)
    np.testing.assert_allclose(a, b, rtol=0, atol=RTOL * max(np.max(np.abs(b)), 1e-300))


def data(seed, p=3, m=8):
    r = np.random.default_rng(seed)
    return r.normal(size=(p, 1)), float(r.normal()), r.normal(size=(p, m)), r.integers(0, 2, size=(1, m)).astype(float)


@pytest.mark.parametrize("seed", [0, 1])
def test_optimize_matches_sgd_over_the_same_iterations(seed):
    w, b, X, Y = data(seed)
    params, grads, costs = logistic.optimize(w, b, X, Y, num_iterations=30, learning_rate=0.8)
    w_t, b_t, grads_t, costs_t = logistic_sgd(w, b, X, Y, 30, 0.8)
    close(params["w"], w_t)
    close(params["b"], b_t)
    close(np.array(costs), np.array(costs_t))
    close(grads["dw"], grads_t[0])
    assert costs[-1] < costs[0]  # gradient descent lowers the cost on this data


def test_per_example_gradients_match_autograd():
    w, b, X, Y = data(2)
    dw, db = logistic.example_gradients(w, b, X, Y)
    gw, gb = logistic_example_grads(w, b, X, Y)
    close(dw, gw)
    close(db, gb)
    grads, _ = logistic.propagate(w, b, X, Y)
    close(grads["dw"], dw.mean(axis=1, keepdims=True))  # propagate's 1/m mean of the per-example gradients


def test_predict_thresholds_at_one_half_inclusive():
    X = np.array([[0.0, 2.0, -2.0]])
    assert logistic.predict(np.zeros((1, 1)), 0.0, X).tolist() == [[1, 1, 1]]  # sigma(0) = 0.5 counts as 1
    assert logistic.predict(np.ones((1, 1)), 0.0, X).tolist() == [[1, 1, 0]]


def test_absorbed_bias_gives_the_same_z():
    w, b, X, _ = data(3)
    w0, X0 = logistic.absorb_bias(w, b, X)
    close(w0.T @ X0, logistic.linear(w, b, X))


def params(seed):
    r = np.random.default_rng(seed)
    return {
        "W1": r.normal(size=(3, 4)),
        "b1": r.normal(size=(3, 1)),
        "W2": r.normal(size=(1, 3)),
        "b2": r.normal(size=(1, 1)),
    }


@pytest.mark.parametrize("seed,y", [(0, 1.0), (1, 0.0), (2, 1.0)])
def test_two_layer_gradients_match_autograd(seed, y):
    P = params(seed)
    x = np.random.default_rng(seed + 10).normal(size=(4, 1))
    g, gt = logistic.two_layer_gradients(P, x, y), two_layer_grads(P, x, y)
    for k in ("dW1", "db1", "dW2", "db2"):
        close(g[k], gt[k])


def test_two_layer_sgd_steps_match_torch():
    P = params(5)
    r = np.random.default_rng(6)
    xs, ys = r.normal(size=(5, 4, 1)), [1.0, 0.0, 0.0, 1.0, 1.0]
    model = nn.Sequential(
        nn.Linear(4, 3, dtype=torch.float64), nn.Sigmoid(), nn.Linear(3, 1, dtype=torch.float64), nn.Sigmoid()
    )
    with torch.no_grad():
        for i, l in ((0, 1), (2, 2)):
            model[i].weight.copy_(torch.tensor(P[f"W{l}"]))
            model[i].bias.copy_(torch.tensor(P[f"b{l}"][:, 0]))
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    for x, y in zip(xs, ys):
        g = logistic.two_layer_gradients(P, x, y)
        P = {k: P[k] - 0.5 * g[f"d{k}"] for k in P}
        opt.zero_grad()
        nn.BCELoss()(model(torch.tensor(x).T), torch.tensor([[y]], dtype=torch.float64)).backward()
        opt.step()
    close(P["W1"], model[0].weight.detach().numpy())
    close(P["W2"], model[2].weight.detach().numpy())


def test_printed_two_layer_formulas_have_the_wrong_shapes():
    P = params(7)
    x = np.random.default_rng(8).normal(size=(4, 1))
    a1, a2 = logistic.two_layer_forward(P, x)
    good = logistic.two_layer_gradients(P, x, 1.0)
    assert errata.dL_da1_001(a2, 1.0, P["W2"]).shape == (1, 3)  # a row; dL/da1 is 3 x 1
    assert errata.db1_001(a2, 1.0, P["W2"], a1).shape == (3, 3)  # broadcast, not db1's 3 x 1
    with pytest.raises(ValueError):
        errata.dW1_001(a2, 1.0, P["W2"], a1, x)  # (3 x 3) times x (4 x 1) is undefined
    # With the transposes the printed factors give the corrected dW1 exactly.
    close((P["W2"].T @ (a2 - 1.0) * (1 - a1) * a1) @ x.T, good["dW1"])
    assert errata.z_backward_001(np.ones((4, 1)), 0.5).shape == (4, 1)  # z = w + b: one entry per weight


def test_optimize_rejects_bad_arguments():
    w, b, X, Y = data(9)
    with pytest.raises(ValueError, match="num_iterations"):
        logistic.optimize(w, b, X, Y, 0, 0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        logistic.optimize(w, b, X, Y, 3, float("nan"))
