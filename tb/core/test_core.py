"""pytest entry for the compute core testbenches."""

from pathlib import Path

import pytest

from tessel import rtlfiles
from tessel.config import load_config
from tessel.sim import run, seed_from_env

HERE = Path(__file__).parent
SOURCES = rtlfiles.CORE


@pytest.mark.parametrize("target", ["small", "zcu104"])
def test_core_smoke(target):
    run("tessel_core", SOURCES, "tb_smoke", HERE, config=load_config(target), seed=seed_from_env(1))


@pytest.mark.seeds(11)
@pytest.mark.parametrize("target,dsp_packing,layers,required_coverage", [
    ("small", 1, 100, "core."),        # the make sim regression: every bin
    ("small", 0, 30, ""),              # the unpacked multipliers are bit-exact too
    ("zcu104", 1, 20, ""),             # the default ZCU104 parameter set
    ("small_buffers", 1, 40, "tiling."),  # tiny buffers: layers run as many tiles
    ("small_ports", 1, 30, ""),        # three columns: not a power of two
])
def test_core_random_layers(target, dsp_packing, layers, required_coverage, seed):
    run("tessel_core", SOURCES, "tb_core", HERE, config=load_config(target), seed=seed,
        parameters={"DspPacking": dsp_packing},
        extra_env={"TESSEL_CORE_LAYERS": str(layers), "TESSEL_REQUIRE_COVERAGE": required_coverage})
