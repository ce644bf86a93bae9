# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
MOLLIE_PORT ?= 8765
PYTEST_WORKERS ?= 2

.PHONY: run prod test lint install install-test demo e2e-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# The embedded demo on SQLite: migrate, load the demo once (prints the logins), serve.
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	PORT=$(PORT) $(PY) manage.py load_demo
	@# Online payments go to the local Mollie server (the demo houses have its key);
	@# it stops with the web server. Confirmation mails print in this terminal.
	@$(PY) tools/mollie_local.py --port $(MOLLIE_PORT) & mollie=$$!; \
	  trap 'kill $$mollie 2>/dev/null' EXIT INT TERM; \
	  MOLLIE_API_URL=http://127.0.0.1:$(MOLLIE_PORT)/v2 \
	  PODIUM_PUBLIC_URL=http://127.0.0.1:$(PORT) \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The production profile (README "Production profile"): PostgreSQL, Redis, Celery
# worker and beat, gunicorn with WhiteNoise; state in var/prod/. PROD_ARGS=--demo
# loads the demo once.
prod: install
	PORT=$(PORT) tools/prod.sh $(PROD_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

# Debian's Chromium drives the browser tests; install it when it is missing and we may.
e2e-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  else echo "Install Debian's chromium (/usr/bin/chromium) for the browser tests." >&2; exit 1; fi; \
	fi

test: install-test e2e-deps lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var

# Collect UI strings into the nl and fr catalogues (needs GNU gettext), then compile.
messages: install-test
	$(PY) manage.py makemessages -l nl -l fr --no-location --ignore '.venv/*' --ignore 'e2e/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'
