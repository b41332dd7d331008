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

# pytest-xdist workers, one per core by default; each gets its own test database.
PYTEST_WORKERS ?= auto
# The type check: the packages mypy checks (config in pyproject.toml). `numbers` is both our app
# and a standard module, so the project folder goes first on the path (core/numbers_package.py);
# DEBUG=true only lets django-stubs load the settings without production secrets.
MYPY := DEBUG=true PYTHONPATH=. $(VENV)/bin/mypy core ivr numbers greetings talkadmin dialpad talk yeastar audit sandbox changes mirror

# The browser tests drive Debian's Chromium; Playwright never downloads a browser.
CHROMIUM := /usr/bin/chromium
# `make test-fast` skips the browser tests, so it does not need Chromium.
NEED_CHROMIUM ?= yes

.PHONY: help run test test-fast lint format clean-venv chromium bench wrk

help:
	@echo "make run        start TalkAdmin on http://127.0.0.1:8000 (local Talk sandbox unless Zendesk is configured)"
	@echo "make test       ruff check, then the whole test suite against PostgreSQL"
	@echo "make test-fast  the same without the browser tests"
	@echo "make format     ruff format and fix imports"
	@echo "make bench      the benchmark against the Talk API floor (BENCH_ARGS=\"--quick\")"

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

chromium:
	@if [ "$(NEED_CHROMIUM)" = yes ] && [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's Chromium for the browser tests (apt-get install chromium)"; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; } \
				> /tmp/talkadmin-apt-chromium.log 2>&1 || \
				{ tail -n 20 /tmp/talkadmin-apt-chromium.log; echo "apt-get could not install chromium (log: /tmp/talkadmin-apt-chromium.log)."; exit 1; }; \
		else \
			echo "The browser tests need Chromium at $(CHROMIUM), which is missing, and it cannot be installed here"; \
			echo "(that needs root and apt-get). Install it: sudo apt-get install chromium;"; \
			echo "or run only the fast tests: make test-fast."; \
			exit 1; \
		fi; \
	fi

test: $(INSTALLED) chromium
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) -m talkadmin.preflight
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache
	$(MYPY)
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	AUDIT_HMAC_KEYS="make-test:$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(32))')" \
	AUDIT_HMAC_KEYS_FILE= \
	ALLOWED_HOSTS="testserver,127.0.0.1,localhost" SECURE_HTTPS=false DEBUG=false \
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_MARKERS) $(PYTEST_ARGS)

# A separate variable, so `make test-fast PYTEST_ARGS=...` still leaves the browser tests out.
test-fast: PYTEST_MARKERS = -m "not browser"
test-fast: NEED_CHROMIUM = no
test-fast: test

# The benchmark: a table, and the same figures as JSON in bench/results/. Never part of `make test`.
# BENCH_ARGS: --latency-ms N (default 100), --runs N (default 7), --quick.
WRK := /usr/bin/wrk

bench: $(INSTALLED) wrk
	@DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) -m talkadmin.preflight
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" $(PY) bench/run.py $(BENCH_ARGS)

wrk:
	@if [ ! -x $(WRK) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing wrk for the throughput figure (apt-get install wrk)"; \
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } \
				> /tmp/talkadmin-apt-wrk.log 2>&1 || \
				{ tail -n 20 /tmp/talkadmin-apt-wrk.log; echo "apt-get could not install wrk (log: /tmp/talkadmin-apt-wrk.log)."; exit 1; }; \
		else \
			echo "The benchmark needs wrk at $(WRK) for its throughput figure, and it cannot be"; \
			echo "installed here (that needs root and apt-get): sudo apt-get install wrk."; \
			exit 1; \
		fi; \
	fi

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache
	$(MYPY)

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix --select I .
	$(VENV)/bin/ruff format .

clean-venv:
	rm -rf $(VENV)
