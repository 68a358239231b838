"""The test suite against the ends of the supported NumPy range, with the pinned torch (constraints.txt).

    nox                      # both sessions
    nox -s "tests(numpy='1.26')" -- -k report    # one session, extra pytest arguments after --

pyproject.toml allows numpy>=1.26,<3: "1.26" installs the oldest release line, "2" the newest 2.x.
torch is the 2.13.0 CPU wheel that constraints.txt pins (the one these machines carry); the README's
support table says which torch versions have been seen passing.
"""

import nox

nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

NUMPY = {"1.26": "numpy>=1.26,<1.27", "2": "numpy>=2,<3"}


@nox.session(python="3.11")
@nox.parametrize("numpy", list(NUMPY))
def tests(session, numpy):
    session.install(
        "--quiet", "--quiet", "--disable-pip-version-check", "-c", "constraints.txt", "-e", ".[test]", NUMPY[numpy]
    )
    session.run("python", "-c", "import numpy, torch; print(f'numpy {numpy.__version__}, torch {torch.__version__}')")
    session.run("python", "-m", "pytest", "-n", "auto", "-q", *session.posargs)
