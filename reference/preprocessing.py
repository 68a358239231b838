"""Document 004's data preparation: pixel scaling, flattening, one-hot labels (column layout)."""

import numpy as np


def scale_pixels(P, max_value=255):
    """x = p / 255: pixel values 0..255 to [0, 1] (doc 004 "Standardize pixel values by dividing with 255")."""
    P = np.asarray(P)
    if not np.issubdtype(P.dtype, np.number) or P.dtype == bool:
        raise ValueError(f"P: expected numeric pixel values, got dtype {P.dtype}")
    if P.size and (P.min() < 0 or P.max() > max_value):
        raise ValueError(f"P: expected pixel values in [0, {max_value}], got [{P.min()}, {P.max()}]")
    return P / max_value


def flatten(images):
    """X = images reshaped to (h*w) x m: each 28x28 image a column of R^784 (doc 004 "flatten the matrix")."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images: expected an array of shape m x height x width, got shape {images.shape}")
    return images.reshape(images.shape[0], -1).T


def one_hot(labels, n_classes):
    """Y[k, i] = 1 if label(i) = k else 0: an n_classes x m matrix (doc 004 "One Hot Representation")."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and 1 in labels.shape:
        labels = labels.ravel()
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        if labels.ndim == 1 and np.issubdtype(labels.dtype, np.floating) and np.all(labels == np.round(labels)):
            labels = labels.astype(int)
        else:
            raise ValueError(
                f"labels: expected a 1-D array of integer class labels, got shape {labels.shape}, dtype {labels.dtype}"
            )
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ValueError(f"labels: expected values in 0..{n_classes - 1}, got [{labels.min()}, {labels.max()}]")
    return np.eye(n_classes)[:, labels]
