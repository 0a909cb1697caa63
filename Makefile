# Oversight: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: run test install migrate seed serve assets check-assets node-deps lint bench-editor clean screenshots

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

serve:
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) oversight.asgi:application

run: seed
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) oversight.asgi:application

# The interop tests drive the stock y-websocket client in Node; without Node they skip.
node-deps:
	@if command -v npm >/dev/null; then \
	  (cd tests/interop && npm ci --silent --no-audit --no-fund); \
	else echo "npm not found: Node interop tests will be skipped"; fi

test: install node-deps
	$(PY) -m pytest

# Rebuild the committed editor bundle (static/editor/) from editor/js/.
assets:
	cd editor/js && npm ci --silent --no-audit --no-fund && npm run build

# Fail if the committed bundle differs from a fresh build of the sources.
check-assets:
	cd editor/js && npm ci --silent --no-audit --no-fund && npm run check-bundle

# Regenerate the README's screenshots from the demo data (needs Debian's chromium).
screenshots: install
	$(PY) -m tests.live.readme_screenshots

lint: install
	$(VENV)/bin/ruff check oversight editor tests bench

clean:
	rm -rf $(VENV) var
