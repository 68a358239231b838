"""`crosscheck report`: run the whole matrix and write a Markdown summary (table by activation x pairing x dtype)."""

import pathlib
import sys
from collections import defaultdict

from tabulate import tabulate

from .matrix import KINKS, MATRIX, quick_matrix
from .traces import run_case


def run_matrix(cases):
    """Comparison for every case, in order."""
    return [(case, run_case(case)) for case in cases]


def summary_table(results):
    """Rows: hidden activation x pairing x dtype, with case count, failures and worst relative error."""
    groups = defaultdict(list)
    for case, comparison in results:
        groups[(case.hidden, case.pairing, case.dtype)].append(comparison)
    rows = []
    for (hidden, pairing, dtype), comps in sorted(groups.items()):
        rows.append([hidden, pairing, dtype, len(comps), sum(not c.ok for c in comps), f"{max(c.worst_rel for c in comps):.2e}"])
    return ["hidden", "output+loss", "dtype", "cases", "failures", "worst rel. error"], rows


def write_summary(results, out_dir):
    headers, rows = summary_table(results)
    failures = [c for _, c in results if not c.ok]
    lines = [
        "# crosscheck: reference vs PyTorch",
        "",
        f"{len(results)} cases, {sum(len(c.rows) for _, c in results)} quantities compared, {len(failures)} failing.",
        "",
        tabulate(rows, headers, tablefmt="github"),
        "",
    ]
    lines += [f"- {c.first_divergence()}" for c in failures[:50]]
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "SUMMARY.md"
    path.write_text("\n".join(lines) + "\n")
    return path, headers, rows, failures


def run(args):
    cases = quick_matrix() if args.quick else MATRIX + KINKS
    results = run_matrix(cases)
    path, headers, rows, failures = write_summary(results, args.out)
    print(tabulate(rows, headers))
    print(f"\n{len(results)} cases, {len(failures)} failing; written to {path}")
    for c in failures[:10]:
        print(c.first_divergence(), file=sys.stderr)
    return 1 if failures else 0


def add_parser(sub):
    p = sub.add_parser("report", help="run the cross-check matrix and write the report")
    p.add_argument("--out", default="reports", help="output folder (default: reports/)")
    p.add_argument("--quick", action="store_true", help="a small matrix, for CI")
    p.set_defaults(func=run)
