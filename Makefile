# Set-up and entry points. Each target creates .venv when it is missing.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
STAMP  := $(VENV)/.installed
PYTHON ?= python3

.PHONY: test lint report quick-report bench mutants clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -n auto -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

report: $(STAMP)
	$(VENV)/bin/crosscheck report --out reports

quick-report: $(STAMP)
	$(VENV)/bin/crosscheck report --out reports --quick

bench: $(STAMP)
	$(VENV)/bin/crosscheck bench

# Every planted mutant of mutants/table.py against the whole suite, in a temporary copy of the tree
# (slow: minutes per surviving mutant; outside `make test`, which runs a fixed sample of three).
mutants: $(STAMP)
	$(PY) -m mutants --json mutants.json

clean:
	rm -rf $(VENV) build *.egg-info
