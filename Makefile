# Two commands on a fresh machine:  `make run`  and  `make test`  (see README.md).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8501
# Re-install whenever pyproject.toml changes.
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint system-deps balancer-deps ckan-stand

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# One portal process per core behind HAProxy (sticky pages); WORKERS=1 serves one process.
WORKERS ?= 0
run: $(STAMP) balancer-deps
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

test: lint system-deps ckan-stand
	$(BIN)/pytest
