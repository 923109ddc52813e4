"""pytest entry for the compute core testbenches."""

from pathlib import Path

import pytest

from tb.common.runner import RTL, run, seed_from_env

HERE = Path(__file__).parent
SOURCES = [RTL / "core" / f for f in (
    "tessel_arith_pkg.sv", "tessel_core_seq.sv", "tessel_act_buffer.sv", "tessel_dpe_pair.sv",
    "tessel_dpe_array.sv", "tessel_pool_unit.sv", "tessel_ppu.sv", "tessel_core.sv")]


def test_core_smoke():
    run("tessel_core", SOURCES, "tb_smoke", HERE, target="small", seed=seed_from_env(1))
