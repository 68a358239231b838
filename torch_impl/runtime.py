"""torch's runtime as the harness needs it: thread counts, devices and versions, in one place."""

import contextlib

import torch


@contextlib.contextmanager
def threads(count):
    """torch's intra-op pool limited to `count` threads (None: left alone), restored afterwards."""
    if count is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(count)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def set_threads(count):
    """Set torch's intra-op thread count for the rest of the process."""
    torch.set_num_threads(count)


def describe():
    """Versions and settings of the torch build in use (for the report's environment section)."""
    blas = "unknown"
    for part in torch.__config__.show().replace("\n", ",").split(","):
        if "BLAS_INFO=" in part:
            blas = part.split("=", 1)[1].strip()
    return {
        "torch": torch.__version__,
        "torch_blas": blas,
        "torch_threads": torch.get_num_threads(),
        "torch_interop_threads": torch.get_num_interop_threads(),
        "torch_default_dtype": str(torch.get_default_dtype()).replace("torch.", ""),
        "cuda_available": torch.cuda.is_available(),
    }


def matmul_step(A, B):
    """A function that multiplies A @ B (NumPy arrays, copied into tensors once) with torch.mm: the
    bench's measure of the matrix-multiply peak torch reaches on the threads it has."""
    A, B = torch.from_numpy(A.copy()), torch.from_numpy(B.copy())
    return lambda: torch.mm(A, B)
