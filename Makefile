# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
GB     := $(VENV)/bin/graphbuild
EVAL   ?= ../shared/eval

.PHONY: demo test eval bench install clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(GB) build seeds/ -o output/
	$(PY) -m graphbuild.views.screenshot output/graph.html output/graph.png

test: install
	$(PY) -m pytest

eval: install
	$(GB) evaluate $(EVAL)/dev --json output/eval-dev.json
	$(GB) evaluate $(EVAL)/plover-dev/gold.jsonl --json output/eval-plover.json

bench: install
	$(PY) benchmarks/run_all.py

clean:
	rm -rf output/ .pytest_cache
