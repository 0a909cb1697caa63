# Oversight: `make run` serves the app with demo data, `make test` runs every test (SQLite),
# `make test-pg` runs them again on PostgreSQL.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
HOST   ?= 127.0.0.1

.PHONY: run static worker test test-pg install install-run lock lock-upgrade migrate seed serve assets check-assets node-deps lint bench-editor clean screenshots

# Python dependencies are pinned, with hashes, in requirements/*.lock (Python 3.11 on Linux):
# run.lock serves (`make run`), scaleout.lock adds PostgreSQL and Redis, dev.lock adds the
# test tools. `make lock` regenerates them from pyproject.toml keeping every pin it can;
# `make lock-upgrade` moves them to the newest versions pyproject.toml allows.
LOCK_RUN      := requirements/run.lock
LOCK_SCALEOUT := requirements/scaleout.lock
LOCK_DEV      := requirements/dev.lock
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.11 --python-platform linux --custom-compile-command "make lock"

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Serving needs the runtime dependencies only; tests add the dev and scale-out extras.
# Each installs the pinned set first, then the project itself without resolving again.
$(VENV)/.installed-run: $(LOCK_RUN) pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r $(LOCK_RUN)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed: $(LOCK_DEV) pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -r $(LOCK_DEV)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

install-run: $(VENV)/.installed-run

install: $(VENV)/.installed

# dev.lock is resolved first; run and scaleout are held to its pins, so what the tests
# ran against is what serves.
$(VENV)/bin/uv: | $(VENV)/bin/activate
	$(PY) -m pip install --quiet "uv>=0.5,<1"

lock: | $(VENV)/bin/uv
	@mkdir -p requirements
	$(UV_COMPILE) $(UV_FLAGS) --extra dev -o $(LOCK_DEV)
	$(UV_COMPILE) -c $(LOCK_DEV) -o $(LOCK_RUN)
	$(UV_COMPILE) -c $(LOCK_DEV) --extra scaleout -o $(LOCK_SCALEOUT)

lock-upgrade:
	$(MAKE) lock UV_FLAGS=--upgrade

migrate: install-run
	@mkdir -p var
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Collect static files under var/staticfiles: content-hashed names and gzip copies, which
# `make run` serves (STATIC_COLLECTED=1) compressed and with year-long cache headers.
static: install-run
	STATIC_COLLECTED=1 $(PY) manage.py collectstatic --noinput --verbosity 0

# `manage.py serve` runs uvicorn (`--server daphne`: daphne) with its WebSocket limit set
# from EDITOR_MAX_MESSAGE_BYTES.
serve:
	$(PY) manage.py serve -b $(HOST) -p $(PORT)

# One background-job worker beside the web server: verifier runs, critiques and
# webhooks need no other service. It stops with the server.
run: seed static
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@$(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  STATIC_COLLECTED=1 $(PY) manage.py serve -b $(HOST) -p $(PORT)

# A background-job worker on its own (scale-out: run several, on any host with the database).
worker: migrate
	$(PY) manage.py db_worker --queue-name '*' --no-reload

# The interop tests drive the stock y-websocket client in Node; without Node they skip.
node-deps:
	@if command -v npm >/dev/null; then \
	  (cd tests/interop && npm ci --silent --no-audit --no-fund); \
	else echo "npm not found: Node interop tests will be skipped"; fi

test: install node-deps
	$(PY) -m pytest

# The same suite on PostgreSQL (the second CI leg): DATABASE_URL names a database on a
# server where the role may create databases (pytest-django creates test_<name>).
PG_URL ?= $(OVERSIGHT_TEST_PG_URL)
test-pg: install node-deps
	@test -n "$(PG_URL)" || { echo "test-pg needs PG_URL or OVERSIGHT_TEST_PG_URL"; exit 2; }
	DATABASE_URL=$(PG_URL) $(PY) -m pytest

# Rebuild the committed editor bundle (static/editor/) from editor/js/.
assets:
	cd editor/js && npm ci --silent --no-audit --no-fund && npm run build

# Fail if the committed bundle differs from a fresh build of the sources.
check-assets:
	cd editor/js && npm ci --silent --no-audit --no-fund && npm run check-bundle

# Regenerate the README's screenshots from the demo data (needs Debian's chromium).
# The webhook page's needs a loopback receiver and a worker: its live test takes it.
screenshots: install
	$(PY) -m tests.live.readme_screenshots
	OVERSIGHT_REFRESH_DOCS_SCREENSHOTS=1 $(VENV)/bin/pytest -q tests/live/test_webhooks_browser.py

lint: install
	$(VENV)/bin/ruff check oversight editor tests bench

clean:
	rm -rf $(VENV) var
