# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
GB     := $(VENV)/bin/graphbuild
EVAL   ?= ../shared/eval
CORPUS ?= ../shared/corpora/wikinews-2019-2020.jsonl

.PHONY: demo test eval eval-rules calibrate bench bench-scale install browser clean

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

# The dev articles together, then the 8 of the first release and the 19 added later apart.
EVAL_GROUPS = --group "original=000_*,whitehouse_*,wikinews_0*,wikinews_1*" --group "new=wikinews_2*,wikinews_3*"

eval: install
	@mkdir -p output
	$(GB) evaluate $(EVAL)/dev $(EVAL_GROUPS) --json output/eval-dev.json
	$(GB) evaluate $(EVAL)/plover-dev/gold.jsonl --json output/eval-plover.json

# Per rule: its precision on dev and the events F1 without it (about a minute).
eval-rules: install
	@mkdir -p output
	$(GB) evaluate $(EVAL)/dev --by-rule --min-confidence 0 --json output/eval-rules.json

# Refit the event confidence calibration (ontology/calibration.tsv) on the dev articles.
calibrate: install
	$(GB) evaluate $(EVAL)/dev --calibrate --judged benchmarks/data/judged_events.tsv $(CORPUS)

bench: install
	$(PY) benchmarks/bench_pipeline.py

# The shared corpus x4 through real builds: --processes 2 against bare nlp.pipe(n_process=2), peak memory.
bench-scale: install
	$(PY) benchmarks/bench_scale.py --words 820000 --processes 2

clean:
	rm -rf output/ .pytest_cache
