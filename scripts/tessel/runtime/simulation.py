"""The Verilator backend: the accelerator RTL with a DRAM model inside the simulation.

The compiled DRAM image is preloaded by the memory model; Python writes each input image,
programs the registers and waits for the interrupt (runtime/sim_job.py). Optional FST waves,
random memory stalls and latency exercise the design under backpressure.
"""

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import rtlfiles
from ..backend.executable import Executable
from ..backend.writers import hex_words
from ..paths import build_dir
from ..sim import run
from .driver import window_bytes

MEM_BASE = 0x1000_0000  # where the simulated DRAM window starts (any aligned address works)
MEM_BYTES = 0x200_0000


@dataclass
class SimOptions:
    waves: bool = False
    stall_percent: int = 0   # each AXI channel stalls with this chance per cycle
    latency: int = 0         # read latency in cycles
    seed: int = 1
    timeout_cycles: int = 50_000_000
    dump_tensors: bool = False  # read every tensor region back after each run
    faults: tuple = ()          # runs with a fault first (sim_job.run_fault), then the images
    axi_error: tuple = ()       # (window offset, 2 SLVERR / 3 DECERR, write?) answered by the memory


def run_images(executable: Executable, images_u8: np.ndarray, options: SimOptions | None = None):
    """Run uint8 images (N, C, H, W) on the RTL; returns (outputs (N, C, H, W), per-image stats)."""
    ex = executable
    options = options or SimOptions()
    window = window_bytes(ex.memory.size)
    if window > MEM_BYTES:
        raise ValueError(f"{ex.graph.name} needs {window:,} bytes of DRAM; the model has {MEM_BYTES:,}")
    key = hashlib.sha1(ex.image + ex.config.name.encode()).hexdigest()[:12]
    image_dir = build_dir() / "runtime" / f"{ex.graph.name}-{key}"
    image_dir.mkdir(parents=True, exist_ok=True)
    hex_path = image_dir / "dram.hex"
    if not hex_path.exists():  # shared by every run of this image: written whole, then renamed
        partial = image_dir / f"dram.hex.{os.getpid()}"
        partial.write_text("\n".join(hex_words(ex.image, ex.config.axi.data_width // 8)) + "\n")
        os.replace(partial, hex_path)
    job_dir = Path(tempfile.mkdtemp(prefix="run-", dir=image_dir))  # this run's own files
    inputs = np.stack([np.frombuffer(ex.input_bytes(x), np.uint8) for x in images_u8])
    np.save(job_dir / "inputs.npy", inputs)
    job = {"inputs": str(job_dir / "inputs.npy"), "outputs": str(job_dir / "outputs.npy"),
           "stats": str(job_dir / "stats.json"), "input_offset": ex.memory["input"].offset,
           "output_offset": ex.memory["output"].offset, "output_bytes": ex.output_bytes,
           "window_bytes": window, "faults": list(options.faults),
           "dump": [(r.name, r.offset, r.size) for r in ex.memory.regions if r.kind == "tensor"]
           if options.dump_tensors else [], "layers": len(ex.layers), "timeout_cycles": options.timeout_cycles,
           "build_parameters": __import__("tessel.backend.program", fromlist=["x"]).build_parameters(ex.config)}
    (job_dir / "job.json").write_text(json.dumps(job))
    simulate(ex.config.name, "tessel.runtime.sim_job", Path(__file__).parent, job_dir / "job.json",
             seed=options.seed, waves=options.waves,
             plusargs=[f"+dram={hex_path}", f"+stall={options.stall_percent}",
                       f"+latency={options.latency}", f"+seed={options.seed}"]
             + ([f"+err_addr={MEM_BASE + options.axi_error[0]:x}", f"+err_resp={options.axi_error[1]}",
                 f"+err_write={int(options.axi_error[2])}"] if options.axi_error else []))
    raw = np.load(job_dir / "outputs.npy")
    outputs = np.stack([ex.output_from_bytes(r.tobytes()) for r in raw])
    result = json.loads((job_dir / "stats.json").read_text())
    shutil.rmtree(job_dir, ignore_errors=True)
    if options.faults:
        return outputs, result["runs"], result["faults"]
    return outputs, result["runs"]


def simulate(target: str, test_module: str, test_dir: Path, job: Path, *, seed: int = 1,
             waves: bool = False, plusargs: list | None = None) -> None:
    """Run a cocotb module (it reads its job file from $TESSEL_JOB) against tessel_sim_top, the
    accelerator with the DRAM model, built once per configuration."""
    run("tessel_sim_top", [*rtlfiles.accelerator(), *rtlfiles.SIM_TOP], test_module, test_dir,
        target=target, seed=seed, waves=waves, parameters={"MemBase": MEM_BASE, "MemBytes": MEM_BYTES},
        extra_env={"TESSEL_JOB": str(job)}, quiet=True, plusargs=plusargs)
