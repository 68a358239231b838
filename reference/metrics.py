"""Document 004's evaluation: predictions from outputs, accuracy and per-class accuracy."""

import numpy as np

from . import _validate


def predict_binary(AL, threshold=0.5):
    """y_hat = 1 if a >= 0.5 else 0 (doc 001 "if it's >= 0.5 then we say it's a man"; doc 004)."""
    AL = _validate.as_matrix("AL", AL)
    return (threshold <= AL).astype(int)


def predict_argmax(AL):
    """label(i) = argmax_k A[L][k, i]: the class of highest probability (doc 004 "EVALUATION")."""
    AL = _validate.as_matrix("AL", AL)
    return np.argmax(AL, axis=0)


def accuracy(y, y_hat):
    """Accuracy = number of correct predictions / total number of predictions (doc 004 "EVALUATION")."""
    y, y_hat = np.ravel(y), np.ravel(y_hat)
    if y.shape != y_hat.shape or y.size == 0:
        raise ValueError(f"y_hat: expected {y.size} predictions to match y, got {y_hat.size}")
    return float(np.mean(y == y_hat))


def per_class_accuracy(y, y_hat):
    """{class k: correct predictions among examples of class k / examples of class k} (doc 004 "per-class accuracy")."""
    y, y_hat = np.ravel(y), np.ravel(y_hat)
    if y.shape != y_hat.shape:
        raise ValueError(f"y_hat: expected {y.size} predictions to match y, got {y_hat.size}")
    classes, inverse = np.unique(y, return_inverse=True)
    correct = np.bincount(inverse, weights=(y == y_hat).astype(float))
    totals = np.bincount(inverse)
    return {c.item(): float(k / n) for c, k, n in zip(classes, correct, totals)}
