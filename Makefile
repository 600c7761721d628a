# The two commands: `make report` and `make test`. Both need only python3 and make.
# Each creates .venv on first use and reinstalls only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
DATA   ?= sample_data
OUT    ?= build/report
LANG_REPORT ?= id
FORMAT ?= html

.DEFAULT_GOAL := help
.PHONY: help report check test lab explore data bench clean course course-notebooks

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime install (the report, with Playwright for its PDF); the stamp records the
# pyproject.toml it was made from.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[pdf]'
	@touch $@

# Dev install (tests, lint), on top of the runtime one.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	@touch $@

report: $(VENV)/.installed  ## Analyse DATA (default sample_data) and write the report to OUT
	$(BIN)/python -m toolkit report --data $(DATA) --out $(OUT) --lang $(LANG_REPORT) --format $(FORMAT)

check: $(VENV)/.installed  ## Print DATA's problems and which analyses it supports
	$(BIN)/python -m toolkit check --data $(DATA)

# The browser test drives Debian's Chromium (never a downloaded browser build).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		echo "installing Debian's chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser test needs Debian's chromium: sudo apt-get install chromium" >&2; exit 1; \
	fi

test: $(VENV)/.installed-dev $(CHROMIUM)  ## Lint, format check, layers, doctests, unit tests, notebooks, browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

lab: $(VENV)/.installed  ## Open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

explore: $(VENV)/.installed  ## Serve the explorer app on DATA (default sample_data) with Voila on localhost
	TOOLKIT_DATA=$(abspath $(DATA)) $(BIN)/voila notebooks/explore_app.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866

course-notebooks: $(VENV)/.installed-dev  ## Regenerate and execute the per-language notebooks (notebooks/id, notebooks/en) from course/notebooks/*.md
	$(BIN)/python -m course.editions

course: $(VENV)/.installed-dev  ## Build the course book offline into build/course/id and build/course/en
	$(BIN)/python -m course.build

data: $(VENV)/.installed  ## Regenerate sample_data/ from the seed (byte for byte)
	$(BIN)/python -m toolkit.synth $(DATA)

bench: $(VENV)/.installed-dev  ## Print the scaling benchmarks (ratios measured in one run)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:  ## Remove build outputs (keeps .venv)
	rm -rf build .pytest_cache .ruff_cache
