# Tessel. Every target sets itself up on a fresh machine (make setup is implied).
#   make demo    the main job: the digits network end to end
#   make test    unit tests, then the RTL regression (make sim)
#   make bench   all benchmarks -> build/bench.json

SHELL  := /bin/bash
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.setup-done
PYTEST := $(PY) -m pytest

.PHONY: setup test unit lint sim demo bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $@

unit: $(STAMP)
	$(PYTEST) -q -n 2 tests

# verilator --lint-only -Wall over rtl/ for every configuration (waivers: lint/waivers.vlt).
lint: $(STAMP)
	$(PY) scripts/lint.py

# The RTL regression: lint, then every testbench under tb/.
sim: lint
	$(PYTEST) -q -n 2 tb

test: unit sim

demo: $(STAMP)
	$(VENV)/bin/tessel demo

bench: $(STAMP)
	$(PY) -m tessel.bench all

clean:
	rm -rf build gen/zoo sim_build .pytest_cache
