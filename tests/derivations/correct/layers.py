"""Correct softmax and linear backward passes."""
import numpy as np


def softmax_compact(dA, A):
    return A * (dA - np.sum(A * dA, axis=0, keepdims=True))


def softmax_jacobian_loop(dA, A):
    dZ = np.empty_like(dA)
    for i in range(A.shape[1]):
        a = A[:, [i]]
        J = np.diagflat(a) - a @ a.T
        dZ[:, [i]] = J.T @ dA[:, [i]]
    return dZ


def softmax_einsum(dA, A):
    J = np.einsum("im,ij->ijm", A, np.eye(A.shape[0])) - np.einsum("im,jm->ijm", A, A)
    return np.einsum("ijm,im->jm", J, dA)


def linear_mean(dZ, A_prev, W, b):
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m


def linear_mean_einsum(dZ, A_prev, W, b):
    m = A_prev.shape[1]
    dW = np.einsum("im,jm->ij", dZ, A_prev) / m
    db = dZ.mean(axis=1).reshape(-1, 1)
    return np.dot(W.T, dZ), dW, db


def linear_sum(dZ, A_prev, W, b):
    return W.T @ dZ, dZ @ A_prev.T, dZ.sum(axis=1, keepdims=True)


def linear_sum_transposes(dZ, A_prev, W, b):
    return (dZ.T @ W).T, (A_prev @ dZ.T).T, dZ @ np.ones((dZ.shape[1], 1))


def linear_without_b(dZ, A_prev, W):  # b is unused by the backward pass: the signature may leave it out
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m
