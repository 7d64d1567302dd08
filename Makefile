# The few verbs people type. `make run` and `make test` work on a fresh machine with only
# Python 3.11+, Node/npm and the package registries: they create .venv and node_modules first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cksum package-lock.json | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint fmt migrate demo bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

run: install ## the app with a realistic demo on SQLite, at http://$(HOST):$(PORT)
	$(VENV)/bin/carbon db upgrade
	$(VENV)/bin/carbon demo
	$(VENV)/bin/carbon serve --host $(HOST) --port $(PORT)

test: install ## the whole suite, on SQLite and PostgreSQL
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(VENV)/bin/carbon db upgrade

demo: install
	$(VENV)/bin/carbon demo

bench: install ## prints a table; record the figures in docs/performance.md
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules data test-artifacts .pytest_cache .mypy_cache .ruff_cache
