"""The formulas the documents print wrong, computed AS PRINTED, each beside the name of its correction.

Nothing here is used by the rest of the reference: these functions exist so that the catalogue's
`erratum` entries can show, by computation, how the printed form disagrees with autograd.
Each docstring quotes the printed form and names the corrected function.
"""

import numpy as np

from . import activations as act
from .elementwise import paths_004


def dW_last_000(A_prev, AL, Y):
    """Printed dW[L] = A[L-1] . (A[L] - Y)^T (doc 000 "Gradients - Last Layer"); corrected (A[L] - Y) A[L-1]^T."""
    return A_prev @ (AL - Y).T


def db_last_000(AL, Y):
    """Printed db[L] = sum_axis=1 (dA^L - Y) with dA^L = dJ/dA^L (doc 000); corrected sum_axis=1 (A^L - Y)."""
    dAL = (1 - Y) / (1 - AL) - Y / AL
    return np.sum(dAL - Y, axis=1, keepdims=True)


def dJ_da_000(AL, Y):
    """Printed dJ/da = sum_i (-y(i)/a + (1 - y(i))/(1 - a)) (doc 000): one number, the examples summed away."""
    return np.sum(-Y / AL + (1 - Y) / (1 - AL))


def z_backward_001(w, b):
    """Printed z = w + b in the backward chain (doc 001 "Backward propagation"); corrected z = w^T x + b."""
    return w + b


def dL_da1_001(a2, y, W2):
    """Printed dL/da[1] = (a[2] - y) W[2] (doc 001): a row; corrected W[2]^T (a[2] - y), a column like a[1]."""
    return (a2 - y) * W2


def dW1_001(a2, y, W2, a1, x):
    """Printed dW[1] = (a[2] - y) W[2] * ((1 - a[1]) a[1]) x (doc 001); corrected (W2^T (a2 - y) * (1 - a1) a1) x^T."""
    return ((a2 - y) * W2 * ((1 - a1) * a1)) @ x


def db1_001(a2, y, W2, a1):
    """Printed db[1] = (a[2] - y) W[2] * ((1 - a[1]) a[1]) (doc 001); corrected W2^T (a2 - y) * (1 - a1) a1."""
    return (a2 - y) * W2 * ((1 - a1) * a1)


def dZ_last_Y_column_002(AL, Y):
    """dZ = A - Y with Y as doc 002 prints it, a column [y(1); ...; y(m)] (m x 1); corrected Y is 1 x m."""
    return AL - np.asarray(Y).reshape(-1, 1)


def activation_terms_003(dY, X, F_prime):
    """Doc 003's "ex) dL/dx_1" with every term marked "= 0": dL/dx = 0; corrected dL/dY (Hadamard) F'(X)."""
    return np.zeros_like(np.asarray(dY, dtype=float))


def softmax_first_matrix_003(Y):
    """Doc 003's repeated-y matrix as printed, first row y_1 y_2 ... y_n (the others y_i ... y_i), times (I - A^T)."""
    y = np.asarray(Y, dtype=float)
    n = y.shape[0]
    A = np.tile(y, n)
    A[0, :] = y[:, 0]
    return A * (np.identity(n) - np.tile(y, n).T)


def bce_004(y_hat, y):
    """Printed L = (y)(-log y_hat) + (1 - y)(-log y_hat) (doc 004 "Cross Entropy Loss"); corrected log(1 - y_hat)."""
    return y * (-np.log(y_hat)) + (1 - y) * (-np.log(y_hat))


def logistic_cost_004(y_prime, y):
    """Printed L(y', y) = -(y log y') + (1 - y) log(1 - y') (doc 004 "LOGISTIC REGRESSION COST FUNCTION")."""
    return -(y * np.log(y_prime)) + (1 - y) * np.log(1 - y_prime)


def update_w313_004(theta, grad, eta):
    """Doc 004's listed updates w_111, ..., w_313 with the last printed as w_313 = w_111 - eta dw_313."""
    new = theta - eta * grad
    new[-1] = theta[0] - eta * grad[-1]
    return new


def update_b_004(b, db, eta):
    """Printed b_i = b_i + eta db_i (doc 004 "The algorithm"); corrected b_i - eta db_i."""
    return b + eta * db


def z1_transposed_004(W1, x, b1):
    """Printed z[1]_(4,1) = W[1]^T_(4,3) x_(3,1) + b[1] (doc 004 "VECTORIZATION"); corrected W[1] x + b[1]."""
    return W1.T @ x + b1


def z2_transposed_004(W2, a1, b2):
    """Printed z[2]_(1,1) = W[2]^T_(1,4) x_(4,1) + b[2] (doc 004); corrected W[2] a[1] + b[2]."""
    return W2.T @ a1 + b2


def a3_no_bias_004(W3, h2):
    """Printed a_3 = W_3 * h_2 (doc 004 "Softmax Function" example); corrected a_3 = W_3 h_2 + b_3."""
    return W3 @ h2


def yhat_summary_004(x1, x2, w, b):
    """Doc 004 SUMMARY's y_hat: b_1 in both hidden neurons and b_2 at the output; corrected b_1, b_2, b_3.

    w = (w11, w12, w13, w14, w21, w22) and b = (b1, b2, b3) as doc 004 "Model" names them.
    """
    w11, w12, w13, w14, w21, w22 = w
    b1, b2, _b3 = b
    h1 = act.sigmoid(w11 * x1 + w12 * x2 + b1)
    h2 = act.sigmoid(w13 * x1 + w14 * x2 + b1)
    return act.sigmoid(w21 * h1 + w22 * h2 + b2)


def one_hot_table_004(labels):
    """Doc 004's one-hot table: vectors of 9 entries, digits 8 and 9 both [0,...,0,1]; corrected 10 entries."""
    labels = np.asarray(labels)
    return np.eye(9)[:, np.minimum(labels, 8)]


def chain_w1_single_path_004(x, W1, W2, W3, dL_do3=None):
    """Doc 004's first "w^1" line, dL/dw^1_11 = dL/do_21 . do_21/dw^1_11: only the path through o_21.

    Corrected (doc 004's next line): the sum over both paths, through o_21 and o_22. Sigmoid units.
    """
    through = np.zeros(W2.shape[1])
    through[0] = 1.0
    return paths_004(x, W1, W2, W3, act.sigmoid, act.sigmoid_prime, dL_do3, through=through)[0]


def z_last_indices_000(W, A_prev, B):
    """Doc 000 l.56 with its indices kept: z_j^{[L](i)} = w_{1,j} a_j^{[L-1](i)} + b_j^{[L](i)}, one entry per j.

    The j the sum runs over is also the free index of z and b, and b carries the example index (i):
    B is one bias per unit and example (n[L-1] x m). Corrected: z^{[L](i)} = sum_j w_{1j} a_j^{[L-1](i)} + b^{[L]}.
    """
    return W[0][:, None] * A_prev + B


def dW_last_indices_000(AL, Y, A_prev, j=0):
    """Doc 000 l.72 as printed: dJ/dw_{1,j'} = sum_i (a^{[L](i)} - y^(i)) a_j^{[L-1](i)}, one value for every j'.

    The right side names unit j, not the j' of the weight; corrected a_{j'}^{[L-1](i)} (l.68).
    """
    return np.full((1, A_prev.shape[0]), np.sum((AL - Y) * A_prev[j]))


def parameters_001():
    """Doc 001 l.110's list of the 2-layer network's parameters as printed: W[1], b[2], W[2], b[2]."""
    return ("W1", "b2", "W2", "b2")


def softmax_cases_003(Y, j):
    """Doc 003's two cases as printed (l.130, l.136): dy_i/dx_k = y_i (1 - y_i) if k = i, -y_k y_i if k != j.

    j is a fixed index (the printed condition names it, not i); the pairs k = j != i fall under neither
    case and are left undefined (NaN). Corrected: the second case is k != i.
    """
    y = np.asarray(Y, dtype=float)[:, 0]
    i, k = np.indices((y.size, y.size))
    return np.where(k == i, y[i] * (1 - y[i]), np.where(k != j, -y[k] * y[i], np.nan))


def preact_three_inputs_004(W1, x, b1):
    """Doc 004 l.215-219: a_1k = w_1k1 x_1 + w_1k2 x_2 + w_1k3 x_3 + b_1k, three of the inputs (x has 100, l.211)."""
    return W1[:, :3] @ x[:3] + b1


def two_outputs_sum_004(y_hat):
    """Doc 004 l.264-266: "These two outputs will form a probability distribution": y_hat_1 + y_hat_2."""
    return np.asarray(y_hat, dtype=float)[:2].sum(axis=0)


def updates_per_epoch_summary_004(regime, m, batch_size=None):
    """Doc 004 l.916-921's summary: every regime updates the parameters once per epoch ("after each epoch").

    Corrected: batch GD once, SGD m times, mini-batch ceil(m / batch_size) times (l.954, l.986, l.1022).
    """
    return 1


def epochs_of_minibatches_004(m, batch_size):
    """Doc 004 l.927-929: 100k points in mini-batches of 100 is "1000 times -> 1000 epoch": an epoch per batch.

    Corrected: the 1000 mini-batches are the 1000 updates of ONE epoch (l.680).
    """
    return -(-m // batch_size)


def prediction_indices_004(m):
    """Doc 004 l.1251: "Compute predictions (y'[i], i = 0, ..., m)": m + 1 indices for m examples (l.1156: i = 1 to m)."""
    return list(range(0, m + 1))  # noqa: PIE808  (the printed i = 0, ..., m)
