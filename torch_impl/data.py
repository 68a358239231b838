"""Doc 004's data preparation and evaluation done with torch's own operations (the pieces torch has).

Arrays come and go as NumPy; labels are integer arrays.
"""

import torch
from torch import nn
from torch.utils.data import DataLoader

from .tensors import to_numpy, to_tensor


def scale_pixels(pixels, max_value=255):
    """pixels / max_value as float64 (torch division of the integer tensor)."""
    return to_numpy(torch.div(torch.as_tensor(pixels).to(torch.float64), max_value))


def flatten(images):
    """nn.Flatten on m x height x width: one row of height * width per image."""
    return to_numpy(nn.Flatten()(to_tensor(images)))


def one_hot(labels, num_classes=-1):
    """nn.functional.one_hot: one row per label (num_classes inferred from the labels when -1)."""
    return to_numpy(nn.functional.one_hot(torch.as_tensor(labels), num_classes=num_classes))


def l1_normalize(A, dim):
    """nn.functional.normalize with p = 1: each slice along `dim` divided by its absolute sum."""
    return to_numpy(nn.functional.normalize(to_tensor(A), p=1.0, dim=dim))


def argmax(A, dim):
    """torch.argmax along `dim`."""
    return to_numpy(torch.argmax(to_tensor(A), dim=dim))


def accuracy_counts(y, y_hat):
    """Correct predictions, total, accuracy and per-class accuracy by torch.eq and torch.bincount."""
    ty, ty_hat = torch.as_tensor(y), torch.as_tensor(y_hat)
    correct = torch.eq(ty, ty_hat)
    per_class = torch.bincount(ty, weights=correct.double()) / torch.bincount(ty).double()
    return {
        "correct": int(correct.sum()),
        "total": ty.numel(),
        "accuracy": float(correct.double().mean()),
        "per_class": {k: float(v) for k, v in enumerate(per_class) if not torch.isnan(v)},
    }


def round_to(values, decimals):
    """values rounded to `decimals` places by torch.round (half to even, as torch does)."""
    return to_numpy(torch.round(to_tensor(values), decimals=decimals))


def loader_batch_count(m, batch_size):
    """How many batches torch.utils.data.DataLoader makes of m examples: the updates in one epoch."""
    return len(DataLoader(range(m), batch_size=batch_size))


def loader_epoch(m, batch_size, seed=0):
    """One shuffled epoch of DataLoader over m example indices: the batches as integer arrays."""
    generator = torch.Generator().manual_seed(seed)
    return [to_numpy(batch) for batch in DataLoader(range(m), batch_size=batch_size, shuffle=True, generator=generator)]
