"""Which tests share an xdist worker: the modules whose tests share a costly fixture go whole to one.

pytest-xdist's own `--dist loadgroup` (the xdist_group mark) does nothing on pytest 9.2: it renames
each grouped test's node id, which pytest 9.2 no longer reads (pytest-xdist issue #1386), and the
tests were dealt out one by one. So this plugin hands xdist a scheduler (its documented hook
pytest_xdist_make_scheduler) that takes each module below as one unit and every other test alone,
as `--dist load` does. It applies where the distribution is left at `load`, the default of `-n`.
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


def unit(nodeid):
    """The work unit of a test: its module's group, or the test itself."""
    return GROUPS.get(nodeid.split("::", 1)[0], nodeid)


@pytest.hookimpl(optionalhook=True)  # a hook of xdist's: unknown, and never called, under -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleGroup(LoadScopeScheduling):
        """LoadScopeScheduling with unit() as the scope; the units go largest first (--loadscope-reorder)."""

        def _split_scope(self, nodeid):
            return unit(nodeid)

    return ByModuleGroup(config, log)
