# The two commands: `make demo` (set up and start the demo) and `make test` (set up and run every check).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench lint install clean translations

install: $(STAMP)

# Re-install only when the project's dependencies change; otherwise this takes milliseconds.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/elk demo run

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest tests/domain -q -p no:cacheprovider --cov=elk_domain --cov-branch --cov-fail-under=95 --cov-report=term
	$(BIN)/pytest tests -p no:cacheprovider --ignore=tests/domain --ignore=tests/benchmarks

bench: $(STAMP)
	$(BIN)/pytest tests/benchmarks -p no:cacheprovider -s -q

# After changing a text of the parents' portal: extract, merge into the English catalogue (fill in
# the new msgstr), then compile. The compiled .mo is committed; a test checks it is current.
TRANSLATIONS := src/elk_web/translations
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k Message --no-location --sort-output --no-wrap \
		--project ELK -o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel -q update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) \
		--no-fuzzy-matching --ignore-obsolete --no-wrap
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)
	rm $(TRANSLATIONS)/messages.pot

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
