# The project's vocabulary: `make demo` serves the portal, `make test` runs the whole suite.
PYTHON ?= python3
UV := .tools/bin/uv
PY := .venv/bin/python
DEMO_ENV := DEBUG=true
ESTABLISHMENTS_CSV ?= data/establishments_limoges.csv

.PHONY: env demo demo-data test lint format bench messages clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

env: .venv/.synced $(MO_FILES)

# Catalogues compile with Babel from the locked environment: a fresh machine needs no gettext.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po .venv/.synced
	.venv/bin/pybabel -q compile -i $< -o $@

# Re-extract the French msgids into the English catalogue (a maintainer's task: needs gettext).
messages: env
	$(DEMO_ENV) $(PY) manage.py makemessages -l en --add-location=file \
		--ignore='tests/*' --ignore='staticfiles/*' --ignore='media/*' --ignore='test-artifacts/*'

demo-data: env
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py import_establishments $(ESTABLISHMENTS_CSV)
	$(DEMO_ENV) $(PY) manage.py load_demo

demo: demo-data
	@echo "Portail : http://127.0.0.1:8000  (Ctrl+C pour arrêter)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: env
	$(PY) -m pytest

lint: env
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(DEMO_ENV) $(PY) manage.py makemigrations --check --dry-run

format: env
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

clean:
	rm -rf .venv .tools db.sqlite3 staticfiles media test-artifacts

bench: env  ## queries and time of the screens at 136 and 11 000 establishments, Pix imports
	$(PY) bench/screens.py
	$(PY) bench/pix_import.py
