"""The test suite's wall time at several xdist worker counts: a benchmark, never a timed test.

    python -m benchmarks.suite                      # -n 1, 2 and 4, once each; a table
    python -m benchmarks.suite --workers 2,8,16 --repeats 2 --json
    python -m benchmarks.suite --workers 0 -- tests/test_matrix.py   # pytest arguments after --

Each run is `make test`'s command (its bytecode cache included) with `-n N -p no:randomly`, so runs
differ only in their worker count and keep one order; 0 runs without xdist, in one process. A run
records its wall time, the CPU seconds of pytest and every process it waited for
(RUSAGE_CHILDREN), its test counts and its five slowest tests (setup, call and teardown together,
from pytest's JUnit XML, written to a temporary folder). Exit 0 when every run passed, 1 when a run's
suite failed (its timing is not one of a passing suite), 2 on bad usage: this command's arguments,
or pytest's (a usage error, or a selection that collects no test).
"""

import argparse
import importlib.metadata
import json
import os
import pathlib
import platform
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

from tabulate import tabulate

from crosscheck.core.arguments import bounded_int, positive_int, usable_cores

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYCACHE = pathlib.Path.home() / ".cache" / "crosscheck" / "pycache"  # the Makefile's default PYCACHE
SLOWEST = 5
BAD_PYTEST_USAGE = (4, 5)  # pytest.ExitCode.USAGE_ERROR, NO_TESTS_COLLECTED


def worker_counts(text):
    """Comma-separated worker counts, each 0 (no xdist) up to 4x the usable cores: more than that
    starts dozens of interpreters that measure the machine's memory, not the suite."""
    most = 4 * usable_cores()
    expected = f"comma-separated whole numbers from 0 to {most} (4x the usable cores) such as 1,2,4"
    count = bounded_int(0, most, expected)
    try:
        return [count(p) for p in str(text).split(",")]
    except argparse.ArgumentTypeError:  # said of the whole list, as it was given
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None


def junit_results(path):
    """{"tests", "failed", "skipped", "slowest": [{"test", "seconds"}]} from pytest's JUnit XML."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    count = lambda key: sum(int(s.get(key, 0)) for s in suites)  # noqa: E731
    cases = [c for s in suites for c in s.iter("testcase")]
    timed = sorted(cases, key=lambda c: float(c.get("time", 0)), reverse=True)[:SLOWEST]
    return {
        "tests": count("tests"),
        "failed": count("failures") + count("errors"),
        "skipped": count("skipped"),
        "slowest": [
            {"test": f"{c.get('classname', '')}::{c.get('name', '')}", "seconds": float(c.get("time", 0))}
            for c in timed
        ],
    }


def command(workers, junit, pytest_args):
    """The pytest command line of one run (make test's, with the worker count and a fixed order)."""
    return [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-n",
        str(workers),
        "-p",
        "no:randomly",
        f"--junitxml={junit}",
    ] + list(pytest_args)


def run_once(workers, pytest_args, folder):
    """One timed run of the suite with `workers` xdist workers: its record."""
    junit = pathlib.Path(folder) / f"junit-{workers}-{time.monotonic_ns()}.xml"
    # a run started from inside a test (or an xdist worker) must not look like one of its workers
    inherited = ("PYTHONDONTWRITEBYTECODE", "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER", "PYTEST_XDIST_WORKER_COUNT")
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env["PYTHONPYCACHEPREFIX"] = os.environ.get("PYTHONPYCACHEPREFIX") or str(PYCACHE)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command(workers, junit, pytest_args), cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    record = {
        "workers": workers,
        "wall_s": round(wall, 2),
        "user_s": round(after.ru_utime - before.ru_utime, 2),
        "sys_s": round(after.ru_stime - before.ru_stime, 2),
        "exit": done.returncode,
    }
    record |= junit_results(junit) if junit.exists() else {"tests": 0, "failed": 0, "skipped": 0, "slowest": []}
    if done.returncode in BAD_PYTEST_USAGE or not junit.exists():  # pytest's last words say why
        words = (done.stderr.strip() or done.stdout.strip()).splitlines()
        record["error"] = words[-1] if words else f"pytest exit {done.returncode}"
    return record


def _version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _cpu_model():
    """The CPU's model where the system names it (Linux on x86, macOS), else its architecture."""
    cpuinfo = pathlib.Path("/proc/cpuinfo")
    if cpuinfo.exists():  # platform.processor() often says only "x86_64"
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    if sys.platform == "darwin":
        named = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True)
        if named.returncode == 0 and named.stdout.strip():
            return named.stdout.strip()
    return platform.processor() or platform.machine()


def host():
    """What the runs ran on: usable cores, the CPU's model, and the versions that set the suite's speed
    (None for a package that is not installed)."""
    versions = {name: _version(name) for name in ("torch", "numpy", "pytest", "pytest-xdist")}
    return {"cores": usable_cores(), "cpu": _cpu_model(), "python": platform.python_version(), **versions}


def measure(workers, repeats, pytest_args):
    """Records of `repeats` rounds over the worker counts, interleaved: the machine's slow spells
    then fall on every count alike rather than on whichever ran last."""
    with tempfile.TemporaryDirectory(prefix="crosscheck-suite-bench-") as folder:
        return [run_once(n, pytest_args, folder) for _ in range(repeats) for n in workers]


def _result(record):
    if record["exit"] == 0:
        return "passed"
    if record.get("error"):
        return f"exit {record['exit']}: {record['error'][:60]}"
    return f"exit {record['exit']}, {record['failed']} failed"


def tables(records):
    """(the runs' table, the slowest tests' table) as text."""
    runs = [
        [
            r["workers"] or "none",
            f"{r['wall_s']:.1f}",
            f"{r['user_s']:.1f}",
            f"{r['sys_s']:.1f}",
            r["tests"],
            _result(r),
        ]
        for r in records
    ]
    slow = [[r["workers"] or "none", f"{s['seconds']:.2f}", s["test"]] for r in records for s in r["slowest"]]
    return (
        tabulate(runs, ["workers", "wall s", "user CPU s", "sys CPU s", "tests", "result"], disable_numparse=True),
        tabulate(slow, ["workers", "s", f"slowest {SLOWEST} (setup + call + teardown)"], disable_numparse=True),
    )


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.suite", description=__doc__.splitlines()[0], allow_abbrev=False
    )
    p.add_argument("--workers", type=worker_counts, default=[1, 2, 4], help="xdist worker counts (default 1,2,4)")
    p.add_argument("--repeats", type=positive_int, default=1, help="rounds over the worker counts (default 1)")
    p.add_argument("--json", action="store_true", help="print the records as JSON instead of the tables")
    p.add_argument("pytest_args", nargs="*", help="after --: more pytest arguments, e.g. a test path")
    args = p.parse_args(argv)
    machine = host()  # first: nothing after the runs may lose their minutes
    try:
        records = measure(args.workers, args.repeats, args.pytest_args)
    except KeyboardInterrupt:  # the running pytest got the same Ctrl-C and ends itself
        print("python -m benchmarks.suite: interrupted", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps({"host": machine, "records": records}, indent=2))
    else:
        runs, slow = tables(records)
        print(
            f"the suite on {machine['cores']} usable cores of {machine['cpu']} (Python {machine['python']}, torch "
            f"{machine['torch']}; -p no:randomly; CPU: pytest and every process it waited for)"
        )
        print(runs, slow, sep="\n\n")
    for r in records:
        if r.get("error"):
            print(
                f"python -m benchmarks.suite: -n {r['workers']}: pytest exit {r['exit']}: {r['error']}", file=sys.stderr
            )
    return exit_status(records)


def exit_status(records):
    """2 if pytest was used wrongly in a run, else 1 if a run's suite failed, else 0."""
    if any(r["exit"] in BAD_PYTEST_USAGE for r in records):
        return 2
    return 0 if all(r["exit"] == 0 for r in records) else 1


if __name__ == "__main__":
    sys.exit(main())
