"""Which tests share an xdist worker, dealt out in units: each module whose tests share a costly
fixture goes whole to one worker, every other module in runs of CHUNK consecutive tests.

pytest-xdist's own `--dist loadgroup` (the xdist_group mark) does nothing on pytest 9.2: it renames
each grouped test's node id, which pytest 9.2 no longer reads (pytest-xdist issue #1386), and the
tests were dealt out one by one. So this plugin hands xdist a scheduler (its documented hook
pytest_xdist_make_scheduler): xdist's LoadScopeScheduling, with units() as the scopes. It applies
where the distribution is left at `load`, the default of `-n`.

Why runs and not single tests: LoadScopeScheduling sends each unit in a message of its own and, at
every test's end, counts the pending tests of every unit each worker was ever given. With one test a
unit (some 2,400 units here), 2,000 empty tests took 4.1-5.4 s on 2 workers (median 4.6), runs of 10
took 2.8-3.6 s (median 3.2) and --dist load 2.4-2.9 s (four alternating rounds). A run stays short:
the slowest module of ungrouped tests, test_containment, spends about 5 s on 33 tests.
"""

import pytest

# module -> its unit; modules of one unit share a costly fixture, named after each
GROUPS = {
    "tests/test_mutants.py": "mutants",  # one copied tree and its warm pytest server
    "tests/test_catalogue.py": "catalogue",  # outcomes(): every catalogue check, about 3 s, once per worker
    "tests/test_report.py": "shared report build",  # tests/shared_report.py: no worker waits on its lock
    "tests/test_report_render.py": "shared report build",
    "tests/test_browser.py": "shared report build",  # and one chromium
}
CHUNK = 10  # consecutive tests of one ungrouped module that form a unit


def units(nodeids):
    """{node id: its unit} for the collected tests, in their order: a grouped module's tests have their
    group's unit; each other module's tests go in runs of CHUNK, named module#k."""
    seen = {}  # module -> how many of its tests came so far
    found = {}
    for nodeid in nodeids:
        module = nodeid.split("::", 1)[0]
        if module in GROUPS:
            found[nodeid] = GROUPS[module]
        else:
            k = seen[module] = seen.get(module, 0) + 1
            found[nodeid] = f"{module}#{(k - 1) // CHUNK}"
    return found


@pytest.hookimpl(optionalhook=True)  # a hook of xdist's: unknown, and never called, under -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByUnit(LoadScopeScheduling):
        """LoadScopeScheduling with units() as the scopes; the units go largest first (--loadscope-reorder)."""

        _units = None

        def _split_scope(self, nodeid):
            if self._units is None:  # first asked in schedule(), once every worker's collection is known
                self._units = units(self.collection)
            return self._units[nodeid]

    return ByUnit(config, log)
