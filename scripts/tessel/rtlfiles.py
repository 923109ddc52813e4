"""The RTL source lists, block by block, in compile order: one place for testbenches, the
runtime's simulator, synthesis and lint to take them from."""

from .paths import REPO_ROOT

RTL = REPO_ROOT / "rtl"


def _files(block: str, names: str) -> list:
    return [RTL / block / f"{name}.sv" for name in names.split()]


COMMON = _files("common", "tessel_axi_pkg tessel_crc_pkg tessel_fifo tessel_skid_buffer tessel_sdp_ram tessel_crc32 "
                           "tessel_beat_check")
CORE = _files("core", "tessel_arith_pkg tessel_core_seq tessel_act_buffer tessel_dpe_pair "
                      "tessel_dpe_array tessel_pool_unit tessel_ppu tessel_core")
DMA = _files("dma", "tessel_dma_pkg tessel_axi_assert tessel_dma_burst_gen tessel_dma_stop "
                    "tessel_dma_rd tessel_dma_wr tessel_dma tessel_dma_weights tessel_dma_assert_bind")
REGS = _files("regs", "tessel_perf_counters tessel_regs")
CTRL = _files("ctrl", "tessel_ctrl_pkg tessel_ctrl_loader tessel_ctrl_wt_loader tessel_ctrl_wt_split "
                      "tessel_ctrl_drain tessel_ctrl_tile_walk tessel_ctrl_halves "
                      "tessel_ctrl")
TOP = _files("top", "tessel_top")
# Simulation only: the DRAM model and the harness that pairs it with the accelerator.
SIM_TOP = [REPO_ROOT / "tb" / "top" / "tessel_dram_bandwidth.sv", REPO_ROOT / "tb" / "top" / "tessel_axi_mem.sv",
           REPO_ROOT / "tb" / "top" / "tessel_sim_top.sv"]


def accelerator() -> list:
    """Everything tessel_top needs (without the generated packages and common primitives,
    which the testbench runner adds)."""
    return [*CORE, *DMA, *REGS, *CTRL, *TOP]
