"""torch's runtime as the harness needs it: thread counts, devices and versions, in one place."""

import contextlib

import torch

from . import DEVICES


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


def out_of_memory(exc):
    """Whether `exc` is an allocation that failed: NumPy's MemoryError, torch's OutOfMemoryError (CUDA)
    or the RuntimeError of torch's CPU allocator, which has no class of its own."""
    if isinstance(exc, (MemoryError, torch.OutOfMemoryError)):
        return True
    return isinstance(exc, RuntimeError) and "DefaultCPUAllocator: can't allocate memory" in str(exc)


def available(device):
    """(whether torch can run on `device` here, why not)."""
    if device == "cuda":
        return torch.cuda.is_available(), "torch.cuda.is_available() is False"
    if device == "mps":
        return torch.backends.mps.is_available(), "torch.backends.mps.is_available() is False"
    return True, ""


def check_device(device):
    """The device name, if torch can run on it here; else ValueError saying why (callers exit 2)."""
    if device not in DEVICES:
        raise ValueError(f"device: expected one of {', '.join(DEVICES)}, got {device!r}")
    ok, why = available(device)
    if not ok:
        raise ValueError(f"{device} requested but {why}")
    return device


def device_name(device="cpu"):
    """What runs the twin: the GPU's name for cuda, else the device kind."""
    if device == "cuda" and torch.cuda.is_available():
        return torch.cuda.get_device_name()
    return device


def tf32_state():
    """Whether float32 matmuls and cuDNN convolutions may round their inputs to TF32 (CUDA only)."""
    return {"matmul": bool(torch.backends.cuda.matmul.allow_tf32), "cudnn": bool(torch.backends.cudnn.allow_tf32)}


@contextlib.contextmanager
def tf32(enabled):
    """TF32 on or off for float32 matmuls and cuDNN while the block runs, restored afterwards.

    TF32 keeps 10 mantissa bits of each float32 input (relative rounding 2^-11 against float32's
    2^-24), so it is an explicit configuration of a run, never a silent default."""
    before = tf32_state()
    torch.backends.cuda.matmul.allow_tf32 = bool(enabled)
    torch.backends.cudnn.allow_tf32 = bool(enabled)
    try:
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32 = before["matmul"]
        torch.backends.cudnn.allow_tf32 = before["cudnn"]


def describe(device="cpu"):
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
        "device": device,
        "device_name": device_name(device),
        "cuda_version": torch.version.cuda,
        "cudnn_version": torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
        "tf32_matmul": tf32_state()["matmul"],
        "tf32_cudnn": tf32_state()["cudnn"],
    }


def matmul_step(A, B):
    """A function that multiplies A @ B (NumPy arrays, copied into tensors once) with torch.mm: the
    bench's measure of the matrix-multiply peak torch reaches on the threads it has."""
    A, B = torch.from_numpy(A.copy()), torch.from_numpy(B.copy())
    return lambda: torch.mm(A, B)
