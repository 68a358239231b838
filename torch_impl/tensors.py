"""The one NumPy <-> tensor conversion of the torch side, and the dtype names it accepts."""

import torch

DTYPES = {"float32": torch.float32, "float64": torch.float64}


def torch_dtype(dtype):
    """A torch dtype from a name ("float32", "float64") or a torch dtype."""
    if isinstance(dtype, torch.dtype):
        return dtype
    if dtype not in DTYPES:
        raise ValueError(f"dtype: expected one of {', '.join(DTYPES)}, got {dtype!r}")
    return DTYPES[dtype]


def to_tensor(array, dtype="float64", grad=False, device=None):
    """A fresh tensor (never a view of the caller's array), optionally a leaf that records its gradient."""
    out = (
        torch.tensor(array, dtype=torch_dtype(dtype), device=device)
        if not isinstance(array, torch.Tensor)
        else array.detach().to(dtype=torch_dtype(dtype), device=device).clone()
    )
    return out.requires_grad_(True) if grad else out


def to_numpy(tensor):
    """A NumPy copy of a tensor, detached from autograd and moved to the CPU."""
    return tensor.detach().cpu().numpy().copy()
