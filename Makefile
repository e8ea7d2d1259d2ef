# Quick start: `make run` (the embedded default) and `make test`. Needs python3 (3.11+) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test typecheck simulate bench

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m launcher.line

simulate: $(VENV)/.installed
	$(BIN)/flask --app app simulate

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n auto

typecheck: $(VENV)/.installed-dev
	$(BIN)/python -m mypy

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/webhook.py
