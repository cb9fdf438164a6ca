# fcspace: every target sets up .venv on a fresh machine first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.fcspace-installed
PYTEST_ARGS ?=

.PHONY: demo test test-all bench lint clean docs

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/fcspace demo --out demo_output

# pytest exits 5 when it collects no test: that is not a failure of the suite.
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then exit 0; else exit $$rc; fi

bench: $(STAMP)
	@for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks

# Documentation (MkDocs + mkdocstrings, docs extra) built into site/ with warnings as errors.
DOCS_STAMP := $(VENV)/.fcspace-docs-installed
$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install -q -e '.[docs]'
	@touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict -d site

clean:
	rm -rf demo_output .pytest_cache .ruff_cache build src/*.egg-info
