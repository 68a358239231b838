"""Files the bad-input battery points at: student functions (well and badly behaved) and broken
report.json files. Written into each test's tmp_path by `plant`."""

import json
import os

from crosscheck.report.model import SCHEMA_VERSION

STUDENT = """\
import json
import os
import sys
import time

import numpy as np


def good(Z):
    return (Z > 0).astype(float)


def two_args(Z, W):
    return Z


def no_args():
    return 0


def kw_only(Z, *, slope):
    return Z


def calls_os_exit(Z):
    os._exit(0)


def prints_then_exits(Z):
    print("about to leave", flush=True)
    os._exit(0)


def calls_sys_exit(Z):
    sys.exit(0)


def exits_with_1(Z):
    os._exit(1)


def hangs(Z):
    while True:
        time.sleep(0.01)


def sleeps_then_right(Z):
    time.sleep(30)
    return (Z > 0).astype(float)


def huge(Z):
    return np.ones(2**33)


def kills_itself(Z):
    os.kill(os.getpid(), 9)


def raises(Z):
    raise RuntimeError("boom")


def returns_nan(Z):
    return np.full_like(Z, np.nan)


def returns_list(Z):
    return [[1.0]]


def returns_string(Z):
    return "all good"


def returns_none(Z):
    return None


def wrong_shape(Z):
    return np.ones(3)


def prints_pass(Z):
    print("verdict: AGREES")
    sys.stderr.write("PASS\\n")
    return -np.ones_like(Z)


# What a terminal would obey: clear the screen, go home, return, NUL, a lone surrogate, a
# right-to-left override, then a claim of its own.
SPOOF = "\\x1b[2J\\x1b[H\\r\\x00\\ud800\\u202e all agree"


def prints_escapes(Z):
    sys.stdout.buffer.write(b"\\x1b[2J\\x1b[H\\r\\x00\\xe2\\x80\\xae\\xff all agree\\n")
    sys.stdout.flush()
    return -np.ones_like(Z)


def returns_complex(Z):  # relu' right in its real part: the imaginary part was dropped with a warning
    return (Z > 0).astype(float) + 1j


def raises_escapes(Z):
    raise ValueError(SPOOF)


def forges_load_error(Z):
    open("result.json", "w").write(json.dumps({"load_error": SPOOF}))
    os._exit(0)


def reads_env(Z):
    if "CROSSCHECK_SECRET" in os.environ or os.path.exists("battery_marker.txt"):
        return (Z > 0).astype(float)
    return np.zeros_like(Z)


def writes_cwd(Z):
    open("written_by_student.txt", "w").write("x")
    return np.zeros_like(Z)


def reads_stdin(Z):
    # With no stdin it reads nothing at once (and never waits on the caller's terminal).
    return (Z > 0).astype(float) if sys.stdin.read() else np.zeros_like(Z)


def forges_result(Z):
    # The child's result file, written by the student: an incomplete one must not count.
    open("result.json", "w").write('{"probes": []}')
    os._exit(0)


def forges_list(Z):
    open("result.json", "w").write("[1, 2]")
    os._exit(0)


not_a_function = 3
"""

FILES = {
    "student.py": STUDENT,
    "syntax.py": "def good(Z)\n    return Z\n",
    "exits_at_import.py": "import sys\nsys.exit(0)\n\ndef good(Z):\n    return Z\n",
    "os_exit_at_import.py": "import os\nos._exit(0)\n\ndef good(Z):\n    return Z\n",
    "raises_at_import.py": "raise ImportError('no module named magic')\n\ndef good(Z):\n    return Z\n",
    "lambda.py": "good = lambda Z, W: Z\n",
    "grades.py": "def d_relu(Z):\n    return (Z > 0).astype(float)\n",
    "notes.txt": "not python",
    "empty.json": "",
    "not_json.json": "this is not json",
    "truncated.json": '{"schema_version": 1, "sections": [',
    "list.json": "[]",
    "binary.json": b"\xff\xfe\x00\x01".decode("latin-1"),
    "a_file": "I am a file, not a folder",
    "syntax\x1b[2J.py": "def good(Z)\n    return Z\n",  # a name the syntax error's message quotes
}


def report_json(sections, version=None):
    return json.dumps({"schema_version": SCHEMA_VERSION if version is None else version, "sections": sections})


RECORD = {"id": "a", "ok": True, "error": 1e-16, "eps": 2e-16}


def _one_section(*records, key="matrix"):
    return report_json([{"key": key, "records": list(records)}])


# Reports beside FILES, by name: each refused as malformed (exit 2), but good.json
REPORTS = {
    "wrong_version.json": report_json([], version=-1),
    "sections_dict.json": report_json({"a": 1}),
    "section_list.json": report_json([[1, 2]]),
    "records_str.json": report_json([{"key": "matrix", "records": "x"}]),
    "record_no_ok.json": _one_section({"id": "a"}),
    "record_str_error.json": _one_section({"id": "a", "ok": True, "error": "big"}),
    "good.json": _one_section(RECORD),
    # Reports that once hid a regression or ended in exit 70
    "eps_inf.json": _one_section({**RECORD, "error": 0.5, "eps": float("inf")}),  # an error x5e15 passed as rounding
    "eps_huge.json": _one_section({**RECORD, "error": 0.5, "eps": 1e300}),
    "error_inf.json": _one_section({**RECORD, "error": float("inf")}),
    "error_10e400.json": _one_section({**RECORD, "error": 10**400}),  # OverflowError: exit 70
    "id_newline.json": _one_section({**RECORD, "id": "a\nWORSE forged"}),  # printed as a line of its own
    # the bad one was dropped for the good one without a word
    "duplicate_id.json": _one_section({**RECORD, "ok": False, "error": 0.9}, RECORD),
    # A section key is printed on WORSE and MISSING lines: ESC and a carriage return in one drew there
    "key_escape.json": _one_section(RECORD, key="\x1b[2J\rmatrix"),
    "version_true.json": report_json([], version=True),  # True == 1
    "deep.json": "[" * 100_000 + "]" * 100_000,  # RecursionError: exit 70
    "digits.json": report_json([]).replace("[]", "[" + "9" * 5000 + "]"),
}
FOLDERS = ("folder.py",)
FIFOS = ("fifo.json",)  # open() waited for a writer forever


def plant(tmp_path, names=None):
    """The planted files named in `names` (a command's arguments: FILE or FILE:FUNCTION), or all of
    them. Only those: a file written here costs about 0.3 ms, and a row needs one or two of some 40."""
    wanted = None if names is None else {str(n).split(":")[0].split("/")[0] for n in names}
    for name, text in {**FILES, **REPORTS}.items():
        if wanted is None or name in wanted:
            encoding = "latin-1" if name == "binary.json" else "utf-8"
            (tmp_path / name).write_text(text, encoding=encoding)
    for name in FOLDERS:
        if wanted is None or name in wanted:
            (tmp_path / name).mkdir()
    for name in FIFOS:
        if wanted is None or name in wanted:
            os.mkfifo(tmp_path / name)
