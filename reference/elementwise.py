"""The per-element chain-rule forms (sums over j, j', k, i) written with einsum, one index per letter.

These are the documents' scalar derivations (doc 000's dJ/dw_jj', doc 003's dC/dw_ji, doc 004's
paths through o_21 and o_22) taken literally, index for index, but vectorized: einsum does the sums.
Column layout: Z, A, dZ are n x m; the index i runs over the m examples.
"""

import numpy as np

from .activations import sigmoid


def z_elementwise(W, A_prev, b):
    """z_j(i) = sum_j' w_jj' a_j'(i) + b_j (doc 000 "Forward Propagation Equations"; doc 004 a_1j = sum_k w_1jk x_k + b_1j)."""
    return np.einsum("jk,ki->ji", W, A_prev) + b


def dW_last_sum(AL, Y, A_prev):
    """dJ/dw_1j' = sum_i (a[L](i) - y(i)) a_j'[L-1](i) (doc 000 "Gradients - Last Layer", J = sum L(i))."""
    return np.einsum("ri,ki->rk", AL - Y, A_prev)


def dA_elementwise(W_next, dZ_next):
    """dL(i)/da_j[l] = sum_k dL(i)/dz_k[l+1] w_kj[l+1] (doc 000 "Gradients in Other Layers")."""
    return np.einsum("ki,kj->ji", dZ_next, W_next)


def dW_double_sum(W_next, dZ_next, g_prime_Z, A_prev):
    """dJ/dw_jj'[l] = sum_i sum_k dL(i)/dz_k[l+1] w_kj[l+1] g'(z_j[l](i)) a_j'[l-1](i) (doc 000 "Remember")."""
    return np.einsum("ki,kj,ji,ci->jc", dZ_next, W_next, g_prime_Z, A_prev)


def dW_from_dA(dA, g_prime_Z, A_prev):
    """dW[l](j, j') = sum_i dA_j[l](i) g'(z_j[l](i)) a_j'[l-1](i) (doc 000 "Gradients in Other Layers")."""
    return np.einsum("ji,ji,ci->jc", dA, g_prime_Z, A_prev)


def dW_from_dZ(dZ, A_prev):
    """dW[l](j, j') = sum_i dZ_j[l](i) a_j'[l-1](i) (doc 000, after dZ[l] = dA[l] o g'(Z[l]))."""
    return np.einsum("ji,ci->jc", dZ, A_prev)


def db_elementwise(dZ):
    """dJ/db_j[l] = sum_i dz_j[l](i), since dz_j/db_j = 1 (doc 000 "Gradients in Other Layers")."""
    return np.einsum("ji->j", dZ)[:, None]


def dense_dW_elementwise(dY, X):
    """dC/dw_ji = dC/dy_j x_i for one column sample (doc 003 "Dense Layer", Back propagation)."""
    return np.einsum("j,i->ji", dY[:, 0], X[:, 0])


def dense_dX_elementwise(W, dY):
    """dL/dx_i = sum_j dL/dy_j w_ji for one column sample (doc 003 "ex) dL/dx_1 = dL/dy_1 w_11 + ...")."""
    return np.einsum("j,ji->i", dY[:, 0], W)[:, None]


def softmax_partials(Y):
    """dy_i/dx_k = y_i (1 - y_i) if k = i, -y_k y_i otherwise (doc 003 "Softmax"), as the n x n array [i, k]."""
    y = Y[:, 0]
    n = y.size
    return np.einsum("i,ik->ik", y, np.eye(n) - y[None, :])


def softmax_dX_elementwise(Y, dY):
    """dL/dx_k = sum_i dL/dy_i dy_i/dx_k for one column sample (doc 003 "Softmax")."""
    return np.einsum("i,ik->k", dY[:, 0], softmax_partials(Y))[:, None]


def paths_004(x, W1, W2, W3, f, f_prime, dL_do3=None, through=None):
    """dL/dw for every weight by summing over paths (doc 004 "TRAINING NN: CHAIN RULE", w^3, w^2, w').

    Doc 004 indexes w^k_ij from input i to neuron j, so W^k here is n_in x n_out (W^1 4x3, W^2 3x2,
    W^3 2x1) and o_k = f(W^k^T o_{k-1}) with no bias, as its figure draws it. x is n_0 x m; each
    derivative is summed over the m examples. `through` (a 0/1 mask over the layer-2 units) keeps
    only the paths through those o_2k; the default keeps all of them, as the chain rule demands.
    dL_do3 (1 x m) is dL/do_31 per example, the common first factor of every path (default 1).
    Returns (dL/dW1, dL/dW2, dL/dW3, o_3).
    """
    z1 = np.einsum("ij,im->jm", W1, x)
    o1 = f(z1)
    z2 = np.einsum("ij,im->jm", W2, o1)
    o2 = f(z2)
    z3 = np.einsum("ij,im->jm", W3, o2)
    d3 = f_prime(z3) * (1.0 if dL_do3 is None else dL_do3)  # dL/do_31 . do_31/dz_31
    mask = np.ones(W2.shape[1]) if through is None else np.asarray(through, dtype=float)
    # w^3: do_31/dw^3_i1 = f'(z_31) o_2i
    g3 = np.einsum("om,im->io", d3, o2)
    # w^2: do_31/do_2j * do_2j/dw^2_ij = f'(z_31) w^3_j1 * f'(z_2j) o_1i (one path)
    g2 = np.einsum("om,jo,jm,im->ij", d3, W3, f_prime(z2), o1)
    # w^1: sum over the paths k through o_2k: f'(z_31) w^3_k1 f'(z_2k) w^2_jk f'(z_1j) x_i
    g1 = np.einsum("om,ko,k,km,jk,jm,im->ij", d3, W3, mask, f_prime(z2), W2, f_prime(z1), x)
    return g1, g2, g3, f(z3)


def yhat_221(x1, x2, w, b):
    """Doc 004 "Model": h1 = sigma(w11 x1 + w12 x2 + b1), h2 = sigma(w13 x1 + w14 x2 + b2), y_hat = sigma(w21 h1 + w22 h2 + b3)."""
    w11, w12, w13, w14, w21, w22 = w
    b1, b2, b3 = b
    h1 = sigmoid(w11 * x1 + w12 * x2 + b1)
    h2 = sigmoid(w13 * x1 + w14 * x2 + b2)
    return sigmoid(w21 * h1 + w22 * h2 + b3)


def linear_partials(W, a):
    """The partials of z = W a + b for one column a: dz_j/dw_kl = delta_jk a_l, dz_j/db_k = delta_jk, dz_k/da_j = w_kj.

    Doc 000: dz_j/dw_jj' = a_j', dz_j/db_j = 1, dz_k[l+1]/da_j[l] = w_kj; doc 003: dy_1/dw_12 = x_2 and
    the other dy_j/dw_12 = 0; doc 001: dz/dw = x. Returned as arrays [j, k, l], [j, k] and [k, j].
    """
    n, n_prev = W.shape
    I = np.eye(n)
    return np.einsum("jk,l->jkl", I, a[:, 0]), I, np.asarray(W, dtype=float).copy()
