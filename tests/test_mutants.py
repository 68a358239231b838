"""A fixed sample of the mutation table (mutants/table.py) inside the suite: each planted mutant, in
a temporary copy of the tree, makes the tests meant for it fail, and the unmutated copy passes them
(all sampled selections in one run).
The whole table runs outside the suite (`make mutants`). The module's tests share one copy, on one
xdist worker (tests/worker_groups.py): its first inner run compiles the copy once."""

import contextlib
import pathlib

import pytest

import mutants.run
from mutants.run import apply, copy_tree, mutated, run_tests, summary
from mutants.table import MUTANTS, SAMPLE

BY_WHAT = {m.what: m for m in MUTANTS}
ROOT = pathlib.Path(__file__).resolve().parents[1]
# The sampled selections use no Hypothesis; its pytest plugin costs each inner run 1 to 2 s to load.
LEAN = ["-p", "no:hypothesispytest"]
# A test that reads the documents, and imports little else: in a copy that cannot find them it fails.
READS_THE_DOCUMENTS = ["tests/test_seeds.py", "-k", "reads_as_numbered_lines"]


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    yield copy_tree(tmp_path_factory.mktemp("mutants") / "tree")
    mutants.run.close_servers()


def union(selections):
    """One pytest selection holding every test of each [path, "-k", expression] selection (and maybe more)."""
    paths, expressions = [], []
    for selection in selections:
        path, k, expression = selection
        assert k == "-k" and not path.startswith("-"), selection
        paths += [path] * (path not in paths)
        expressions.append(f"({expression})")
    return [*paths, "-k", " or ".join(expressions)]


def test_union_holds_each_selection():
    assert union([["a.py", "-k", "x and y"], ["b.py", "-k", "z"], ["a.py", "-k", "w"]]) == [
        "a.py",
        "b.py",
        "-k",
        "(x and y) or (z) or (w)",
    ]


@pytest.fixture(scope="module")
def clean_run(tree):
    """One run of the unmutated copy: every sampled selection and a test that reads the documents."""
    return run_tests(tree, [*union([*SAMPLE.values(), READS_THE_DOCUMENTS]), *LEAN], jobs=0, timeout=600)


def test_the_clean_tree_passes_every_sampled_selection(clean_run):
    """Unmutated, the union of the sampled selections passes: one run instead of one per mutant. Each
    selection is a subset of the union (its file is in it and its expression is one of the or-ed
    terms), so each passes unmutated, and a kill below is the mutant's doing."""
    assert clean_run[0] == "survived", clean_run


def test_the_sampled_selections_use_no_hypothesis():
    for path, *_ in SAMPLE.values():
        assert "hypothesis" not in (ROOT / path).read_text(), path


@pytest.mark.parametrize("what", list(SAMPLE))
def test_sampled_mutant_is_killed(tree, what):
    """The mutant makes its selection fail (pytest exit 1 or 2: "no tests" and usage errors are not
    kills, so the selection also matched tests)."""
    with mutated(tree, BY_WHAT[what]):
        assert run_tests(tree, [*SAMPLE[what], *LEAN], jobs=0, timeout=600)[0] == "killed", what


def test_every_snippet_occurs_once_and_the_table_is_large_enough(tree):
    """A row whose snippet moved would silently test nothing: apply refuses it instead."""
    assert len(MUTANTS) >= 60
    assert {m.area for m in MUTANTS} >= {
        "reference",
        "torch_impl",
        "convention",
        "tolerances",
        "compare",
        "training",
        "examples",
    }
    for mutant in MUTANTS:
        original = (tree / mutant.path).read_text()
        with mutated(tree, mutant):
            assert (tree / mutant.path).read_text() != original, mutant.what
        assert (tree / mutant.path).read_text() == original, mutant.what


def test_apply_refuses_a_snippet_that_is_not_there(tree):
    ghost = MUTANTS[0]._replace(old="this text is in no file")
    with pytest.raises(ValueError, match="expected the snippet"):
        apply(tree, ghost)


@pytest.mark.parametrize(
    "results, expected",
    [
        (["killed", "killed", "timeout", "survived"], (3, 0, 0.75)),
        (["killed", "survived"], (1, 0, 0.5)),
    ],
)
def test_summary_counts_kills(results, expected):
    rows = [dict(result=r, note="") for r in results]
    s = summary(rows)
    assert (s["killed"], s["equivalent"], s["score"]) == expected


@pytest.mark.parametrize(
    "status, expected",
    [
        (pytest.ExitCode.OK, "survived"),
        (pytest.ExitCode.TESTS_FAILED, "killed"),
        (pytest.ExitCode.INTERRUPTED, "killed"),  # a collection error: an import the mutant broke
        (pytest.ExitCode.NO_TESTS_COLLECTED, "no tests"),  # a selection that matches nothing kills nothing
        (pytest.ExitCode.USAGE_ERROR, "usage error"),  # a test path that is not there
    ],
)
def test_run_tests_reads_pytest_exit_status(status, expected, monkeypatch, tmp_path):
    """The statuses are pytest's documented exit codes (pytest.ExitCode), not the runner's."""

    monkeypatch.setattr(mutants.run, "_pytest_in", lambda tree, args, timeout: (int(status), ""))
    assert run_tests(tmp_path, ["tests/test_x.py"], jobs=0, timeout=10)[0] == expected


def test_a_run_past_its_time_is_a_timeout(monkeypatch, tmp_path):
    monkeypatch.setattr(mutants.run, "_pytest_in", lambda tree, args, timeout: (None, "...."))
    assert run_tests(tmp_path, ["tests/test_x.py"], jobs=0, timeout=10)[0] == "timeout"


def test_summary_does_not_count_a_selection_without_tests_as_killed():
    s = summary([dict(result="no tests", note=""), dict(result="killed", note="")])
    assert (s["killed"], s["equivalent"], s["score"]) == (1, 0, 0.5)


def test_a_copied_tree_finds_the_documents(clean_run):
    """The copy lives in a temporary folder with no ../shared/seeds beside it: unless the run is told
    where the documents are, every catalogue test fails there and any mutant counts as killed. The
    clean run holds READS_THE_DOCUMENTS, a test that fails without them (its selection must match it)."""
    path, _, name = READS_THE_DOCUMENTS
    assert f"def test_each_document_is_the_indexed_file_and_{name}(" in (ROOT / path).read_text()
    assert clean_run[0] == "survived", clean_run


def test_the_table_refuses_to_count_kills_when_the_unmutated_tree_fails(monkeypatch):
    """A failure the tree has without any mutant would count as a kill of every mutant: the table first
    runs each selection it uses on the unmutated copy and stops, naming it, if one fails."""

    def failing(tree, tests, jobs, timeout):
        return ("killed", 0.1, "tests/test_x.py::test_y") if "tests" in tests else ("survived", 0.1, "")

    monkeypatch.setattr(mutants.run, "run_tests", failing)
    monkeypatch.setattr(mutants.run, "copy_tree", lambda dest: dest)
    with pytest.raises(mutants.run.CleanTreeFails, match=r"tests/test_x.py::test_y"):
        mutants.run.mutate_and_test(MUTANTS[:1], progress=False)


def test_the_first_pass_runs_in_one_process_and_the_whole_suite_with_the_workers(monkeypatch):
    calls = []

    def survives(tree, tests, jobs, timeout):
        calls.append((list(tests), jobs))
        return "survived", 0.1, ""

    monkeypatch.setattr(mutants.run, "run_tests", survives)
    monkeypatch.setattr(mutants.run, "copy_tree", lambda dest: dest)
    monkeypatch.setattr(mutants.run, "mutated", lambda tree, mutant: contextlib.nullcontext())
    mutant = next(m for m in MUTANTS if m.area in mutants.run.FIRST_PASS)
    mutants.run.mutate_and_test([mutant], jobs=2, progress=False)
    first_pass = mutants.run.FIRST_PASS[mutant.area]
    assert calls[-2:] == [(first_pass, 0), (["tests"], 2)]


def test_a_kill_names_the_test_that_failed(monkeypatch, tmp_path):
    report = "...F\nFAILED tests/test_matrix.py::test_twins_agree[relu] - AssertionError: dW1\n1 failed, 3 passed\n"

    monkeypatch.setattr(mutants.run, "_pytest_in", lambda tree, args, timeout: (1, report))
    result, _, by = run_tests(tmp_path, ["tests/test_matrix.py"], jobs=0, timeout=10)
    assert (result, by) == ("killed", "tests/test_matrix.py::test_twins_agree[relu]")


def test_the_table_never_runs_its_own_tests_in_a_mutated_tree(monkeypatch, tmp_path):
    """tests/test_mutants.py checks that every snippet is in its file: in a mutated tree it always fails,
    so a mutant that survived every other test counted as killed by it."""
    seen = []

    monkeypatch.setattr(mutants.run, "_pytest_in", lambda tree, args, timeout: seen.append(args) or (0, ""))
    run_tests(tmp_path, ["tests"], jobs=0, timeout=10)
    assert "--ignore=tests/test_mutants.py" in seen[0]


def test_only_names_several_mutants_and_refuses_one_that_matches_none(monkeypatch, capsys):
    chosen = []
    monkeypatch.setattr(mutants.run, "mutate_and_test", lambda ms, *a, **k: chosen.extend(ms) or [])
    assert mutants.run.main(["--only", "sigmoid' off", "--only", "tanh' off"]) == 0
    assert [m.what for m in chosen] == ["sigmoid' off by 1e-9", "tanh' off by 1e-9"]
    assert mutants.run.main(["--only", "sigmoid' off", "--only", "no such mutant"]) == 2
    assert "'no such mutant' matches no mutant" in capsys.readouterr().err
