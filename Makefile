# TalkAdmin: `make run` starts the site, `make test` runs the checks. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

# The first Python 3.12 or newer on PATH (pyenv shims that point at an older Python are skipped).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; \
	then echo $$p; break; fi; done)

# Tests always run against PostgreSQL; override DATABASE_URL to use another server.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/talkadmin

.PHONY: help run test test-fast lint format clean-venv

help:
	@echo "make run        start TalkAdmin on http://127.0.0.1:8000 (local Talk sandbox unless Zendesk is configured)"
	@echo "make test       ruff check, then the whole test suite against PostgreSQL"
	@echo "make test-fast  the same without the browser tests"
	@echo "make format     ruff format and fix imports"

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "TalkAdmin needs Python 3.12 or newer, and none was found (tried python3.13, python3.12, python3). Install one, then run make again."; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(INSTALLED): pyproject.toml | $(PY)
	@echo "Installing TalkAdmin and its dependencies into $(VENV) (log: $(VENV)/install.log)"
	@$(PY) -m pip install -e . --group dev > $(VENV)/install.log 2>&1 || \
		{ tail -n 30 $(VENV)/install.log; echo "Installing failed; the full log is $(VENV)/install.log."; exit 1; }
	@touch $@

run: $(INSTALLED)
	$(PY) -m talkadmin.launcher

test: $(INSTALLED)
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) -m talkadmin.preflight
	$(VENV)/bin/ruff check .
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS="testserver,127.0.0.1,localhost" SECURE_HTTPS=false DEBUG=false \
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test-fast: PYTEST_ARGS += -m "not browser"
test-fast: test

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix --select I .
	$(VENV)/bin/ruff format .

clean-venv:
	rm -rf $(VENV)
