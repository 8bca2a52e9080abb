# The two commands of the README: `make build` and `make test`.
# Both install everything into .venv first (once, and again when the pins change).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JB_FLAGS := -W -n --keep-going

.PHONY: install build test sync clean benchmark mutation

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -r requirements.txt
	$(BIN)/python -m pip install --no-deps --no-build-isolation -e .
	# Build matplotlib's font cache now: its first-run notice on stderr would fail a lesson.
	$(BIN)/python -c "import matplotlib.pyplot"
	touch $(STAMP)

install: $(STAMP)

## build: install, then build the HTML site into _build/html (strict: any warning fails)
build: $(STAMP)
	$(BIN)/jupyter-book build . $(JB_FLAGS)
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html"

## test: install, build the site, then run the whole test suite
test: build
	$(BIN)/python -m pytest

## sync: regenerate book/*.ipynb from lessons_src/*.md and the repository URL in _config.yml
sync: $(STAMP)
	$(BIN)/python scripts/sync.py

clean:
	rm -rf _build

## benchmark: time training recipes, notebooks, tests and builds; write benchmarks/RESULTS.md
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

## mutation: optional and slow (minutes), not part of `make test`: mutation-test helpers/
## with mutmut against the fast helpers unit tests; survivors: .venv/bin/mutmut results
mutation: $(STAMP)
	$(BIN)/python -m pip install -q -r requirements-mutation.txt
	rm -rf mutants
	nice -n 15 $(BIN)/mutmut run --max-children 2
	@echo "Survivors (if any) below; show one with: $(BIN)/mutmut show NAME"
	@$(BIN)/mutmut results
