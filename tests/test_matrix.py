"""The twins agree on every case of the matrix, quantity by quantity, the twin on `pytest --device`.

One test per family of cases: a hidden activation with an output pairing, over every reduction,
regularization, depth, m and dtype (and drawn parameters). A test item costs pytest and xdist about
3 ms of CPU of its own, twice a case: one item per case (3,672 of them) was a tenth of the suite's
time, and one per network (975) still 1.9 s of the module's 7.3 on 2 workers (143 items: 5.4 s).
A failing family names each of its failing cases and where it first diverges.
"""

import itertools

import pytest

from crosscheck.core.matrix import KINKS, MATRIX
from crosscheck.core.traces import run_case


def family(case):
    """The case's hidden activation and output pairing (the two axes a reader of a failure asks for
    first); -kink for the cases at Z = 0."""
    pairing = case.pairing + (f"x{case.n_out}" if case.n_out else "")
    return f"{case.hidden}-{pairing}" + ("-kink" if case.kink else "")


def families(cases):
    return {name: list(group) for name, group in itertools.groupby(sorted(cases, key=family), key=family)}


def check_all(cases, device):
    failures = []
    for case in cases:
        try:
            report = run_case(case, device)
        except Exception as exc:  # noqa: BLE001 - one case raising still lets the family's others run
            failures.append(f"{case}: raised {type(exc).__name__}: {exc}")
            continue
        if not report.ok:
            failures.append(f"{case}: {report.first_divergence()}")
    assert not failures, f"{len(failures)} of {len(cases)} cases disagree:\n" + "\n".join(failures)


MATRIX_FAMILIES = families(MATRIX)
KINK_FAMILIES = families(KINKS)


def test_families_hold_every_case_once():
    for whole, grouped in ((MATRIX, MATRIX_FAMILIES), (KINKS, KINK_FAMILIES)):
        ids = [c.id for cases in grouped.values() for c in cases]
        assert sorted(ids) == sorted(c.id for c in whole) and len(set(ids)) == len(ids)
        for name, cases in grouped.items():  # each family in both dtypes
            assert {c.dtype for c in cases} == {"float32", "float64"}, name


@pytest.mark.parametrize("name", MATRIX_FAMILIES)
def test_twins_agree(name, device):
    check_all(MATRIX_FAMILIES[name], device)


@pytest.mark.parametrize("name", KINK_FAMILIES)
def test_twins_agree_at_kinks(name, device):
    check_all(KINK_FAMILIES[name], device)
