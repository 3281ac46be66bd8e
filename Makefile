# Every target sets up what it needs; re-running any of them is safe.
PYTHON ?= python3
VENV ?= .venv
VENV74 ?= .venv-wagtail74
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/wagtail_series
# pytest-xdist workers: one per core (`make test PYTEST_WORKERS=0` runs in one process).
PYTEST_WORKERS ?= auto
# Options for every benchmark script, e.g. `make bench BENCH_FLAGS="--quick --databases sqlite"`.
BENCH_FLAGS ?=
BIN := $(VENV)/bin
# The demo's address: its Site record (absolute URLs in APIs and feeds) follows PORT.
MANAGE := cd example_site && WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$(PORT)} ../$(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install demo demo-data test test-pg test-e2e test-wagtail74 test-swapped-page-model test-localize lint format migrations-check messages messages-check fuzz-api bench bench-graphql docs docs-serve docs-screenshots ci clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(VENV74)/bin/.installed: pyproject.toml
	test -x $(VENV74)/bin/python || $(PYTHON) -m venv $(VENV74)
	$(VENV74)/bin/python -m pip install --quiet --upgrade pip
	$(VENV74)/bin/python -m pip install --quiet -e ".[dev]" "wagtail>=7.4,<7.5"
	touch $@

install: $(BIN)/.installed ## Create .venv and install the package with its dev tools

demo-data: install ## Migrate the example site's SQLite database and load the demo content
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo

demo: demo-data ## Set up and run the example site on http://127.0.0.1:$(PORT)/ (admin/changeme)
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install ## Run the whole test suite (SQLite, Wagtail 8)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

test-pg: install ## Run the suite on PostgreSQL at 127.0.0.1:5432 (starts it if it is down)
	bash .ci/postgres-up
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -n $(PYTEST_WORKERS)

test-e2e: install ## Two example-site servers sharing PostgreSQL and Redis (starts both if they are down)
	bash .ci/postgres-up
	bash .ci/redis-up
	$(BIN)/pytest -q -m e2e tests/e2e

test-wagtail74: $(VENV74)/bin/.installed ## Run the suite on Wagtail 7.4 LTS (in .venv-wagtail74)
	$(VENV74)/bin/pytest -q -n $(PYTEST_WORKERS)

test-swapped-page-model: install ## Run the suite with Wagtail 8's page model swapped (WAGTAIL_PAGE_MODEL)
	DJANGO_SETTINGS_MODULE=tests.settings_swapped $(BIN)/pytest -q -n $(PYTEST_WORKERS)

test-localize: install ## Run tests/localize with wagtail-localize installed (tests.settings_localize)
	DJANGO_SETTINGS_MODULE=tests.settings_localize $(BIN)/pytest -q tests/localize

lint: install ## ruff check, ruff format --check, and the type check (mypy on wagtail_series)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check wagtail_series tests example_site bench scripts
	$(BIN)/mypy

format: install ## ruff format and fix imports
	$(BIN)/ruff check --fix --select I .
	$(BIN)/ruff format wagtail_series tests example_site bench scripts

migrations-check: install $(VENV74)/bin/.installed ## makemigrations --check on Wagtail 8 and 7.4
	$(BIN)/python tests/manage.py makemigrations --check --dry-run
	$(VENV74)/bin/python tests/manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=tests.settings_swapped $(BIN)/python tests/manage.py makemigrations --check --dry-run --noinput
	$(MANAGE) makemigrations --check --dry-run
	cd example_site && ../$(VENV74)/bin/python manage.py makemigrations --check --dry-run
	$(MANAGE) check --fail-level WARNING

messages: install ## Update the fr and de catalogs from the sources (makemessages) and compile them
	$(BIN)/python scripts/messages.py update

messages-check: install ## Fail if a catalog misses a string, keeps an obsolete one, is incomplete or not compiled
	$(BIN)/python scripts/messages.py check

fuzz-api: install ## Fuzz the running example site's API with schemathesis against its OpenAPI document
	$(BIN)/python scripts/fuzz_api.py

bench: install ## Time ours vs stock Wagtail: API, GraphQL, publish, listing, part page; 10,000 follower emails (see bench/; SQLite and PostgreSQL)
	bash .ci/postgres-up
	$(BIN)/python bench/api_bench.py $(BENCH_FLAGS)
	$(BIN)/python bench/graphql_bench.py $(BENCH_FLAGS)
	$(BIN)/python bench/publish_bench.py $(BENCH_FLAGS)
	$(BIN)/python bench/listing_bench.py $(BENCH_FLAGS)
	$(BIN)/python bench/part_page_bench.py $(BENCH_FLAGS)
	$(BIN)/python bench/followers_bench.py $(BENCH_FLAGS)

bench-graphql: install ## Time the GraphQL series query against grapple's generic page query (SQLite and PostgreSQL)
	bash .ci/postgres-up
	$(BIN)/python bench/graphql_bench.py $(BENCH_FLAGS)

docs: install ## Build the docs with warnings as errors
	$(BIN)/mkdocs build --strict --site-dir site

docs-serve: install ## Serve the docs on http://127.0.0.1:8001/
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8001

docs-screenshots: install ## Retake the docs' screenshots (docs/images/) with the browser test
	WAGTAIL_SERIES_DOCS_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_editor_story.py tests/browser/test_reorder_and_announcement.py

ci: ## What CI runs (.ci/run)
	bash .ci/run

clean: ## Remove virtualenvs, the demo database and build output
	rm -rf $(VENV) $(VENV74) site build dist *.egg-info example_site/db.sqlite3 example_site/media
