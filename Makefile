# `make run` and `make test` are all the set-up there is: each creates .venv and
# installs what is missing on first use (and again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run console test lint texts bench migrate doctor health clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,chart,sentry]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m core run

console: $(STAMP)
	$(PY) -m core console

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .

texts: $(STAMP)
	$(PY) -m core texts check

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

migrate doctor health: $(STAMP)
	$(PY) -m core $@

clean:
	rm -rf $(VENV) data/*.db data/*.db-* .pytest_cache
