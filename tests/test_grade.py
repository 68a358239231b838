"""`crosscheck grade FILE.py`: every d_TARGET function judged, as a table, JSON and JUnit XML.

Each student file is written into tmp_path. Which functions are right is known from the documents
(sigmoid' = s(1 - s), relu'(0) = 0 per doc 002, dW = (1/m) dZ A_prev^T per doc 002) and from
torch.nn.functional.softplus's derivative, the logistic sigmoid; none comes from the code under test.
"""

import json
import textwrap
import xml.etree.ElementTree as ET

import pytest

from crosscheck.cli import main
from crosscheck.derivation.grade import find_functions, looked_for
from crosscheck.derivation.signatures import fit_signature
from tests.printed import unprintable

RIGHT = """
import numpy as np

def d_sigmoid(Z):
    s = 1 / (1 + np.exp(-Z))
    return s * (1 - s)

def d_softplus(Z):            # softplus' is the logistic sigmoid
    return 1 / (1 + np.exp(-Z))

def d_linear(dZ, A_prev, W):  # the issue's signature, without b
    m = dZ.shape[1]
    return W.T @ dZ, dZ @ A_prev.T / m, np.sum(dZ, axis=1, keepdims=True) / m

def d_bce(AL, Y):
    return -(Y / AL) + (1 - Y) / (1 - AL)
"""

WRONG = """
import numpy as np

def d_tanh(Z):
    return 1 - np.tanh(Z) ** 2

def d_relu(Z):                # wrong only at the kink: doc 002 takes relu'(0) = 0
    return (Z >= 0).astype(float)

def d_linear(dZ, A_prev, W, b):  # the 1/m forgotten in dW and db
    return W.T @ dZ, dZ @ A_prev.T, np.sum(dZ, axis=1, keepdims=True)
"""


def _write(tmp_path, source, name="student.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    return path


def _grade(path, *extra, capsys):
    code = main(["grade", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_right_file_agrees_everywhere(tmp_path, capsys):
    code, out, _ = _grade(_write(tmp_path, RIGHT), "--json", capsys=capsys)
    doc = json.loads(out)
    assert code == 0
    assert [(r["target"], r["function"], r["ok"]) for r in doc["results"]] == [
        ("sigmoid", "student.py:d_sigmoid", True),
        ("softplus", "student.py:d_softplus", True),
        ("linear", "student.py:d_linear", True),
        ("bce", "student.py:d_bce", True),
    ]
    assert all(r["diagnosis"] == [] and r["first_wrong"] == "" for r in doc["results"])


# (target, verdict, words the diagnosis must hold): the mistakes planted in WRONG.
WRONG_VERDICTS = [
    ("tanh", True, ()),
    ("relu", False, ("z = 0", "kink")),
    ("linear", False, ("dW", "m (the number of examples)")),
]


def test_wrong_file_names_each_mistake_in_json_and_junit(tmp_path, capsys):
    """One grading run writes both: the JSON document on stdout and the JUnit XML file (its folder
    made where missing)."""
    xml = tmp_path / "ci" / "grades.xml"
    code, out, _ = _grade(_write(tmp_path, WRONG), "--json", "--junit", str(xml), capsys=capsys)
    results = {r["target"]: r for r in json.loads(out)["results"]}
    assert code == 1
    assert set(results) == {t for t, _, _ in WRONG_VERDICTS}
    for target, ok, words in WRONG_VERDICTS:
        assert results[target]["ok"] is ok, results[target]
        text = " ".join(results[target]["diagnosis"])
        for word in words:
            assert word in text, (target, text)
        assert bool(results[target]["first_wrong"]) is not ok
    assert "(z = 0): your function 1, torch 0" in results["relu"]["first_wrong"]

    # JUnit: one testcase per target, and the failures carry the diagnosis
    suite = ET.parse(xml).getroot().find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert set(cases) == {"tanh", "relu", "linear"}
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    assert cases["tanh"].find("failure") is None
    assert "kink" in cases["relu"].find("failure").get("message")
    assert "m (the number of examples)" in cases["linear"].find("failure").get("message")


def test_text_from_the_students_code_is_printed_and_written_escaped(tmp_path, capsys):
    """A student's message holding ESC, a carriage return, NUL and a lone surrogate, in a file whose
    own name holds ESC: the table and the JSON show each as its escape, and the JUnit file parses (XML
    1.0 allows none of them, even as a character reference)."""
    path = _write(
        tmp_path, 'def d_sigmoid(Z):\n    raise ValueError("\\x1b[2J\\r\\x00\\ud800 all agree")\n', "a\x1bb.py"
    )
    xml = tmp_path / "grades.xml"
    code, out, _ = _grade(path, capsys=capsys)
    assert code == 1 and not unprintable(out), out
    assert r"\x1b[2J\r\x00\ud800 all agree" in out and r"a\x1bb.py:d_sigmoid" in out
    code, out, _ = _grade(path, "--json", "--junit", str(xml), capsys=capsys)
    document = json.loads(out)
    assert code == 1 and document["file"] == str(path).replace("\x1b", r"\x1b")  # one form, as the table's
    assert r"\x1b[2J\r\x00\ud800 all agree" in document["results"][0]["diagnosis"][0]
    failure = ET.parse(xml).getroot().find("testsuite/testcase/failure")  # parses: nothing XML 1.0 forbids
    assert r"ValueError: \x1b[2J\r\x00\ud800 all agree" in failure.get("message")


def test_table_shows_verdict_first_wrong_element_and_diagnosis(tmp_path, capsys):
    code, out, _ = _grade(_write(tmp_path, WRONG), capsys=capsys)
    assert code == 1
    for header in ("target", "verdict", "first wrong element", "diagnosis"):
        assert header in out
    relu_row = next(line for line in out.splitlines() if line.startswith("relu"))
    assert "disagrees" in relu_row and "(z = 0)" in out
    assert "1 of 3 agree" in out


SIGMOID = "import numpy as np\n\ndef d_sigmoid(Z):\n    s = 1 / (1 + np.exp(-Z))\n    return s * (1 - s)\n"


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf" + SIGMOID.encode(),  # a byte-order mark, as some editors save
        b"# -*- coding: latin-1 -*-\n# d\xe9riv\xe9e\n" + SIGMOID.encode(),  # a declared encoding
    ],
    ids=["bom", "latin-1"],
)
def test_a_file_python_runs_is_graded(tmp_path, capsys, raw):
    """Read as Python reads it (`crosscheck derivation` always did): grade refused both as unreadable."""
    path = tmp_path / "student.py"
    path.write_bytes(raw)
    code, out, err = _grade(path, capsys=capsys)
    assert code == 0, out + err
    assert "1 of 1 agree" in out


# Bad input, one row each: (file content or None for a missing file, words the message must hold).
BAD = [
    (None, "not found"),
    ("def d_sigmoid(Z) return Z\n", "syntax error"),
    ("def sigmoid_prime(Z):\n    return Z\n", "d_sigmoid"),
    ("def d_foo(Z):\n    return Z\n", "d_foo, which name no target"),
    ("raise RuntimeError('boom')\ndef d_relu(Z):\n    return Z\n", "RuntimeError"),
]


@pytest.mark.parametrize(("source", "words"), BAD, ids=[w for _, w in BAD])
def test_bad_input_exits_2_with_a_message(tmp_path, capsys, source, words):
    path = tmp_path / "student.py" if source is None else _write(tmp_path, source)
    code, _, err = _grade(path, capsys=capsys)
    assert code == 2
    assert words in err


def test_no_function_message_lists_every_name_looked_for(tmp_path, capsys):
    _, _, err = _grade(_write(tmp_path, "x = 1\n"), capsys=capsys)
    for name in ("d_sigmoid", "d_relu", "d_softplus", "d_bce", "d_softmax_cce", "d_linear"):
        assert name in err
    assert len(looked_for()) >= 14


def test_finding_functions_reads_the_file_without_running_it(tmp_path):
    path = _write(tmp_path, "open('ran', 'w')\ndef d_relu(Z):\n    return Z\ndef d_relu(Z):\n    return Z\n")
    assert find_functions(path) == ([("relu", "d_relu")], [])
    assert not (tmp_path / "ran").exists()


def test_linear_accepts_both_signatures():
    def with_b(dZ, A_prev, W, b):
        return b

    def without_b(dZ, A_prev, W):
        return W

    assert fit_signature("linear", with_b) is with_b
    assert fit_signature("linear", without_b)(1, 2, 3, 4) == 3
    assert fit_signature("relu", without_b) is without_b


NETWORKS = """
import numpy as np

def d_two_layer(X, Y, params, caches):  # doc 001, corrected transposes, mean over m
    m = X.shape[1]
    A1, A2 = caches["A1"], caches["A2"]
    dZ2 = A2 - Y
    dZ1 = (params["W2"].T @ dZ2) * A1 * (1 - A1)
    return dZ1 @ X.T / m, dZ1.sum(axis=1, keepdims=True) / m, dZ2 @ A1.T / m, dZ2.sum(axis=1, keepdims=True) / m

def d_network(X, Y, params, caches):  # dW2 forgets its 1/m; everything else right
    m = X.shape[1]
    dZ = caches[-1]["A"] - Y
    out = []
    for l in range(len(caches), 0, -1):
        c = caches[l - 1]
        out = [dZ @ c["A_prev"].T / (1 if l == 2 else m), dZ.sum(axis=1, keepdims=True) / m, *out]
        if l > 1:
            p = caches[l - 2]
            prime = (p["Z"] > 0) * 1.0 if p["activation"] == "relu" else 1 - p["A"] ** 2
            dZ = (c["W"].T @ dZ) * prime
    return tuple(out)
"""


def test_whole_networks_are_graded_quantity_by_quantity(tmp_path, capsys):
    code, out, _ = _grade(_write(tmp_path, NETWORKS), "--json", capsys=capsys)
    results = {r["target"]: r for r in json.loads(out)["results"]}
    assert code == 1
    assert results["two_layer"]["ok"] is True
    assert results["network"]["ok"] is False
    diagnosis = results["network"]["diagnosis"]
    assert diagnosis[0].startswith("dW2: off by a constant factor: your values are m"), diagnosis
    assert not any(d.startswith(("dW1", "db1", "dW3", "db3", "db2")) for d in diagnosis)
    assert results["network"]["first_wrong"].startswith("dW2[")
