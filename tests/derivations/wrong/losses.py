"""Typical wrong per-example derivatives of the losses and fused output layers."""
import numpy as np


def bce_sign(AL, Y):
    return Y / AL - (1 - Y) / (1 - AL)


def bce_half_sign(AL, Y):
    return -(1 - Y) / (1 - AL) - Y / AL


def bce_dz(AL, Y):
    return AL - Y


def cce_positive(AL, Y):
    return Y / AL


def cce_no_label(AL, Y):
    return -1 / AL


def cce_mean_over_m(AL, Y):
    return -Y / AL / AL.shape[1]


def mse_missing_two(AL, Y):
    return (AL - Y) / AL.shape[0]


def mse_missing_n(AL, Y):
    return 2 * (AL - Y)


def mse_sign(AL, Y):
    return 2 / AL.shape[0] * (Y - AL)


def sse_missing_two(AL, Y):
    return AL - Y


def sse_sign(AL, Y):
    return 2 * (Y - AL)


def sigmoid_bce_sign(AL, Y):
    return Y - AL


def sigmoid_bce_dA(AL, Y):
    return (1 - Y) / (1 - AL) - Y / AL


def sigmoid_bce_over_m(AL, Y):
    return (AL - Y) / AL.shape[1]


def softmax_cce_sign(AL, Y):
    return Y - AL


def softmax_cce_diagonal(AL, Y):
    # chain through the diagonal of the softmax Jacobian only
    return (-Y / AL) * AL * (1 - AL)
