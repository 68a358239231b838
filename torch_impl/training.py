"""The same training runs in PyTorch: the Twin, its objective, autograd and torch.optim.SGD.

Rows are examples here; the index batches are the same ones the reference uses. Biases go into
their own parameter group with weight_decay 0, so torch's built-in L2 touches weights only.
"""

import torch

from .modules import per_example_loss, reduce
from .tensors import to_numpy, to_tensor


def optimizer(twin, learning_rate, weight_decay=0.0):
    """torch.optim.SGD with two parameter groups: weights (decayed) and biases (never decayed)."""
    weights = [linear.weight for linear in twin.linears]
    biases = [linear.bias for linear in twin.linears]
    return torch.optim.SGD(
        [{"params": weights, "weight_decay": weight_decay}, {"params": biases, "weight_decay": 0.0}],
        lr=learning_rate,
    )


def train(
    twin,
    X,
    Y,
    loss,
    epochs_of_batches,
    learning_rate,
    reduction="mean",
    l1=0.0,
    l2=0.0,
    weight_decay=0.0,
    reported_l2=0.0,
):
    """Yield (epoch, step, J, twin) after every optimizer.step().

    X and Y are m x n tensors (or arrays). J is the batch objective before the step; l1 and l2
    enter it as loss terms (autograd differentiates them), weight_decay goes to SGD. reported_l2
    adds reported_l2 * sum W^2 to the reported J only, without gradient, so that a run whose L2
    goes through weight_decay reports the same objective as one with L2 in the loss.
    learning_rate is a number or a function of the step number (counted from 0).
    """
    X, Y = twin.tensor(X), twin.tensor(Y)
    rate = learning_rate if callable(learning_rate) else (lambda step: learning_rate)
    opt = optimizer(twin, rate(0), weight_decay)
    step = 0
    for epoch, batches in enumerate(epochs_of_batches):
        for idx in batches:
            idx = torch.as_tensor(idx, dtype=torch.long, device=twin.device)
            for group in opt.param_groups:
                group["lr"] = rate(step)
            opt.zero_grad()
            J = twin.objective(X[idx], Y[idx], loss, reduction, l1, l2)
            J.backward()
            with torch.no_grad():
                reported = J + twin.regularization(l2=reported_l2) if reported_l2 else J
            opt.step()
            yield epoch, step, float(reported.detach()), twin
            step += 1


def nudged(steps, relative, seed):
    """The steps of a train() run whose parameters are each multiplied by (1 + relative u), u drawn
    uniformly in [-1, 1] per element from `seed`, after every step: a copy of a run given differences
    the size of one rounding per step, to measure how much the run amplifies them (training.lockstep)."""
    generator = torch.Generator().manual_seed(seed)
    for item in steps:
        twin = item[-1]
        with torch.no_grad():
            for p in twin.parameters():
                u = torch.rand(p.shape, generator=generator, dtype=p.dtype).to(p.device)
                p.mul_(1 + relative * (2 * u - 1))
        yield item


@torch.no_grad()
def evaluate(twin, X, Y, loss, reduction="mean", l1=0.0, l2=0.0):
    """(J, outputs A[L] as NumPy rows) on rows X, Y at the current parameters."""
    X, Y = twin.tensor(X), twin.tensor(Y)
    A = twin(X)
    J = reduce(per_example_loss(loss, A, Y), reduction) + twin.regularization(l1, l2)
    return float(J), to_numpy(A)


def predict(A, output):
    """Labels from outputs (NumPy rows): threshold 0.5 for one sigmoid unit, argmax over classes otherwise."""
    A = torch.as_tensor(A)
    if output == "sigmoid" and A.shape[1] == 1:
        return to_numpy((A[:, 0] >= 0.5).long())
    return to_numpy(torch.argmax(A, dim=1))


def accuracy(y, y_hat):
    """Share of predictions equal to the labels."""
    y, y_hat = torch.as_tensor(y).reshape(-1), torch.as_tensor(y_hat).reshape(-1)
    return float((y == y_hat).double().mean())


def apply_gradients(twin, learning_rate):
    """One torch.optim.SGD step with the gradients autograd left on the twin's parameters."""
    torch.optim.SGD(twin.parameters(), lr=learning_rate).step()
    return twin


def sgd_step(params, grads, learning_rate):
    """torch.optim.SGD's step on {name: array} from the given {d+name: array} gradients."""
    tensors = {k: to_tensor(v, grad=True) for k, v in params.items()}
    for k, v in tensors.items():
        v.grad = to_tensor(grads[f"d{k}"])
    torch.optim.SGD(list(tensors.values()), lr=learning_rate).step()
    return {k: to_numpy(v) for k, v in tensors.items()}


def gradient_pass(twin, X, Y, loss, reduction="mean", input_grad=False):
    """A function that runs the twin's objective and backward once on rows X, Y (for timing).

    input_grad=True makes X a leaf that requires grad, so backward also computes dJ/dX (the
    reference's dA[0] = W[1]^T dZ[1]); otherwise autograd skips that product.
    """
    X, Y = twin.tensor(X, grad=input_grad), twin.tensor(Y)

    def step():
        twin.zero_grad(set_to_none=True)
        X.grad = None
        J = twin.objective(X, Y, loss, reduction)
        J.backward()
        return J

    return step
