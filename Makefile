# The two commands: `make report` and `make test`. Both need only python3 and make.
# Each creates .venv on first use and reinstalls only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
DATA   ?= sample_data
OUT    ?= build/report
LANG_REPORT ?= id

.DEFAULT_GOAL := help
.PHONY: help report test lint doctest pytest lab data bench clean

help:  ## List the commands
	@grep -E '^[a-z]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime install (the report); the stamp records the pyproject.toml it was made from.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

# Dev install (tests, lint), on top of the runtime one.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	@touch $@

report: $(VENV)/.installed  ## Run every notebook on DATA (default sample_data) and write HTML to OUT
	$(BIN)/python -m toolkit report --data $(DATA) --out $(OUT) --lang $(LANG_REPORT)

test: $(VENV)/.installed-dev  ## Lint, format check, doctests, unit tests and notebook validation
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lab: $(VENV)/.installed  ## Open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

data: $(VENV)/.installed  ## Regenerate sample_data/ from the seed (byte for byte)
	$(BIN)/python -m toolkit.synth $(DATA)

bench: $(VENV)/.installed-dev  ## Print the scaling benchmarks (ratios measured in one run)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:  ## Remove build outputs (keeps .venv)
	rm -rf build .pytest_cache .ruff_cache
