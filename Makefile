# Integration Vault: `make run` starts the app, `make test` runs the whole suite headless.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP_STAMP  := $(VENV)/.app-installed
TEST_STAMP := $(VENV)/.test-installed
DEV_STAMP  := $(VENV)/.dev-installed

.PHONY: run test lint format demo bench bundle clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Integration Vault needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(APP_STAMP)

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $@ $(TEST_STAMP) $(APP_STAMP)

run: $(APP_STAMP)
	@scripts/start-gui $(BIN)/integration-vault gui $(ARGS)

demo: $(TEST_STAMP)
	@scripts/start-gui $(BIN)/python -m tests.demo $(ARGS)

test: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.unlock_and_load
	$(BIN)/python -m bench.verify_all
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.ui_responsiveness

bundle: $(TEST_STAMP)
	$(BIN)/python -m PyInstaller --noconfirm --clean integration-vault.spec
	@echo "Built dist/integration-vault/ — run dist/integration-vault/integration-vault --self-test"

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
