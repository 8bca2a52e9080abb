# The two commands of the README: `make build` and `make test`, and the instructor's loop:
# `make check` (seconds), `make test-lesson L=04` (under a minute), `make serve`.
# Everything installs into .venv first (once, and again when the pins change).
# The build itself is defined in scripts/build.py, the lesson rules in scripts/check.py.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
PORT   ?= 8000
PYTEST := $(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

.PHONY: install build test check test-lesson sync serve clean benchmark

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e .
	# Build matplotlib's font cache now: its first-run notice on stderr would fail a lesson.
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $(STAMP)

install: $(STAMP)

## build: sync the notebooks, then build the HTML site into _build/html (strict: any
## warning or failing cell fails it); V=1 shows Sphinx's full output
build: $(STAMP)
	$(BIN)/python scripts/build.py $(if $(V),--verbose)

## check: every lesson rule, every lesson, in seconds, without running a notebook
check: $(STAMP)
	$(BIN)/python scripts/check.py

## test: sync, check the lessons, build the site, then run the whole test suite
test: $(STAMP)
	@if [ -z "$$CI" ]; then $(BIN)/python scripts/sync.py; fi
	$(BIN)/python scripts/check.py
	$(BIN)/python scripts/build.py
	$(PYTEST)

## test-lesson L=04: one lesson's check, its notebook (nbval) and its seed tests
test-lesson: $(STAMP)
	@test -n "$(L)" || (echo "usage: make test-lesson L=04   (or L=04_pca, L=ja/04)"; exit 2)
	$(BIN)/python scripts/testlesson.py $(L)

## sync: regenerate book/*.ipynb from lessons_src/*.md and the repository URL in _config.yml
sync: $(STAMP)
	$(BIN)/python scripts/sync.py

## serve: read the built site at http://localhost:8000 (the search needs http)
serve:
	@echo "Serving _build/html at http://localhost:$(PORT) (Ctrl-C stops it)"
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 $(PORT)

clean:
	rm -rf _build

## benchmark: time training recipes, notebooks, tests and builds; write benchmarks/RESULTS.md
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py
