"""Apply each mutant to a temporary COPY of the tree (never the checkout), run pytest there, tabulate.

A mutant is killed when the suite fails on it (pytest exits 1, a failing test, or 2, a collection
error such as an import broken by the mutant); it survives when the whole suite passes. A selection
that collects no test (exit 5) or a usage error (exit 4, a test path that is not there) proves
nothing either way: it is its own result, never a kill. `-x` stops at the first failure, so
killed mutants cost seconds and survivors the whole suite. `-p no:randomly` keeps the order fixed
so a kill is reproducible.

Before any mutant, each test selection the table will use runs on the unmutated copy: a failure the
tree has by itself would otherwise count as a kill of every mutant (the copy once lacked the
documents, ../shared/seeds, and its whole-suite runs "killed" whatever reached them). Each kill
names the first test that failed. tests/test_mutants.py never runs in a mutated tree: it checks every
snippet against its file, so there it fails whatever the mutant does.

The runs fork from one warm process per copy (mutants/warm.py) that has torch and pytest loaded;
each run imports the copy's own modules after its mutant is written.
"""

import argparse
import atexit
import contextlib
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time

from tabulate import tabulate

from crosscheck.catalogue import seeds
from crosscheck.core.forkserver import ForkServer

from .table import EQUIVALENT, FIRST_PASS, MUTANTS

ROOT = pathlib.Path(__file__).resolve().parent.parent
SKIP = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info", "build")


def copy_tree(dest):
    """The checkout's sources, tests and shipped reports under dest (no git, venv or caches)."""
    shutil.copytree(ROOT, dest, ignore=SKIP, dirs_exist_ok=True)
    return dest


def apply(tree, mutant):
    """Write the mutated file into `tree`; returns the original text to restore."""
    path = tree / mutant.path
    text = path.read_text()
    count = text.count(mutant.old)
    if count != 1:
        raise ValueError(f"{mutant.path}: expected the snippet {mutant.old!r} once, got {count} occurrences")
    _write(path, text.replace(mutant.old, mutant.new))
    return text


@contextlib.contextmanager
def mutated(tree, mutant):
    """`tree` with `mutant` applied inside the block, and restored after it."""
    path = tree / mutant.path
    original = apply(tree, mutant)
    try:
        yield
    finally:
        _write(path, original)


def _write(path, text):
    """Write and move the file's mtime on by a whole second at least. The runs cache bytecode in the
    tree, and Python trusts a .pyc whose recorded mtime (in whole seconds) and size match the source:
    a mutant of the same length, written within the second, would otherwise run the old code."""
    before = path.stat().st_mtime
    path.write_text(text)
    if int(path.stat().st_mtime) <= int(before):
        os.utime(path, (before + 1, before + 1))


# pytest's exit statuses (pytest.ExitCode) that are no verdict on the mutant
NOT_RUN = {4: "usage error", 5: "no tests"}


class CleanTreeFails(RuntimeError):
    """The unmutated copy fails a selection: no kill in it would be the mutant's doing."""


def _first_failure(output):
    """The test id of pytest's first FAILED or ERROR summary line ("" if none)."""
    for line in output.splitlines():
        if line.startswith(("FAILED ", "ERROR ")):
            return line.split(" ", 1)[1].split(" - ", 1)[0]
    return ""


def run_tests(tree, tests, jobs, timeout):
    """(result, seconds, first failing test) for the tests run in `tree`; result is "killed",
    "survived", "timeout", "no tests" or "usage error"."""
    args = [*tests, "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    # The table's own tests check each snippet against its file: in a mutated tree they always fail.
    args.append("--ignore=tests/test_mutants.py")
    if jobs:
        args += ["-n", str(jobs)]
    start = time.perf_counter()
    returncode, output = _pytest_in(tree, args, timeout)
    seconds = time.perf_counter() - start
    if returncode is None:
        return "timeout", seconds, ""
    if returncode in NOT_RUN:
        return NOT_RUN[returncode], seconds, ""
    if returncode == 0:
        return "survived", seconds, ""
    return "killed", seconds, _first_failure(output) or f"pytest exit {returncode}"


WARM = pathlib.Path(__file__).with_name("warm.py")
_servers = {}  # tree -> its warm.py fork server


def _environment(tree):
    # The copy has no ../shared/seeds beside it: point it at the documents the checkout reads. Its
    # bytecode goes to __pycache__ inside the copy, removed with it: no PYTHONPYCACHEPREFIX (a prefix
    # also holds every library's bytecode, and an empty one recompiled torch in each copy's first run).
    # Nor xdist's worker variables, which a run started from inside the suite would inherit.
    dropped = ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped and not k.startswith("PYTEST_XDIST_")}
    env[seeds.ENV] = str(seeds.directory())
    return env


def _pytest_in(tree, args, timeout):
    """(pytest's exit status, its output) for `pytest ARGS` in `tree`, forked from the tree's warm
    server (mutants/warm.py); (None, output so far) past `timeout` seconds."""
    server = _servers.get(tree)
    if server is None or not server.usable():
        server = _servers[tree] = ForkServer([sys.executable, str(WARM)], env=_environment(tree), cwd=tree)
    log = tree / ".mutants-run.log"
    status = server.run({"args": args, "log": str(log)}, timeout)  # a closed server is replaced next time
    return status, log.read_text(errors="replace") if log.is_file() else ""


def close_servers():
    for server in _servers.values():
        server.close()
    _servers.clear()


atexit.register(close_servers)


def check_clean(tree, selections, jobs, timeout):
    """Run each selection on the unmutated tree; CleanTreeFails names the first that does not pass."""
    for selection in selections:
        result, seconds, by = run_tests(tree, selection, jobs, timeout)
        if result != "survived":
            raise CleanTreeFails(f"the unmutated tree gives {result!r} on {' '.join(selection)}: {by}")


def mutate_and_test(mutants, tests=("tests",), jobs=2, timeout=900, progress=True):
    """One row per mutant: its area, file, what it breaks, the result and the seconds it took.

    Each mutant meets its area's first-pass tests (in one process), then, if it survives them, all of
    `tests` (with `jobs` xdist workers); every selection used has first passed on the unmutated tree
    (check_clean).
    """
    rows = []
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        tree = copy_tree(pathlib.Path(tmp) / "tree")
        tests = list(tests)
        first_pass = {m.area: FIRST_PASS.get(m.area, tests) for m in mutants}
        selections = [tests]
        for selection in first_pass.values():
            selections += [selection] * (selection not in selections)
        check_clean(tree, selections, jobs, timeout)
        for i, mutant in enumerate(mutants, 1):
            with mutated(tree, mutant):
                # The first pass runs in the warm process itself (jobs 0): -x stops at the first
                # failure, which one process reaches in about a second; xdist's workers start afresh.
                result, seconds, by = run_tests(tree, first_pass[mutant.area], 0, timeout)
                if result == "survived" and first_pass[mutant.area] != tests:
                    result, more, by = run_tests(tree, tests, jobs, timeout)
                    seconds += more
            note = EQUIVALENT.get(mutant.what, "") if result == "survived" else ""
            rows.append(
                dict(
                    area=mutant.area,
                    path=mutant.path,
                    what=mutant.what,
                    result=result,
                    seconds=seconds,
                    by=by,
                    note=note,
                )
            )
            if progress:
                line = f"[{i}/{len(mutants)}] {result:8s} {seconds:6.1f} s  {mutant.what}" + (f"  ({by})" if by else "")
                print(line, file=sys.stderr, flush=True)
        close_servers()  # before their folder goes
    return rows


def summary(rows):
    killed = sum(r["result"] in ("killed", "timeout") for r in rows)
    equivalent = sum(r["result"] == "survived" and bool(r["note"]) for r in rows)
    judged = len(rows) - equivalent
    return dict(total=len(rows), killed=killed, equivalent=equivalent, score=killed / judged if judged else 1.0)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m mutants", description=__doc__.splitlines()[0], allow_abbrev=False)
    p.add_argument(
        "--only",
        action="append",
        help="run the mutants whose description or file contains this text (repeat for several)",
    )
    p.add_argument("--tests", nargs="+", default=["tests"], help="test paths to run (default: the whole suite)")
    p.add_argument("--jobs", type=int, default=2, help="pytest-xdist workers (0: none)")
    p.add_argument("--timeout", type=int, default=900, help="seconds per mutant before it counts as killed by timeout")
    p.add_argument("--json", help="also write the rows and the summary to this JSON file")
    args = p.parse_args(argv)
    only = args.only or [""]
    chosen = [m for m in MUTANTS if any(text in m.what or text in m.path for text in only)]
    missing = [text for text in only if not any(text in m.what or text in m.path for m in MUTANTS)]
    if missing:
        print(f"python -m mutants: --only {missing[0]!r} matches no mutant", file=sys.stderr)
        return 2
    try:
        rows = mutate_and_test(chosen, args.tests, args.jobs, args.timeout)
    except CleanTreeFails as exc:
        print(f"python -m mutants: {exc}", file=sys.stderr)
        return 2
    table = [[r["area"], r["what"], r["result"], f"{r['seconds']:.1f}", r["by"] or r["note"]] for r in rows]
    print(tabulate(table, ["area", "mutant", "result", "s", "killed by (or why it survives)"]))
    s = summary(rows)
    print(f"\n{s['killed']} of {s['total']} killed, {s['equivalent']} equivalent: score {100 * s['score']:.1f}%")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps({"summary": s, "rows": rows}, indent=1))
    return 0 if s["killed"] + s["equivalent"] == s["total"] else 1
