"""The environment a report was produced in: versions, BLAS, CPU, threads, dtype defaults, date, seed."""

import datetime
import os
import pathlib
import platform
import subprocess
import sys

import matplotlib
import numpy as np
from threadpoolctl import threadpool_info

from torch_impl import runtime

from ..core.echo import printable
from .model import Section, Table


def cpu_model():
    """The CPU's marketing name from /proc/cpuinfo (Linux), else what platform knows."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def blas_libraries():
    """The BLAS/LAPACK libraries loaded into this process, with their thread counts.

    threadpoolctl sees what is actually loaded (NumPy's OpenBLAS and torch's MKL/OpenMP alike, torch being
    loaded through torch_impl); where it finds none, NumPy's build configuration says what NumPy was linked against.
    """
    found = [
        {
            "api": i.get("internal_api"),
            "version": i.get("version"),
            "threads": i.get("num_threads"),
            "library": os.path.basename(i.get("filepath", "")),
        }
        for i in threadpool_info()
    ]
    if found:
        return found
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        return [{"api": blas.get("name"), "version": blas.get("version"), "threads": None, "library": "numpy build"}]
    except (TypeError, AttributeError):  # NumPy < 1.25 has no mode="dicts"
        return [{"api": "see numpy.__config__", "version": None, "threads": None, "library": "numpy build"}]


def git_commit():
    """The commit the report was produced from, when run inside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=5,
            cwd=pathlib.Path(__file__).parent,
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def environment(seed=0, device="cpu"):
    """Plain data describing the machine and the libraries."""
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cpu_count": os.cpu_count(),
        "blas": blas_libraries(),
        **runtime.describe(device),
        "numpy_default_float": np.array(1.0).dtype.name,
        "seed": seed,
        "git_commit": git_commit(),
        # printable: an undecodable byte comes as a lone surrogate, which is not Unicode JSON can hold
        "argv": printable(" ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))),
    }


def environment_section(ctx):
    env = environment(ctx.seed, ctx.device)
    blas = "; ".join(
        f"{b['api']} {b['version'] or ''} ({b['library']}, {b['threads']} threads)".replace(" ()", "")
        for b in env["blas"]
    )
    rows = [
        ["date (UTC)", env["date"]],
        ["Python", env["python"]],
        ["NumPy", env["numpy"]],
        ["PyTorch", env["torch"]],
        ["matplotlib", env["matplotlib"]],
        ["BLAS loaded", blas],
        ["torch BLAS (build)", env["torch_blas"]],
        ["CPU", f"{env['cpu']} ({env['cpu_count']} logical CPUs)"],
        ["platform", env["platform"]],
        ["torch threads (intra-op / inter-op)", f"{env['torch_threads']} / {env['torch_interop_threads']}"],
        ["default dtypes", f"torch {env['torch_default_dtype']}, NumPy {env['numpy_default_float']}"],
        ["torch device", f"{env['device']} ({env['device_name']})"],
        ["CUDA / cuDNN", f"{env['cuda_version'] or 'none'} / {env['cudnn_version'] or 'none'}"],
        ["TF32 (matmul / cuDNN)", f"{env['tf32_matmul']} / {env['tf32_cudnn']}"],
        ["seed", str(env["seed"])],
        ["git commit", env["git_commit"] or "unknown"],
    ]
    return Section("environment", "Environment", data=env, blocks=[Table(["item", "value"], rows)])
