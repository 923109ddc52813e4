"""pytest entry of the register-file testbench (tb/regs/testplan.md), for each configuration
(the build-parameter registers differ)."""

from pathlib import Path

import pytest

from tb.common.runner import RTL, run, seed_from_env

HERE = Path(__file__).parent
SOURCES = [RTL / "regs" / "tessel_perf_counters.sv", RTL / "regs" / "tessel_regs.sv"]


@pytest.mark.parametrize("target", ["small", "zcu104"])
def test_regs(target):
    run("tessel_regs", SOURCES, "tb_regs", HERE, target=target, seed=seed_from_env(5))
