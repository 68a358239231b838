"""report.html in a real headless browser: formulas typeset, every figure loaded, nothing wider than a phone.

Chromium is the system's (Debian's `chromium` package; `.ci/run` installs it when missing), driven by
playwright's Python API through executable_path: no browser download. Without a chromium binary
the test is skipped, saying so.
"""

import os
import shutil

import pytest

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the [test] extra) drives the browser")


def chromium():
    """The system's chromium: $CROSSCHECK_CHROMIUM, else the first of the usual names on PATH."""
    named = os.environ.get("CROSSCHECK_CHROMIUM")
    if named:
        return named
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


pytestmark = pytest.mark.skipif(
    chromium() is None, reason="no chromium on PATH (Debian: apt-get install chromium; or set CROSSCHECK_CHROMIUM)"
)

VIEWPORTS = {"desktop": 1280, "phone": 400}


@pytest.fixture(scope="module")
def page_path(built):
    """The suite's shared report.html: formulas, errata, wide tables and every kind of figure."""
    return built["out"] / "report.html"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        yield b
        b.close()


MEASURE = """() => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const box = el => el.getBoundingClientRect();
  const maths = [...document.querySelectorAll('math')];
  return {
    pageWidth: document.documentElement.scrollWidth,
    maths: maths.length,
    flatMaths: maths.filter(m => box(m).width <= 0 || box(m).height <= 0).map(m => m.textContent.slice(0, 60)),
    images: document.images.length,
    brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt),
    tables: document.querySelectorAll('table').length,
    navVisible: box(document.querySelector('nav.toc')).height > 0,
  };
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS), ids=str)
def test_report_in_a_browser(browser, page_path, viewport):
    width = VIEWPORTS[viewport]
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(page_path.as_uri())
        page.wait_for_load_state("load")
        got = page.evaluate(MEASURE)
    finally:
        page.close()
    assert got["maths"] > 150, "formulas should be MathML"
    assert got["flatMaths"] == [], f"{len(got['flatMaths'])} formulas have no layout size"
    assert got["images"] >= 6 and got["brokenImages"] == [], got["brokenImages"]
    assert got["pageWidth"] <= width, f"the page is {got['pageWidth']} px wide in a {width} px viewport"
    assert got["tables"] > 5 and got["navVisible"]
