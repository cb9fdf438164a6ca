# fcspace: every target sets up .venv on a fresh machine first.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.fcspace-installed
PYTEST_ARGS ?=

.PHONY: demo test test-all bench lint clean docs lock wheel wheel-check

# The environment is pinned by requirements.lock (uv pip compile of pyproject's ranges, the
# `test` extra included); `make lock` re-resolves it on purpose. pyproject's ranges stay open
# for library users who install the wheel.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	@touch $(STAMP)

lock:
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --extra dashboard --python-version 3.11 \
	    --python-platform x86_64-unknown-linux-gnu --upgrade --no-header -q -o requirements.lock
	sed -i '1i # Pinned environment of `make test` / `make demo` (uv pip compile; refresh on purpose: `make lock`).' requirements.lock

# A wheel that carries its package data, installed in a fresh venv outside the repository,
# running the simulated part of the demo from there (tools/wheel_check.sh).
wheel: $(STAMP)
	$(PY) -m pip install -q build
	rm -rf dist && $(PY) -m build --wheel -o dist

wheel-check: wheel
	tools/wheel_check.sh dist

demo: $(STAMP)
	$(VENV)/bin/fcspace demo --out demo_output

# pytest exits 5 when it collects no test: that is not a failure of the suite.
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then exit 0; else exit $$rc; fi

# Every benchmark, then fcspace against its peers (benchmarks/peers.py, rows in
# benchmarks/peer_rows/); the peers are the `bench` extra, plus bloodmoon without its
# astropy~=7.0 pin (see pyproject.toml).
bench: $(STAMP)
	$(PY) -m pip install -q -e '.[test,bench]'
	$(PY) -m pip install -q --no-deps 'bloodmoon>=0.1'
	@for b in benchmarks/*.py; do [ "$$b" = benchmarks/peers.py ] && continue; \
	    echo "== $$b"; $(PY) $$b || exit 1; done
	@echo "== benchmarks/peers.py"; $(PY) benchmarks/peers.py

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
