"""`crosscheck train DATASET`: train the reference and the torch twin side by side, show both, plot both.

Exit codes: 0 the two agree at every step; 1 the implementations disagree (the first step and
quantity named); 2 bad usage or input; 3 the training diverged in both alike (loss inf or nan on
both sides at the same step: lower the learning rate).
"""

import json
import math
import pathlib
import sys

import numpy as np
from tabulate import tabulate

from torch_impl import runtime

from ..core.arguments import (
    folder,
    hidden_sizes,
    non_negative_float,
    output_file,
    positive_float,
    positive_int,
    seed,
)
from ..core.canvas import figure, in_default_style, save
from ..core.echo import printable
from ..core.ops import HIDDEN
from .datasets import NAMES
from .runs import DATASET_DEFAULTS, DEFAULTS, L2_AS, train_side_by_side

DIVERGED = 3  # exit code: the training blew up alike on both sides (see the module note)


def _sizes(text):
    return tuple(hidden_sizes(text))


def _png_out(text):
    """--out: a .png file to write, or a folder for DATASET_loss.png."""
    return output_file(text) if text.lower().endswith(".png") else folder(text)


def add_arguments(p):
    p.description = __doc__.splitlines()[0]
    p.add_argument("dataset", choices=NAMES)
    p.add_argument("--regime", choices=("batch", "sgd", "minibatch"), default=DEFAULTS["regime"])
    p.add_argument(
        "--batch-size",
        type=positive_int,
        default=None,
        help=f"mini-batch size, with --regime minibatch only (default {DEFAULTS['batch_size']})",
    )
    p.add_argument(
        "--learning-rate",
        type=positive_float,
        default=None,
        help=f"default {DEFAULTS['learning_rate']}, per data set {DATASET_DEFAULTS}",
    )
    p.add_argument("--epochs", type=positive_int, default=DEFAULTS["epochs"])
    p.add_argument("--hidden", type=_sizes, default=DEFAULTS["hidden"], help="hidden layer sizes, e.g. 64 or 64,32")
    p.add_argument("--activation", default=DEFAULTS["activation"], choices=HIDDEN)
    p.add_argument("--reduction", choices=("mean", "sum"), default=DEFAULTS["reduction"])
    p.add_argument("--seed", type=seed, default=DEFAULTS["seed"], help="0 to 2**32 - 1 (default %(default)s)")
    p.add_argument("--dtype", choices=("float64", "float32"), default=DEFAULTS["dtype"])
    p.add_argument("--l1", type=non_negative_float, default=0.0, help="doc 004's L1 term l1 * sum |W|")
    p.add_argument("--l2", type=non_negative_float, default=0.0, help="doc 004's L2 term l2 * sum W^2")
    p.add_argument(
        "--l2-as", choices=L2_AS, default="loss", help="torch side: L2 as a loss term or SGD weight_decay = 2 l2"
    )
    p.add_argument(
        "--out",
        type=_png_out,
        default=None,
        help="write the loss curves: a PNG path, or a folder for DATASET_loss.png (default: no figure)",
    )
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument(
        "--json", action="store_true", help="print the run as JSON (per-epoch history, verdict) instead of tables"
    )
    p.add_argument(
        "--device", default="cpu", choices=runtime.DEVICES, help="where the torch twin trains (default: cpu)"
    )
    p.add_argument("--tf32", action="store_true", help="float32 matmuls in TF32 on CUDA (off by default)")
    p.set_defaults(func=run)


@in_default_style
def plot_losses(result, path):
    """Both per-epoch training-loss curves in one PNG (matplotlib's object API on the Agg canvas)."""
    epochs = [h["epoch"] for h in result.history]
    fig = figure(6, 4, left=0.95, right=0.15, bottom=0.55, top=0.35)  # up to 6-digit costs
    ax = fig.subplots()
    ax.plot(epochs, [h["ref_loss"] for h in result.history], "o-", label="reference (NumPy)")
    ax.plot(epochs, [h["torch_loss"] for h in result.history], "x--", label="torch.optim.SGD")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training cost J")
    ax.set_title(f"{result.dataset}: {result.config['regime']}, lr {result.config['learning_rate']}")
    ax.legend()
    return save(fig, path, dpi=100)


def _png_path(out, dataset):
    path = pathlib.Path(out)
    if path.suffix.lower() != ".png":
        path.mkdir(parents=True, exist_ok=True)
        path = path / f"{dataset}_loss.png"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    return path


def run(args):
    if args.batch_size is not None and args.regime != "minibatch":
        raise ValueError(
            f"--batch-size: expected only with --regime minibatch (sgd steps on one example, batch on all), "
            f"got --batch-size {args.batch_size} with --regime {args.regime}"
        )
    args.batch_size = DEFAULTS["batch_size"] if args.batch_size is None else args.batch_size  # both >= 1 (positive_int)
    device = runtime.check_device(args.device)  # a ValueError: cli.main's exit 2 with the reason
    # A run that blows up is judged and reported (diverged in both, or the reference refusing);
    # NumPy's overflow warnings from inside the reference would only say it first, as a traceback-like
    # line into reference/.
    with runtime.tf32(args.tf32), np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        try:
            result = _train(args, device)
        except (MemoryError, RuntimeError) as exc:  # an allocation past what the machine has: the sizes asked
            if not runtime.out_of_memory(exc):
                raise
            raise ValueError(
                f"--hidden, --batch-size: expected sizes whose arrays fit in this machine's memory, got "
                f"--hidden {','.join(map(str, args.hidden))}, --regime {args.regime}, --batch-size "
                f"{args.batch_size} ({exc})"
            ) from exc
    return _show(args, result)


def _train(args, device):
    rate = {} if args.learning_rate is None else {"learning_rate": args.learning_rate}
    return train_side_by_side(
        args.dataset,
        progress=not args.no_progress,
        **rate,
        regime=args.regime,
        batch_size=args.batch_size,
        epochs=args.epochs,
        hidden=args.hidden,
        activation=args.activation,
        seed=args.seed,
        dtype=args.dtype,
        l1=args.l1,
        l2=args.l2,
        l2_as=args.l2_as,
        reduction=args.reduction,
        device=device,
    )


def _show(args, result):
    # Nothing is written into the working folder unless asked: the figure only with --out.
    png = plot_losses(result, _png_path(args.out, args.dataset)) if args.out is not None else None
    if args.json:
        print(json.dumps(to_json(result, png), indent=1))
    else:
        print_tables(result, png)
    if result.outcome == "diverged":
        print(f"crosscheck train: {result.trajectory.diverged.detail}", file=sys.stderr)
        return DIVERGED
    if not result.ok:
        print(f"crosscheck train: the two implementations diverge: {result.trajectory.first}", file=sys.stderr)
        return 1
    return 0


def _number(x):
    """JSON has no inf or nan: those become null."""
    return float(x) if x is not None and math.isfinite(x) else None


def to_json(result, png):
    """A run as `crosscheck train --json` prints it: the configuration, per-epoch history, accuracies, verdict."""
    t = result.trajectory
    config = {k: list(v) if isinstance(v, tuple) else v for k, v in result.config.items()}
    per_class = result.per_class_accuracy and {
        side: {str(c): _number(a) for c, a in acc.items()} for side, acc in result.per_class_accuracy.items()
    }
    return {
        "dataset": result.dataset,
        "config": config,
        "ok": bool(result.ok),
        "steps": t.steps,
        "history": [{k: _number(v) if isinstance(v, float) else v for k, v in h.items()} for h in result.history],
        "test_accuracy": result.test_accuracy,
        "per_class_accuracy": per_class,
        "max_param_diff": _number(t.max_param_diff),
        "worst_rel": {k: _number(v) for k, v in t.worst_rel.items()},
        "first_divergence": str(t.first) if t.first else None,
        "loss_curves": printable(png) if png else None,
        "seconds": round(result.seconds, 3),
    }


def print_tables(result, png):
    classification = result.test_accuracy is not None
    headers = ["epoch", "J ref", "J torch"] + (
        ["train acc ref", "train acc torch", "test acc ref", "test acc torch"]
        if classification
        else ["test J ref", "test J torch"]
    )
    rows = []
    for h in result.history:
        keys = (
            ("ref_train_acc", "torch_train_acc", "ref_test_acc", "torch_test_acc")
            if classification
            else ("ref_test_loss", "torch_test_loss")
        )
        tail = [h[k] for k in keys]
        rows.append([h["epoch"], h["ref_loss"], h["torch_loss"], *tail])
    print(tabulate(rows, headers, floatfmt=".7g"))  # g: a blown-up loss would print 130 digits in f
    print()
    if classification:
        ref, other = result.per_class_accuracy["reference"], result.per_class_accuracy["torch"]
        print(
            tabulate([[c, ref[c], other[c]] for c in ref], ["class", "test acc ref", "test acc torch"], floatfmt=".4f")
        )
        print()
        print(
            f"test accuracy: reference {result.test_accuracy['reference']:.4f}, torch {result.test_accuracy['torch']:.4f}"
        )
    print(
        f"largest parameter difference over {result.trajectory.steps} of {result.config['steps']} steps: {result.trajectory.max_param_diff:.3e}"
    )
    print(result.trajectory.summary())
    if png:
        print(f"loss curves: {printable(png)}")  # the caller's folder name, which may hold ESC
    print(f"time: {result.seconds:.1f} s")
