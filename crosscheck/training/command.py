"""`crosscheck train DATASET`: train the reference and the torch twin side by side, show both, plot both.

Exit codes: 0 the two agree at every step; 1 the implementations disagree (the first step and
quantity named); 2 bad usage or input; 3 the training diverged in both alike (loss inf or nan on
both sides at the same step: lower the learning rate).
"""

import argparse
import pathlib
import sys

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from tabulate import tabulate

from ..core.ops import HIDDEN
from .datasets import NAMES
from .runs import DATASET_DEFAULTS, DEFAULTS, L2_AS, train_side_by_side

DIVERGED = 3  # exit code: the training blew up alike on both sides (see the module note)


def _sizes(text):
    try:
        sizes = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated layer sizes such as 64 or 64,32, got {text!r}"
        ) from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected positive layer sizes such as 64 or 64,32, got {text!r}")
    return sizes


def add_parser(sub):
    p = sub.add_parser(
        "train",
        help="train both implementations side by side on a scikit-learn data set",
        description=__doc__.splitlines()[0],
    )
    p.add_argument("dataset", choices=NAMES)
    p.add_argument("--regime", choices=("batch", "sgd", "minibatch"), default=DEFAULTS["regime"])
    p.add_argument("--batch-size", type=int, default=DEFAULTS["batch_size"], help="mini-batch size")
    p.add_argument(
        "--learning-rate",
        type=float,
        default=None,
        help=f"default {DEFAULTS['learning_rate']}, per data set {DATASET_DEFAULTS}",
    )
    p.add_argument("--epochs", type=int, default=DEFAULTS["epochs"])
    p.add_argument("--hidden", type=_sizes, default=DEFAULTS["hidden"], help="hidden layer sizes, e.g. 64 or 64,32")
    p.add_argument("--activation", default=DEFAULTS["activation"], choices=HIDDEN)
    p.add_argument("--reduction", choices=("mean", "sum"), default=DEFAULTS["reduction"])
    p.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    p.add_argument("--dtype", choices=("float64", "float32"), default=DEFAULTS["dtype"])
    p.add_argument("--l1", type=float, default=0.0, help="doc 004's L1 term l1 * sum |W|")
    p.add_argument("--l2", type=float, default=0.0, help="doc 004's L2 term l2 * sum W^2")
    p.add_argument(
        "--l2-as", choices=L2_AS, default="loss", help="torch side: L2 as a loss term or SGD weight_decay = 2 l2"
    )
    p.add_argument("--out", default="train_loss.png", help="PNG path, or a folder for DATASET_loss.png")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.set_defaults(func=run)


def plot_losses(result, path):
    """Both per-epoch training-loss curves in one PNG (matplotlib's object API on the Agg canvas)."""
    epochs = [h["epoch"] for h in result.history]
    fig = Figure(figsize=(6, 4), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot(epochs, [h["ref_loss"] for h in result.history], "o-", label="reference (NumPy)")
    ax.plot(epochs, [h["torch_loss"] for h in result.history], "x--", label="torch.optim.SGD")
    ax.set_xlabel("epoch")
    ax.set_ylabel("training cost J")
    ax.set_title(f"{result.dataset}: {result.config['regime']}, lr {result.config['learning_rate']}")
    ax.legend()
    fig.savefig(path, dpi=100)
    return path


def _png_path(out, dataset):
    path = pathlib.Path(out)
    if path.suffix.lower() != ".png":
        path.mkdir(parents=True, exist_ok=True)
        path = path / f"{dataset}_loss.png"
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    return path


def run(args):
    for name in ("epochs", "batch_size"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')}: expected a positive integer, got {getattr(args, name)}")
    rate = {} if args.learning_rate is None else {"learning_rate": args.learning_rate}
    result = train_side_by_side(
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
    )
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
    print(tabulate(rows, headers, floatfmt=".6f"))
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
    print(f"loss curves: {plot_losses(result, _png_path(args.out, args.dataset))}")
    print(f"time: {result.seconds:.1f} s")
    if result.outcome == "diverged":
        print(f"crosscheck train: {result.trajectory.diverged.detail}", file=sys.stderr)
        return DIVERGED
    if not result.ok:
        print(f"crosscheck train: the two implementations diverge: {result.trajectory.first}", file=sys.stderr)
        return 1
    return 0
