"""benchmarks/suite.py, the suite's timing at several worker counts: its parsing of pytest's JUnit XML,
its usage errors and its exit statuses, on planted test files (no timing is asserted beyond a planted
sleep's lower bound)."""

import importlib.metadata
import json

import pytest

from benchmarks import suite
from crosscheck.core.arguments import usable_cores

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="1" failures="2" skipped="1" tests="8" time="9.9">
<testcase classname="tests.test_a" name="test_one" time="0.5"/>
<testcase classname="tests.test_a" name="test_two[x]" time="3.25"/>
<testcase classname="tests.test_b" name="test_three" time="0.001"/>
<testcase classname="tests.test_b" name="test_four" time="1.75"><failure message="no"/></testcase>
<testcase classname="tests.test_c" name="test_five" time="2.0"/>
<testcase classname="tests.test_c" name="test_six" time="0.75"><skipped message="s"/></testcase>
<testcase classname="tests.test_c" name="test_seven" time="0.25"><failure message="no"/></testcase>
<testcase classname="tests.test_d" name="test_eight" time="0.1"><error message="e"/></testcase>
</testsuite></testsuites>
"""

PLANTED = """
import time
def test_passes(): pass
def test_sleeps(): time.sleep(0.3)
"""


def test_junit_gives_the_counts_and_the_five_slowest(tmp_path):
    path = tmp_path / "junit.xml"
    path.write_text(JUNIT)
    got = suite.junit_results(path)
    assert (got["tests"], got["failed"], got["skipped"]) == (8, 3, 1)
    assert [(s["test"], s["seconds"]) for s in got["slowest"]] == [
        ("tests.test_a::test_two[x]", 3.25),
        ("tests.test_c::test_five", 2.0),
        ("tests.test_b::test_four", 1.75),
        ("tests.test_c::test_six", 0.75),
        ("tests.test_a::test_one", 0.5),
    ]


@pytest.mark.parametrize(
    "argv, word",
    [
        (["--workers", "x"], "--workers"),
        (["--workers", ""], "--workers"),
        (["--workers", "-1"], "--workers"),
        (["--workers", "1,,2"], "--workers"),
        (["--workers", str(4 * usable_cores() + 1)], "--workers"),
        (["--repeats", "0"], "--repeats"),
        (["--repeats", "1.5"], "--repeats"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_bad_usage_exits_2_naming_the_argument(argv, word, capsys):
    with pytest.raises(SystemExit) as ended:
        suite.main(argv)
    assert ended.value.code == 2
    assert word in capsys.readouterr().err.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "exits, status",
    [((0, 0), 0), ((0, 1), 1), ((1, 0), 1), ((0, 2), 1), ((0, 4), 2), ((5, 0), 2), ((1, 4), 2)],
    ids=str,
)
def test_exit_status_puts_bad_pytest_usage_before_a_failing_suite(exits, status):
    # pytest's own statuses: 1 tests failed, 2 interrupted, 4 usage error, 5 no test collected
    assert suite.exit_status([{"exit": e} for e in exits]) == status


def test_a_run_records_its_tests_and_its_slowest(tmp_path, capsys):
    planted = tmp_path / "test_planted.py"
    planted.write_text(PLANTED + "def test_fails(): assert False\n")
    assert suite.main(["--workers", "0", "--json", "--", str(planted)]) == 1
    printed = json.loads(capsys.readouterr().out)
    machine = printed["host"]
    assert machine["cores"] == usable_cores() and machine["torch"] == importlib.metadata.version("torch")
    (record,) = printed["records"]
    assert (record["workers"], record["exit"], record["tests"], record["failed"]) == (0, 1, 3, 1)
    slowest = record["slowest"][0]
    assert slowest["test"].endswith("::test_sleeps") and slowest["seconds"] >= 0.3
    assert record["wall_s"] >= 0.3 and record["user_s"] > 0


def test_pytests_usage_error_exits_2_and_says_why(tmp_path, capsys):
    assert suite.main(["--workers", "0", "--", str(tmp_path / "nothere.py")]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("python -m benchmarks.suite: -n 0: pytest exit 4") and "not found" in line
