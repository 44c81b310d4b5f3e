# `make run` and `make test` are all the set-up there is: each creates .venv and
# installs what is missing on first use (and again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run console test lint texts bench migrate doctor health demo backup clean

# One progress line; pip's own output goes to $(VENV)/install.log, shown only on failure.
$(STAMP): pyproject.toml
	@echo "Installing the bot's dependencies into $(VENV) (a minute or two; log: $(VENV)/install.log)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@{ $(PY) -m pip install --disable-pip-version-check --upgrade pip setuptools wheel && \
	   $(PY) -m pip install --disable-pip-version-check -e '.[dev,chart,sentry]'; } \
	   > $(VENV)/install.log 2>&1 || { tail -n 25 $(VENV)/install.log; \
	   echo "Installing failed: the whole log is in $(VENV)/install.log"; exit 1; }
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m core run

console: $(STAMP)
	$(PY) -m core console

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .

typecheck: $(STAMP)
	$(PY) -m mypy

texts: $(STAMP)
	$(PY) -m core texts check

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

migrate doctor health demo backup: $(STAMP)
	$(PY) -m core $@

clean:
	rm -rf $(VENV) data/*.db data/*.db-* .pytest_cache
