# Runway: `make run` starts the demo on embedded defaults, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIND ?= 127.0.0.1:8000

.PHONY: setup browser tools run migrate seed test lint format bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed

# Browser tests drive Debian's Chromium; nothing downloads a browser of its own.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Runway is starting at http://$(BIND)/  (admin: http://$(BIND)/admin/, health: http://$(BIND)/healthz)"
	@echo "Stop it with Ctrl-C."
	PATH="$(abspath $(VENV))/bin:$$PATH" RUNWAY_BIND=$(BIND) $(VENV)/bin/honcho start

test: setup browser tools
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy $(wildcard */services.py */services/*.py */selectors.py) programs/eligibility.py applicants/answers.py

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmarks need PostgreSQL and Redis; these defaults are the local servers.
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/postgres)
BENCH_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/6)

tools:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the HTTP benchmarks"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: setup tools
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf var .pytest_cache
