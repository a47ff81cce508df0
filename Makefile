# One command per task, the same for people and CI.
VENV ?= .venv
PY := $(VENV)/bin/python
TANGKAL := $(VENV)/bin/tangkal
PYTHON ?= python3
export TANGKAL_DATABASE_URL ?= sqlite:///var/tangkal.db
DEMO_REPORTS ?= 5000
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint format bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(TANGKAL) init
	$(TANGKAL) demo --reports $(DEMO_REPORTS) --seed 1 --if-empty
	$(TANGKAL) serve --host $(HOST) --port $(PORT)

test: install
	$(PY) -m pytest -n 2 --dist loadgroup

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy benchmarks/*.py
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format src tests benchmarks
	$(VENV)/bin/ruff check --fix src tests benchmarks

bench: install
	$(PY) benchmarks/run_all.py

clean:
	rm -rf var $(VENV) .pytest_cache .mypy_cache .ruff_cache
