# caunoi: `make demo` and `make test` are the only set-up commands a newcomer needs.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PG_URL ?= postgres://postgres@127.0.0.1:5432/caunoi
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install demo serve test test-sqlite test-postgres test-e2e lint format bench messages

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv

install: $(UV)
	@$(UV) sync --frozen --quiet

demo: install
	@$(UV) run caunoi demo
	@$(UV) run caunoi serve --host $(HOST) --port $(PORT)

serve: install
	@$(UV) run caunoi serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite, then again on PostgreSQL.
test: install
	@bash .ci/install-browser.sh
	@$(UV) run python -m caunoi.devtools.services
	@$(MAKE) --no-print-directory test-sqlite
	@$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== tests on SQLite =="
	@env -u DATABASE_URL $(UV) run pytest -q

test-postgres: install
	@echo "== tests on PostgreSQL =="
	@DATABASE_URL=$(PG_URL) $(UV) run pytest -q

lint: install
	@$(UV) run ruff format --check src tests bench
	@$(UV) run ruff check src tests bench
	@$(UV) run mypy

format: install
	@$(UV) run ruff format src tests bench
	@$(UV) run ruff check --fix src tests bench

# Apps with a locale/ folder of their own keep their English there (so apps never share one
# catalogue); everything else goes to src/caunoi/locale.
APPS_WITH_LOCALE = $(patsubst src/caunoi/%/locale,%,$(wildcard src/caunoi/*/locale))
messages: install
	@cd src/caunoi && $(UV) run django-admin makemessages -l en --no-obsolete --no-location --ignore 'devtools/*' $(foreach app,$(APPS_WITH_LOCALE),--ignore '$(app)/*')
	@for app in $(APPS_WITH_LOCALE); do (cd src/caunoi/$$app && $(UV) run django-admin makemessages -l en --no-obsolete --no-location); done
	@cd src/caunoi && $(UV) run django-admin compilemessages -l en

bench: install
	@$(UV) run python bench/foundation.py
