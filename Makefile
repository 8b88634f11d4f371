# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
GB     := $(VENV)/bin/graphbuild
EVAL   ?= ../shared/eval

.PHONY: demo test eval bench install browser clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# Debian's Chromium for the view tests and the screenshot (installed when run as root).
browser:
	@scripts/ensure-chromium || true

demo: install browser
	$(GB) build seeds/ -o output/
	@if command -v chromedriver >/dev/null; then \
	  $(PY) -m graphbuild.views.screenshot output/graph.html output/graph.png; \
	else echo "(no Chromium: skipped output/graph.png)"; fi

test: install browser
	$(PY) -m pytest

eval: install
	@mkdir -p output
	$(GB) evaluate $(EVAL)/dev --json output/eval-dev.json
	$(GB) evaluate $(EVAL)/plover-dev/gold.jsonl --json output/eval-plover.json

bench: install
	$(PY) benchmarks/bench_pipeline.py

clean:
	rm -rf output/ .pytest_cache
