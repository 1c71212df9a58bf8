# Two commands matter: `make run` and `make test` (see README). Both work on a fresh machine that
# has only python3 and apt: they create .venv, install what is missing, then run.
SHELL := /bin/bash
PY := .venv/bin/python
DB ?= $(or $(DASBOR_DB),data/dasbor.duckdb)
PORT ?= 8501
# apt needs root; use sudo when we are not root and it exists.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null && [ "$$(id -u)" != 0 ] && echo sudo)

.PHONY: run test demo bench venv chromium report-deps postgres clean

.venv/bin/python:
	@python3 -m venv .venv 2>/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv .venv; }

.venv/.runtime: .venv/bin/python requirements.txt
	$(PY) -m pip install -q -r requirements.txt
	@touch $@

.venv/.dev: .venv/.runtime requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

venv: .venv/.runtime

# Browser tests use Debian's chromium (browser downloads are impossible offline).
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# Reports: fonts for the PDF (WeasyPrint renders with the system's fonts; the trend charts are SVG
# drawn from a template, no browser), poppler-utils (pdftotext, pdftoppm) to read reports back in tests
# and make page pictures.
REPORT_DEBS := fonts-dejavu-core fonts-liberation poppler-utils
report-deps:
	@missing=$$(for p in $(REPORT_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  [ -z "$$missing" ] || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; }

# Start the app (server.py: app.py plus the sign-in routes); the first run builds the demo database (synthetic data) at $(DB). Settings that
# Streamlit must know too (the upload limit) are passed from analytics/settings.py, so a DASBOR_…
# override reaches both the importer and Streamlit (.streamlit/config.toml holds the defaults).
run: .venv/.runtime report-deps
	@[[ "$(DB)" == postgres* ]] || test -f $(DB) || $(PY) -m analytics demo --db $(DB)
	flags=$$($(PY) -m analytics.settings --streamlit) && DASBOR_DB=$(DB) $(PY) -m streamlit run server.py $$flags \
	  --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

demo: .venv/.runtime
	$(PY) -m analytics demo --db $(DB)

# PostgreSQL (the shared store of several app servers): the store tests run on it too. The suite's
# conftest starts a throwaway server on 127.0.0.1:55432–55439 (initdb under /tmp, as user postgres
# when run as root) and stops it at the end (tests/pg_server.py); this installs the binaries.
postgres:
# HAProxy (deploy/haproxy.cfg, docs/deploy.md) is checked by the suite too.
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; }
	@command -v haproxy >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq haproxy; }

# The whole suite, browser tests included (never skipped).
test: .venv/.dev chromium report-deps postgres
	$(PY) -m pytest

bench: .venv/.dev report-deps postgres
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_import_formats.py
	$(PY) benchmarks/bench_pages.py
	$(PY) benchmarks/bench_load.py
	$(PY) benchmarks/bench_postgres.py
	$(PY) benchmarks/bench_load.py --postgres --replicas 1 2 --sessions 50
	$(PY) benchmarks/bench_reports.py

clean:
	rm -rf .venv .pytest_cache .hypothesis tests/e2e/screens benchmarks/out
