"""The Verilator backend: the accelerator RTL with a DRAM model inside the simulation.

The compiled DRAM image is preloaded by the memory model (raw words, read in one $fread); Python
writes each input image, programs the registers and waits for the interrupt (runtime/sim_job.py).
Several networks can share one simulator invocation (run_batch), each in its own window of the
memory model, which is sized by them (mem_bytes).
Optional FST waves, random memory stalls and latency exercise the design under backpressure.
"""

import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import rtlfiles
from ..backend.executable import Executable
from ..backend.program import build_parameters
from ..config import HardwareConfig
from ..paths import build_dir
from ..sim import run
from ..errors import TesselError
from .driver import check_image, window_bytes

MEM_BASE = 0x1000_0000  # where the simulated DRAM window starts (any aligned address works)
# The DRAM model's size: MEM_BYTES unless the networks of a run need more, then the next power
# of two (one Verilator build per size; small networks all share the first), up to the board's
# window: the ZCU104's 2 GiB of PS DDR4, the most a DMA buffer there can have.
MEM_BYTES = 0x200_0000
MAX_MEM_BYTES = 0x8000_0000
HEARTBEAT_CYCLES = 200_000  # how often a run with SimOptions.progress reports (a few register reads)


def mem_bytes(needed: int) -> int:
    """The DRAM model for `needed` bytes of windows; a ValueError beyond the board's DDR."""
    if needed > MAX_MEM_BYTES:
        raise ValueError(f"need {needed:,} bytes of DRAM; the board's window has at most "
                         f"{MAX_MEM_BYTES:,}")
    return max(MEM_BYTES, 1 << (needed - 1).bit_length())


@dataclass
class SimOptions:
    waves: bool = False
    stall_percent: int = 0   # each AXI channel stalls with this chance per cycle
    latency: int = 0         # read latency in cycles
    seed: int = 1
    timeout_cycles: int = 50_000_000
    dump_tensors: bool = False  # read every tensor region back after each run
    faults: tuple = ()          # runs with a fault first (sim_job.run_fault), then the images
    ddr_bytes_per_cycle: float = 0.0  # a board's DDR budget every port's beats share (the cost
                                      # model's Memory.ddr_bytes_per_cycle); 0: no limit
    # Called as progress(network, entry) while the simulator runs, every HEARTBEAT_CYCLES of a
    # run: entry {"cycles", "layer" (the controller's, or None), "layer_cycles" ([index, cycles]
    # of each layer finished since the last call), "seconds" (wall time of the run so far)}.
    progress: Callable[[int, dict], None] | None = None


@dataclass
class NetworkRun:
    """One network of a run_batch: its images, fault runs (sim_job.run_fault), memory stalls
    (percent, latency, seed; default: SimOptions') and where the DRAM model's window starts
    while it runs (default MEM_BASE; any beat-aligned address that leaves the DRAM model,
    mem_bytes of the batch's windows, inside the AddrWidth-bit address space)."""
    executable: Executable
    images: np.ndarray
    faults: tuple = ()
    stall: tuple | None = None
    dram_base: int = MEM_BASE


class SimulationFailed(AssertionError):
    """The simulation stopped early (an SVA assertion, a timeout, a failed check); `results` holds
    what the runs that finished returned, as run_batch does."""

    def __init__(self, message: str, results: list):
        super().__init__(message)
        self.results = results


class AcceleratorStopped(SimulationFailed, TesselError):
    """The accelerator stopped an image's run with an error code (a corrupted image, an AXI
    error, an address outside the window): the message names the code, the address and the
    image; the runs before it are in `results`."""


def run_images(executable: Executable, images_u8: np.ndarray, options: SimOptions | None = None):
    """Run uint8 images (N, C, H, W) on the RTL; returns (outputs (N, C, H, W), per-image stats),
    and with options.faults also the fault runs' reports (sim_job.run_fault)."""
    options = options or SimOptions()
    result = run_batch([NetworkRun(executable, images_u8, options.faults)], options)[0]
    if options.faults:
        return result["outputs"], result["runs"], result["faults"]
    return result["outputs"], result["runs"]


def run_batch(networks: list, options: SimOptions | None = None) -> list[dict]:
    """Several networks compiled for one configuration in one simulator invocation (start-up is
    paid once): their DRAM images side by side, each in its own DMA window, each started from
    a reset so that its run does not depend on the others. Returns per network {"outputs",
    "runs", "faults"}; a failing simulation raises SimulationFailed with what finished."""
    options = options or SimOptions()
    executables = [n.executable for n in networks]
    config = executables[0].config
    assert all(ex.config.label == config.label for ex in executables), "one configuration per batch"
    windows = [window_bytes(ex.memory.size) for ex in executables]
    try:
        size = mem_bytes(sum(windows))
    except ValueError as error:
        raise ValueError(f"{', '.join(ex.graph.name for ex in executables)}: {error}") from None
    bases = [sum(windows[:i]) for i in range(len(windows))]
    image_path = dram_image(executables, windows)
    job_dir = Path(tempfile.mkdtemp(prefix="run-", dir=image_path.parent))  # this run's own files
    np.savez(job_dir / "inputs.npz", **{
        f"n{i}": np.stack([np.frombuffer(n.executable.input_bytes(x), np.uint8) for x in n.images])
        for i, n in enumerate(networks)})
    stall = (options.stall_percent, options.latency, options.seed)
    top, beat = 1 << config.axi.addr_width, config.axi.data_width // 8
    for n in networks:
        if n.dram_base % beat or not 0 <= n.dram_base <= top - size:
            raise ValueError(f"DRAM base {n.dram_base:#x}: not aligned to a {beat}-byte beat "
                             f"inside the {config.axi.addr_width}-bit address space")
    job = {"inputs": str(job_dir / "inputs.npz"), "results": str(job_dir / "results.jsonl"),
           "timeout_cycles": options.timeout_cycles, "build_parameters": build_parameters(config),
           "heartbeat_cycles": HEARTBEAT_CYCLES if options.progress else 0,
           "networks": [{"base": base, "window_bytes": window, "faults": list(n.faults),
                         "dram_base": n.dram_base,
                         "stall": list(n.stall or stall), "input_offset": ex.memory["input"].offset,
                         "output_offset": ex.memory["output"].offset,
                         "output_bytes": ex.output_bytes, "layers": len(ex.layers),
                         "dump": [(r.name, r.offset, r.size) for r in ex.memory.regions
                                  if r.kind == "tensor"] if options.dump_tensors else []}
                        for n, ex, base, window in zip(networks, executables, bases, windows)]}
    (job_dir / "job.json").write_text(json.dumps(job))
    failure = None
    try:
        with watching(job_dir / "results.jsonl", options.progress):
            simulate(config, "tessel.runtime.sim_job", Path(__file__).parent, job_dir / "job.json",
                     seed=options.seed, waves=options.waves, dram_bytes=size,
                     plusargs=[f"+dram={image_path}", f"+stall={options.stall_percent}",
                               f"+latency={options.latency}", f"+seed={options.seed}",
                               f"+ddr_bytes_per_kcycle={round(options.ddr_bytes_per_cycle * 1000)}"])
    except (AssertionError, RuntimeError) as error:  # a failed check; the simulator stopped
        failure = error
    results = read_results(job_dir / "results.jsonl", executables)
    shutil.rmtree(job_dir, ignore_errors=True)
    if failure is not None:
        raise SimulationFailed(str(failure), results) from failure
    for ex, result in zip(executables, results):
        if "error" in result:
            raise AcceleratorStopped(f"{ex.graph.name}, image {len(result['runs']) + 1}: "
                                     f"{result['error']}", results)
    return results


@contextmanager
def watching(results: Path, progress: Callable[[int, dict], None] | None):
    """While the simulator runs: pass the job's progress entries (results, a JSON lines file
    that grows) to progress(network, entry), from a thread that reads the file every second."""
    if progress is None:
        yield
        return
    stop = threading.Event()

    def follow():
        seen = 0
        while True:
            stopping = stop.wait(1.0)
            text = results.read_text() if results.exists() else ""
            complete = text[:text.rfind("\n") + 1]  # a line being written waits for the next look
            for line in complete[seen:].splitlines():
                entry = json.loads(line)
                if "progress" in entry:
                    progress(entry["network"], entry["progress"])
            seen = len(complete)
            if stopping:
                return

    thread = threading.Thread(target=follow, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def dram_image(executables: list, windows: list) -> Path:
    """The memory model's +dram file: the images side by side, each padded to its window, as
    raw words of the AXI data width with their most significant byte first (what $fread puts
    in a word); written once per set of images and shared by every run of it."""
    config = executables[0].config
    for ex in executables:  # an image loaded from a compiled directory carries its CRC-32
        check_image(ex.image, ex.image_crc32)
    image = b"".join(ex.image + bytes(w - len(ex.image)) for ex, w in zip(executables, windows))
    name = executables[0].graph.name + (f"-and-{len(executables) - 1}" if len(executables) > 1 else "")
    key = hashlib.sha1(image + config.label.encode()).hexdigest()[:12]
    image_dir = build_dir() / "runtime" / f"{name}-{key}"
    image_dir.mkdir(parents=True, exist_ok=True)
    path = image_dir / "dram.words"
    if not path.exists():  # written whole, then renamed: parallel runs never see half of it
        beat = config.axi.data_width // 8
        words = np.frombuffer(image + bytes(-len(image) % beat), np.uint8).reshape(-1, beat)
        partial = image_dir / f"dram.words.{os.getpid()}"
        partial.write_bytes(words[:, ::-1].tobytes())
        os.replace(partial, path)
    return path


def read_results(path: Path, executables: list) -> list[dict]:
    """Per network {"outputs", "runs", "faults"} from the job's JSON lines (as far as it got),
    and "error" (the accelerator's error message) if a run stopped with one."""
    results = [{"outputs": [], "runs": [], "faults": []} for _ in executables]
    for entry in map(json.loads, path.read_text().splitlines() if path.exists() else []):
        result, ex = results[entry["network"]], executables[entry["network"]]
        if "progress" in entry:
            continue
        if "fault" in entry:
            result["faults"].append(entry["fault"])
        elif "error" in entry:
            result["error"] = entry["error"]
        else:
            result["runs"].append(entry["run"])
            result["outputs"].append(ex.output_from_bytes(bytes.fromhex(entry["output"])))
    for result, ex in zip(results, executables):
        result["outputs"] = (np.stack(result["outputs"]) if result["outputs"]
                             else np.zeros((0, *ex.output_shape), np.uint8))
    return results


# What the cocotb side touches (sim_job.SimMmio: the ports, the memory model, and where() and
# the heartbeat's view of the controller and the core): the rest of the design stays private,
# which Verilator compiles into a model several times faster than one with every signal public.
PUBLIC = {"tessel_sim_top": ("*",), "tessel_axi_mem": ("*",), "tessel_top": ("irq_o",),
          "tessel_ctrl": ("state_q", "layer_q"), "tessel_ctrl_tile_walk": ("q",),
          "tessel_dma": ("busy_o",), "tessel_core": ("active_q", "inflight_q", "block_valid"),
          "tessel_core_seq": ("running_q",), "tessel_ppu": ("loading_q",)}


def simulate(config: HardwareConfig, test_module: str, test_dir: Path, job: Path, *,
             seed: int = 1, waves: bool = False, plusargs: list | None = None,
             dram_bytes: int = MEM_BYTES) -> None:
    """Run a cocotb module (it reads its job file from $TESSEL_JOB) against tessel_sim_top, the
    accelerator with a DRAM model of dram_bytes, built once per configuration and size."""
    run("tessel_sim_top", [*rtlfiles.accelerator(), *rtlfiles.SIM_TOP], test_module, test_dir,
        config=config, seed=seed, waves=waves, parameters={"MemBase": MEM_BASE, "MemBytes": dram_bytes},
        public=PUBLIC, optimise=True,
        extra_env={"TESSEL_JOB": str(job)}, quiet=True, plusargs=plusargs)
