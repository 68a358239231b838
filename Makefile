# Set-up and entry points. Each target creates .venv when it is missing, one line per step.
# After any of them, run commands as .venv/bin/crosscheck ... (or `. .venv/bin/activate` first).
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --quiet --quiet --disable-pip-version-check
STAMP  := $(VENV)/.installed
PYTHON ?= python3
# Extra pytest arguments, e.g. make test PYTEST_ARGS="--junitxml=build/junit.xml -k report"
PYTEST_ARGS ?=
# Where make report writes (git ignores build/); make sample-report refreshes the committed sample in reports/.
REPORT_DIR ?= build/report
# Compiled bytecode (and pytest's rewritten test modules) cached outside the checkout, even where
# PYTHONDONTWRITEBYTECODE is set: without a cache every process (each xdist worker, each report
# worker, the mutants' inner runs) recompiled and re-rewrote some 250 modules, about 3 s each.
# The prefix holds every imported module's bytecode, the venv's too: a checkout's first run fills
# about 90 MB there (10-15 s once); `make clean` removes this checkout's part.
PYCACHE ?= $(HOME)/.cache/crosscheck/pycache
CACHED := env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(PYCACHE)

.PHONY: test lint report quick-report sample-report bench bench-suite mutants clean

$(PY):
	@echo "set-up: creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt
	@echo "set-up: installing pip, then crosscheck and its test tools into $(VENV) (constraints.txt pins torch)"
	@$(PIP) install --upgrade pip
	@$(PIP) install -c constraints.txt -e '.[test]'
	@touch $(STAMP)
	@echo "set-up: done; run commands as $(VENV)/bin/crosscheck, or activate with: . $(VENV)/bin/activate"

test: $(STAMP)
	$(CACHED) $(PY) -m pytest -n auto -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

report: $(STAMP)
	$(CACHED) $(VENV)/bin/crosscheck report --out $(REPORT_DIR)

quick-report: $(STAMP)
	$(CACHED) $(VENV)/bin/crosscheck report --out build/quick-report --quick

sample-report: $(STAMP)
	$(CACHED) $(VENV)/bin/crosscheck report --out reports

bench: $(STAMP)
	$(CACHED) $(VENV)/bin/crosscheck bench

# The suite's wall time at each xdist worker count (benchmarks/suite.py), e.g. on a 16-core host
# make bench-suite SUITE_WORKERS=2,4,8,16 (at most 4x the usable cores)
SUITE_WORKERS ?= 1,2,4
bench-suite: $(STAMP)
	$(CACHED) $(PY) -m benchmarks.suite --workers $(SUITE_WORKERS)

# Every planted mutant of mutants/table.py against the whole suite, in a temporary copy of the tree
# (slow: minutes per surviving mutant; outside `make test`, which runs a fixed sample of three).
mutants: $(STAMP)
	$(PY) -m mutants --json mutants.json

clean:
	rm -rf $(VENV) build *.egg-info $(PYCACHE)$(CURDIR)
