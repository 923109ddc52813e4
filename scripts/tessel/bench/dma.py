"""DMA throughput without backpressure, as a fraction of the bus peak (one beat per cycle):
tessel_dma simulated under Verilator for the zcu104 configuration (128-bit AXI), transfers of
4, 16 and 64 KB, page-aligned and unaligned, 8 commands back to back (tb/dma/bench_dma.py).
dma_read_frac / dma_write_frac are the worst case over those transfers; the *_single_* metrics
are one command alone, its latency included."""

import json

from .. import rtlfiles
from ..config import load_config
from ..paths import REPO_ROOT, build_dir
from ..sim import run as run_sim


def run() -> dict:
    out = build_dir() / "bench-dma.json"
    out.unlink(missing_ok=True)
    # tessel_dma takes AXI structs; the testbench's wrapper gives cocotb flat wires.
    sources = [*rtlfiles.DMA, REPO_ROOT / "tb" / "dma" / "tessel_dma_flat.sv"]
    run_sim("tessel_dma_flat", sources, "bench_dma", REPO_ROOT / "tb" / "dma",
            config=load_config("zcu104"), seed=1, extra_env={"TESSEL_BENCH_OUT": str(out)})
    return json.loads(out.read_text())
