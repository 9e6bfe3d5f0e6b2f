# ponte — the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --no-input

RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed

.PHONY: run test lint typecheck unit docker-check venv clean

$(RUNTIME_STAMP): requirements.txt requirements-argos.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	# argostranslate without its declared dependencies (stanza, torch, spacy, minisbd): see README
	$(PIP) install -q --no-deps -r requirements-argos.txt
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP) requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

venv: $(RUNTIME_STAMP)

## make run: install what is missing, make sure the pt->en model is installed, serve on PONTE_HOST:PONTE_PORT
run: $(RUNTIME_STAMP)
	OMP_NUM_THREADS=1 $(PY) -m service models ensure
	OMP_NUM_THREADS=1 exec $(PY) -m service serve

## make test: lint, type-check and the whole test suite, offline
test: $(DEV_STAMP) lint typecheck unit

lint: $(DEV_STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/hadolint Dockerfile

typecheck: $(DEV_STAMP)
	$(PY) -m mypy

unit: $(DEV_STAMP)
	OMP_NUM_THREADS=1 $(PY) -m pytest

## make docker-check: the Dockerfile's install steps in a fresh virtualenv (no Docker engine needed)
docker-check:
	bash tools/docker_recipe_check.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
