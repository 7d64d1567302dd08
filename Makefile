# The few verbs people type. `make run` and `make test` work on a fresh machine with only
# Python 3.11+, Node/npm and the package registries: they create .venv and node_modules first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Python packages come from the lock files (pip-tools, with hashes): `make lock` refreshes them
# after a change to pyproject.toml's dependencies. `make test` installs the test set only.
TEST_STAMP := $(VENV)/.installed-test-$(shell cat requirements-test.txt pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements-dev.txt pyproject.toml | cksum | cut -d' ' -f1)
NODE_STAMP := node_modules/.installed-$(shell cksum package-lock.json | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint fmt migrate demo bench lock wheel-check clean

# The editable install maps the vendored front-end files (node_modules) into the package, as the
# wheel does: npm comes first.
$(VENV)/.installed-%: $(NODE_STAMP)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-$(firstword $(subst -, ,$*)).txt
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-$(firstword $(subst -, ,$*))-* && touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(DEV_STAMP) $(NODE_STAMP)

run: $(TEST_STAMP) $(NODE_STAMP) ## the app with a realistic demo on SQLite, at http://$(HOST):$(PORT)
	$(VENV)/bin/carbon db upgrade
	$(VENV)/bin/carbon demo
	$(VENV)/bin/carbon serve --host $(HOST) --port $(PORT)

test: $(TEST_STAMP) $(NODE_STAMP) ## the whole suite, on SQLite and PostgreSQL
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: $(TEST_STAMP)
	$(VENV)/bin/carbon db upgrade

demo: $(TEST_STAMP)
	$(VENV)/bin/carbon demo

bench: install ## prints a table; record the figures in docs/performance.md
	$(PY) -m bench.run

lock: ## refresh requirements*.txt from pyproject.toml (pip-tools' pip-compile, hashes)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra test -o requirements-test.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra test --extra dev -o requirements-dev.txt pyproject.toml

wheel-check: $(NODE_STAMP) ## the built wheel serves pages outside the checkout (as CI checks)
	PYTHON=$(PY) .ci/wheel-check

clean:
	rm -rf $(VENV) node_modules data test-artifacts .pytest_cache .mypy_cache .ruff_cache
