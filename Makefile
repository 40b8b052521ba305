# Quick start: `make demo` and `make test`. Each target installs what it needs first, so both work on a
# fresh clone of a fresh machine: the virtual environment, the Python packages, the front-end assets
# (from the npm registry) and, for the browser tests, Debian's chromium with a CJK font.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/tenderwatch/web/static/vendor
ASSETS := $(VENDOR)/.installed

.PHONY: install assets browser demo test lint typecheck check serve bench clean

install: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,spark]'
	touch $(STAMP)

# ECharts and htmx come from the npm registry at build time; no minified third-party file is committed.
$(ASSETS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	cp node_modules/htmx.org/LICENSE $(VENDOR)/htmx.LICENSE
	cp node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE
	touch $(ASSETS)

assets: $(ASSETS)

# Browser tests drive Debian's chromium (never a downloaded browser); the font makes Chinese render.
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi"; then \
		echo "installing chromium and fonts-wqy-microhei from Debian"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; \
	fi

demo: install
	$(BIN)/tenderwatch demo

serve: install
	$(BIN)/tenderwatch serve

test: install browser
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: install
	$(BIN)/tenderwatch bench ingest --scale small

clean:
	rm -rf var build *.egg-info .pytest_cache .mypy_cache .ruff_cache
