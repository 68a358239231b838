"""Typical wrong softmax and linear backward passes."""
import numpy as np


def softmax_diagonal(dA, A):
    return dA * A * (1 - A)


def softmax_sum_unweighted(dA, A):
    return A * (dA - np.sum(dA, axis=0, keepdims=True))


def softmax_sign(dA, A):
    return A * (np.sum(A * dA, axis=0, keepdims=True) - dA)


def linear_transposed_dW(dZ, A_prev, W, b):
    m = dZ.shape[1]
    return W.T @ dZ, A_prev @ dZ.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def linear_missing_m(dZ, A_prev, W, b):
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)


def linear_W_not_transposed(dZ, A_prev, W, b):
    m = dZ.shape[1]
    return W @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def linear_db_flat(dZ, A_prev, W, b):
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1) / m


def linear_dA_prev_over_m(dZ, A_prev, W, b):
    m = dZ.shape[1]
    return W.T @ dZ / m, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def linear_two_outputs(dZ, A_prev, W, b):
    return W.T @ dZ, dZ @ A_prev.T


def linear_mean_under_sum(dZ, A_prev, W, b):
    # right for J = (1/m) sum L(i); checked with --reduction sum it carries a 1/m too many
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m
