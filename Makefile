# Two commands on a fresh machine:  `make run`  and  `make test`  (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8501
LOCK   := requirements/test.lock
# Re-install whenever pyproject.toml or the lock changes.
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) | cksum | cut -d' ' -f1)

.PHONY: install lock run test check lint system-deps balancer-deps ckan-stand

# The test environment is the lock, exactly; the project itself goes in editable, no deps.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Re-resolve the test environment from pyproject.toml (commit the result).
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --quiet -o $(LOCK)

# One portal process per core behind HAProxy (sticky pages); WORKERS=1 serves one process.
WORKERS ?= 0
run: $(STAMP) system-deps
	$(BIN)/glasswall init
	$(BIN)/glasswall demo
	$(BIN)/glasswall serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check portal scripts tests
	$(BIN)/ruff format --check portal scripts tests
	$(BIN)/mypy

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here);
# `serve --workers N` puts Debian's HAProxy in front of the portal processes.
system-deps: balancer-deps
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core; }

balancer-deps:
	@command -v haproxy >/dev/null 2>&1 || test -x /usr/sbin/haproxy || { \
	  echo "installing Debian's haproxy for serve --workers"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq haproxy; }

# The federation tests run a real CKAN 2.11 (its own venv, PostgreSQL and Redis from Debian).
ckan-stand: $(STAMP)
	$(BIN)/python scripts/ckan_stand.py install

# Lint and the fast tests, for every change (a few minutes on two cores).
check: lint
	$(BIN)/pytest -q -m "not slow"

# Everything, as CI runs it: includes building the wheel and running it from a fresh
# environment outside the checkout (tests/test_packaging.py).
test: lint system-deps ckan-stand
	$(BIN)/pytest
