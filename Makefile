# The two commands: `make run` and `make test`. Each creates .venv with the system python3 when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint messages clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/veille serve --demo

# SQLite always; PostgreSQL and the Redis-backed queue too when their test URLs are set.
test: $(STAMP)
	$(BIN)/pytest
	@if [ -n "$$VEILLE_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		VEILLE_TEST_BACKEND=postgres $(BIN)/pytest -m "not browser"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check veille bench
	$(BIN)/ruff format --check veille bench

messages: $(STAMP)
	cd veille && ../$(BIN)/veille makemessages -l fr --no-obsolete && ../$(BIN)/veille compilemessages

clean:
	rm -rf $(VENV) test-data
