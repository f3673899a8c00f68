# The project's two commands (see README):  make run  |  make test
# `make test` also finds (or, as root with apt-get, sets up) PostgreSQL for the workshop tests:
# scripts/ensure_postgres.sh prints its URL; under CI=true a missing server fails the run.
# Each creates .venv on first use and reinstalls only when a requirements file, pyproject.toml or the
# version (scoring/__init__.py) changes. The requirements files pin the dependencies; the project itself
# is then installed editable without dependencies, so `import scoring`, `presentation`, `reports`,
# `workshop`, `cli` and `dashboard` work from anywhere and the `ai-navigator` command exists.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
INSTALL_SELF := $(BIN)/python -m pip install --quiet --no-deps --editable .
PROJECT := pyproject.toml scoring/__init__.py

.PHONY: run test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt $(PROJECT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(INSTALL_SELF)
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(PROJECT) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(INSTALL_SELF)
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.dev
	bash scripts/ensure_browser.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	url="$$(bash scripts/ensure_postgres.sh)" && WORKSHOP_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.dev
	bash scripts/ensure_browser.sh
	$(BIN)/python benchmarks/bench_evaluate.py
	$(BIN)/python benchmarks/bench_simulate.py
	$(BIN)/python -m benchmarks.bench_latency
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_workshop.py
	$(BIN)/python benchmarks/bench_room.py
	$(BIN)/python -m benchmarks.bench_parse

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build *.egg-info
