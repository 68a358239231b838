"""The twins agree on every case of the matrix, quantity by quantity, the twin on `pytest --device`.

One test per family of cases: a network (hidden activation, output pairing, reduction,
regularization, depth) over every m and dtype (and drawn parameters). A test item costs pytest and
xdist about 2.5 ms of its own, as much as a case: one item per case (3,672 of them) was a tenth of
the suite's time. A failing family names each of its failing cases and where it first diverges.
"""

import itertools

import pytest

from crosscheck.core.matrix import KINKS, MATRIX
from crosscheck.core.traces import run_case


def family(case):
    """The case's id without m, dtype, seed and drawn parameters: the network it checks."""
    pairing = case.pairing + (f"x{case.n_out}" if case.n_out else "")
    return f"{case.hidden}-{pairing}-{case.reduction}-{case.reg}-d{case.depth}" + ("-kink" if case.kink else "")


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
        for name, cases in grouped.items():  # both dtypes, each at every m the family exists at
            assert len({(c.m, c.dtype) for c in cases}) == len(cases) and len({c.dtype for c in cases}) == 2, name


@pytest.mark.parametrize("name", MATRIX_FAMILIES)
def test_twins_agree(name, device):
    check_all(MATRIX_FAMILIES[name], device)


@pytest.mark.parametrize("name", KINK_FAMILIES)
def test_twins_agree_at_kinks(name, device):
    check_all(KINK_FAMILIES[name], device)
