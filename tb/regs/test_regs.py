"""pytest entry of the register-file testbench (tb/regs/testplan.md), for each configuration
(the build-parameter registers differ)."""

from pathlib import Path

import pytest

from tessel import rtlfiles
from tessel.config import load_config
from tessel.sim import run

HERE = Path(__file__).parent
SOURCES = rtlfiles.REGS


@pytest.mark.seeds(5)
@pytest.mark.parametrize("target", ["small", "zcu104"])
def test_regs(target, seed):
    run("tessel_regs", SOURCES, "tb_regs", HERE, config=load_config(target), seed=seed)
