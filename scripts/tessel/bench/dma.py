"""DMA throughput without backpressure, as a fraction of the bus peak (one beat per cycle):
tessel_dma simulated under Verilator for the zcu104 configuration (128-bit AXI), transfers of
4, 16 and 64 KB, page-aligned and unaligned, 8 commands back to back (tb/dma/bench_dma.py).
dma_read_frac / dma_write_frac are the worst case over those transfers; the *_single_* metrics
are one command alone, its latency included."""

import json
import sys

from ..paths import REPO_ROOT, build_dir


def run() -> dict:
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from tb.common.runner import run as run_sim
    from tb.dma.test_dma import DMA_SOURCES

    out = build_dir() / "bench-dma.json"
    out.unlink(missing_ok=True)
    run_sim("tessel_dma_flat", DMA_SOURCES, "bench_dma", REPO_ROOT / "tb" / "dma", target="zcu104",
            seed=1, extra_env={"TESSEL_BENCH_OUT": str(out)})
    return json.loads(out.read_text())
