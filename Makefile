# Tandem - the two commands for a fresh machine are `make run` and `make test`.
# The virtualenv's interpreter: the operating system's CPython 3.11 when it is installed
# and can make a virtualenv (distributions build it with profile-guided and link-time
# optimisation: the test suite runs about a fifth faster on it than on a plain source build
# such as pyenv's), else the python3 first on the PATH. `make PYTHON=...` chooses another.
PYTHON ?= $(firstword $(shell for p in /usr/bin/python3.11 python3; do \
  $$p -c 'import ensurepip, sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p; \
  done) python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VENDOR := static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default (SQLite, in-process Celery) needs only a development key.
export DEBUG ?= true
# Python caches compiled modules (and pytest its rewritten tests) even where the shell asks
# it not to: each test process would otherwise compile the whole project again.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test check fuzz bench evaluate evaluate-diagnostics evaluate-text-model load lint format install assets migrate seed worker beat check-deploy clean

run: install assets migrate seed
	@echo ""
	@echo "  Tandem is starting on http://$(HOST):$(PORT)/"
	@echo "  Sign in as demo-pm / tandem-demo (PM), demo-pmm / tandem-demo (PMM), or"
	@echo "  demo-viewer / tandem-demo (read-only). API docs: http://$(HOST):$(PORT)/api/docs/"
	@echo "  Ops (Django admin, http://$(HOST):$(PORT)/admin/): demo-ops / tandem-demo (superuser)."
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

# Tests run in TEST_PROCESSES processes (pytest-xdist); the browser tests and the fuzz test
# each stay in one process, where their shared server and seeded workspace live. Outside CI
# a PostgreSQL test database is kept between runs (--reuse-db; migrations still apply).
TEST_PROCESSES ?= 2
PYTEST := $(VENV)/bin/pytest -n $(TEST_PROCESSES) --dist loadgroup --durations=20 $(if $(CI),--create-db,--reuse-db)

# The whole suite: what CI runs on the real services, and on the embedded default.
test: install assets
	$(VENV)/bin/ruff check .
	$(PYTEST)

# The loop after each edit: ruff, and every test that starts no live server, browser,
# subprocess or private cluster (tests marked `live` by tests/conftest.py are left out).
# Its test database is made from the models (--nomigrations; tests/test_migrations.py
# keeps the models and migrations the same); `make test` runs every migration.
check: install assets
	$(VENV)/bin/ruff check .
	$(PYTEST) --nomigrations -m "not live"

# Longer property-based fuzzing of the whole API than `make test` runs.
fuzz: install assets
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(VENV)/bin/pytest -n $(TEST_PROCESSES) tests/test_api_fuzz.py -p no:logging

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

# Third-party JS/CSS from the npm registry, pinned in package-lock.json; nothing from a CDN.
assets: $(VENDOR)/.installed

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/
	cp node_modules/@picocss/pico/css/pico.min.css $(VENDOR)/
	touch $@

migrate: install
	$(PY) manage.py migrate --noinput

seed: install
	$(PY) manage.py seed_demo

worker: install
	$(VENV)/bin/celery -A alignment worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A alignment beat --loglevel=INFO

# Import pipeline, snapshot recompute and kpis/ on PostgreSQL (tests/perf/bench.py), the
# workspace search over 2,000 long insights (tests/perf/test_search_bench.py), then the time
# to embed and cluster 5,000 insights into themes (tests/perf/test_themes_bench.py):
# BENCH_ROWS campaign and usage rows (default 1,000,000); writes bench-results.json.
BENCH_ROWS ?= 1000000
bench: install
	BENCH_ROWS=$(BENCH_ROWS) DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tandem_bench} \
	$(PY) -m tests.perf.bench
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tandem_bench} \
	$(VENV)/bin/pytest -q -s -p no:cacheprovider tests/perf/test_search_bench.py
	BENCH_THEMES=1 $(VENV)/bin/pytest -q -s -p no:cacheprovider tests/perf/test_themes_bench.py

# Evaluation harnesses (tests/evaluation/): precision and recall of each diagnostic rule on
# synthetic workspaces built and rolled back in the configured database, and the text model
# against a TF-IDF baseline on the labelled set tests/research/text_set/insights.json.
evaluate: evaluate-diagnostics evaluate-text-model

evaluate-diagnostics: install migrate
	$(PY) -m tests.evaluation.diagnostics --seeds 5 --healthy 2

evaluate-text-model: install
	$(PY) -m tests.evaluation.text_model

# Load (tests/reliability/load.py): gunicorn with 2 workers (gunicorn.conf.py) on PostgreSQL
# and Redis, 50 clients (wrk, loopback only) on the dashboard, kpis/ and three list endpoints
# for LOAD_SECONDS (60), then the dashboard and /healthz alone for LOAD_CEILING_SECONDS (20).
# LOAD_ROWS campaign and usage rows are seeded into the demo workspace (default 100,000;
# BENCH_ROWS-sized with LOAD_ROWS=1000000). Installs Debian's wrk when it is missing.
LOAD_ROWS ?= 100000
load: install assets
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	LOAD_ROWS=$(LOAD_ROWS) LOAD_DATABASE_URL=$${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tandem_load} \
	LOAD_CACHE_URL=$${LOAD_CACHE_URL:-redis://127.0.0.1:6379/1} \
	$(PY) -m tests.reliability.load

# The production settings' deployment checklist (prints nothing worth fixing when clean).
check-deploy: install
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=tandem.example.com $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles .pytest_cache
