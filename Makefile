# The one front door: `make run` serves the demo site, `make test` runs every test.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
THREADS ?= 8
# How granian holds up under slow and idle clients (benchmarks/slow_clients.py): open
# connections are many (BACKPRESSURE per worker, BACKLOG queued), Python threads few
# (THREADS); a client gets HEADER_TIMEOUT ms to send its headers; a worker that dies is
# started again.
BACKPRESSURE ?= 1024
BACKLOG ?= 2048
HEADER_TIMEOUT ?= 5000
GRANIAN_FLAGS = --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
  --blocking-threads $(THREADS) --backpressure $(BACKPRESSURE) --backlog $(BACKLOG) \
  --http1-header-read-timeout $(HEADER_TIMEOUT) --respawn-failed-workers
# The scaled-out path the second test pass exercises (real servers, never mocks).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# The W3C Nu HTML checker, from npm, kept inside the virtualenv (never committed).
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
# axe-core, the accessibility rules the browser tests run in each reader page (from npm,
# kept inside the virtualenv, never committed).
AXE_VERSION := 4.11.0
AXE_JS := $(VENV)/axe/node_modules/axe-core/axe.min.js

# Compile the project's Arabic catalogues (Babel; GNU gettext is not needed).
messages: venv
	for po in jarida/locale/*/LC_MESSAGES/*.po; do $(VENV)/bin/pybabel compile -i $$po -o $${po%.po}.mo -l ar; done

.PHONY: messages run serve worker setup test test-sqlite test-scaleout lint fmt check venv system-deps vnu axe datadir clean

$(VENV)/.installed: pyproject.toml
	@PYTHON=$$(scripts/find-python) && echo "Using $$PYTHON" && \
	  { [ -x $(PY) ] || "$$PYTHON" -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

datadir: venv
	$(PY) -m jarida.datadir

setup: datadir
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) ensure_superuser
	$(MANAGE) load_demo --if-empty

# Beside granian, one task worker (docs/tasks.md) unless tasks run immediately; it stops
# (finishing its task first) when granian does. granian runs under scripts/supervise.py,
# which starts it again when it exits abnormally (it gives up when a respawned worker dies
# within 5.5 s); Ctrl-C or SIGTERM stops both for good.
run: setup
	@echo "Jarida: http://$(HOST):$(PORT)/  (back office: http://$(HOST):$(PORT)/admin/)"
	export PROMETHEUS_MULTIPROC_DIR=$$($(PY) -m jarida.monitoring.multiproc); \
	if [ "$${JARIDA_TASKS_BACKEND:-database}" = database ]; then \
	  $(MANAGE) task_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	fi; \
	$(PY) scripts/supervise.py -- $(VENV)/bin/granian $(GRANIAN_FLAGS) jarida.wsgi:application

# A task worker alone (production runs one or more beside the app servers: docs/tasks.md).
worker: venv
	$(MANAGE) task_worker

# Production start: no setup, no demo; refuses to start while migrations are unapplied
# (run `manage.py migrate` first: docs/operations.md, "Upgrades").
serve: venv
	$(MANAGE) migrate --check
	PROMETHEUS_MULTIPROC_DIR=$$($(PY) -m jarida.monitoring.multiproc) \
	  $(VENV)/bin/granian $(GRANIAN_FLAGS) jarida.wsgi:application

# Debian's chromium, Arabic fonts and an emoji font (comments carry emoji) for the
# browser tests, Java and npm for the HTML checker: each installed only when missing.
system-deps:
	scripts/system-deps

# vnu.jar for tests/feeds/test_html_validity.py; its postinstall (a Java downloader) is
# not needed, the machine's Java runs it.
vnu: $(VNU_JAR)

$(VNU_JAR): | system-deps
	mkdir -p $(VENV)/vnu
	npm install --prefix $(VENV)/vnu --no-audit --no-fund --ignore-scripts --silent \
	  vnu-jar@$(VNU_VERSION)

axe: $(AXE_JS)

$(AXE_JS): | system-deps
	mkdir -p $(VENV)/axe
	npm install --prefix $(VENV)/axe --no-audit --no-fund --ignore-scripts --silent \
	  axe-core@$(AXE_VERSION)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: datadir
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	@# The deployment checklist with production-like values: any warning fails.
	JARIDA_HTTPS=1 ALLOWED_HOSTS=news.example SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
	  $(MANAGE) check --deploy --fail-level WARNING

# Everything on SQLite, browser tests included; the server-backed tests wait for pass 2.
# The suite runs on its own calendar (tests/conftest.py, SUITE_DAY), never the real date;
# the two passes start at 00:30 and 23:50 so a test that passes only at some hours fails
# whatever the hour of the run.
test-sqlite: venv system-deps vnu axe
	$(VENV)/bin/pytest -m "not scaleout" --clock=00:30

# The same suite on PostgreSQL and Redis (browser tests already ran above).
test-scaleout: venv
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) JARIDA_REQUIRE_SERVICES=1 \
	  $(VENV)/bin/pytest -m "not browser" --clock=23:50

test: lint check test-sqlite test-scaleout

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
