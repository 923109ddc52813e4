"""pytest entry of the DMA testbenches (tb/dma/testplan.md): tessel_dma under pyuvm for each
bus width, and the AXI protocol checker's own test. Both DUTs take AXI structs; their thin
wrappers here (tessel_dma_flat, tessel_axi_assert_flat) give the testbenches flat wires."""

from pathlib import Path

import pytest

from tessel import rtlfiles
from tessel.config import load_config
from tessel.sim import RTL, run, seed_from_env

HERE = Path(__file__).parent
DMA_SOURCES = [*rtlfiles.DMA, HERE / "tessel_dma_flat.sv"]
ASSERTIONS = {"TESSEL_ASSERT_ON": 1}


@pytest.mark.seeds(11)
@pytest.mark.parametrize("target,parameters", [
    ("small", {}),                     # 64-bit
    ("zcu104", {}),                    # 128-bit, the ZCU104 HP port
    ("zcu104", {"DataWidth": 256}),
    ("zcu104", {"DataWidth": 512}),
], ids=["small-64", "zcu104-128", "zcu104-256", "zcu104-512"])
def test_dma(target, parameters, seed):
    run("tessel_dma_flat", DMA_SOURCES, "tb_dma", HERE, config=load_config(target), parameters=parameters,
        seed=seed, defines=ASSERTIONS)


def test_axi_assert_fires():
    """Each rule of tessel_axi_assert fires on its violation (and only that rule)."""
    run("tessel_axi_assert_flat", [RTL / "dma" / "tessel_dma_pkg.sv", RTL / "dma" / "tessel_axi_assert.sv",
                                    HERE / "tessel_axi_assert_flat.sv"], "tb_axi_assert", HERE,
        config=load_config("zcu104"), parameters={"DataWidth": 64, "AddrWidth": 40, "IdWidth": 4},
        seed=seed_from_env(3), defines={**ASSERTIONS, "TESSEL_ASSERT_RECORD_ONLY": 1})
