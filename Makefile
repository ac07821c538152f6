# The README's commands. `make run` serves the demo site; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: run test install install-test setup screenshots lint check clean bench-pages bench-newsroom

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# setup_roles comes after load_demo_content: it puts each section that exists (every
# language's newsroom, the directory) on the two-step review; a section created after it
# would fall back to one-step approval. tests/test_setup_order.py reads this order.
setup: install
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_content
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py ensure_admin

# The task worker (index rebuilds, CDN purges, scheduled publishing, Wagtail's search and
# reference index updates) runs beside the server, sharing its cache (a directory in
# DATA_DIR unless REDIS_URL is set); Ctrl-C stops both, and so does the server stopping.
# Restart after changing a task's code: only the server reloads itself.
run: setup
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/), tasks on a worker"
	@export SHARED_FILE_CACHE=true; \
	$(BIN)/python manage.py run_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# axe-core and vnu-jar for the accessibility and HTML tests; without npm (or java) those
# tests are skipped with a message saying why.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the axe and vnu tests will be skipped"; fi

test: install-test node_modules/.package-lock.json
	$(BIN)/python manage.py compile_translations
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest $(PYTEST_ARGS)

# The editors' guide's screenshots (docs/images/editors/, used by docs/editors.md), taken
# along the editor's journey of tests/editors/test_browser.py. `make test` takes none.
screenshots: install-test node_modules/.package-lock.json
	$(BIN)/python manage.py compile_translations
	EDITORS_SCREENSHOTS=$(CURDIR)/docs/images/editors DJANGO_SETTINGS_MODULE=config.settings.test \
		$(BIN)/python -m pytest tests/editors/test_browser.py -k editor_submits_and_moderator_publishes

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install-test
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var

# Benchmarks print figures; they are not tests. Each uses a throw-away database.
bench-pages: install-test
	DATA_DIR=/tmp/osce-bench-pages $(BIN)/python manage.py migrate -v0
	DATA_DIR=/tmp/osce-bench-pages $(BIN)/python manage.py load_demo_content
	DATA_DIR=/tmp/osce-bench-pages DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python bench/page_timings.py

bench-newsroom: install-test
	DATA_DIR=/tmp/osce-bench-newsroom $(BIN)/python bench/newsroom_bench.py --items 100000
