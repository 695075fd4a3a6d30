# ПОС-портал: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
# Parallel test workers (pytest-xdist); `make test PYTEST_WORKERS=0` runs the suite in one process. --dist loadscope
# keeps a module (or class) on one worker, so a world built once per module or class is built once per run.
PYTEST_WORKERS ?= 2
# Development and tests never need a real secret; production sets SECRET_KEY itself.
# Tests run the production profile (DEBUG off) over plain HTTP: no redirect to HTTPS.
DEV_ENV := DEBUG=1
TEST_ENV := SECRET_KEY=insecure-test-only-key DEBUG=0 SECURE_SSL_REDIRECT=0
# The browser journeys (tests/browser) drive Debian's Chromium; without it they are skipped.
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test screenshots bench install migrate seed lint format check deploy-check deploy-check-postgres clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

run: seed
	@echo "ПОС-портал: http://127.0.0.1:8000/ (учётные записи department, metodist, leader, member; пароль demo)"
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	@test -x $(CHROMIUM) || echo "== Chromium не найден ($(CHROMIUM)): браузерные тесты tests/browser будут пропущены (sudo apt-get install chromium)"
	$(TEST_ENV) CHROMIUM=$(CHROMIUM) $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# Screenshots of the main pages, made by the browser journeys, to docs/screenshots/ (shown in the README).
screenshots: install
	SCREENSHOTS=1 REQUIRE_BROWSER=1 $(TEST_ENV) CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q tests/browser

# Region-scale data in PostgreSQL, gunicorn, a bounded load; prints the table, writes docs/benchmarks.md.
# BENCH_DATABASE_URL names a PostgreSQL server the benchmark may create and drop its databases on.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(DEV_ENV) $(BIN)/python manage.py check --fail-level WARNING
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# The production profile as a district server runs it: `check --deploy` must find nothing.
deploy-check: install
	env -u DEBUG DJANGO_ENV=production ALLOWED_HOSTS=pos.example.ru DATABASE_URL=sqlite:///$(CURDIR)/deploy-check.sqlite3 \
		SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

# The deployment guide's two PostgreSQL roles on a throwaway database (CI_POSTGRES_URL, the local server by default):
# `check --deploy` passes as the portal's role and warns pos.W001 as the owner of the tables.
deploy-check-postgres: install
	bash .ci/deploy-check-postgres

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache
