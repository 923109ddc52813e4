"""Run real images through the RTL (under Verilator, or on the board) and account for them:
every output byte against the golden model, accuracy of float / int8 golden / RTL, cycles per
image and MAC utilization. What `tessel run` and `make demo` print."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from . import golden
from .ir import Conv2d
from .network import CompiledNetwork
from .mapper.cost import Memory, network_cost
from .progress import note, progress
from .zoo import ZooEntry
from .zoo.train import accuracy as float_accuracy

CHUNK = 10                 # images per simulator run at most (a progress step)
CHUNK_CYCLES = 2_000_000   # fewer for a large network, so progress moves image by image


@dataclass
class RtlRun:
    model: str
    target: str
    images: int
    bytes_equal_frac: float
    float_accuracy: float | None
    golden_accuracy: float | None
    rtl_accuracy: float | None
    cycles_per_image: float
    mac_utilization: float
    ms_per_image_at_clock: float
    output_dir: str
    backend: str = "verilator"

    def as_dict(self) -> dict:
        return asdict(self)


def run_on_rtl(network: CompiledNetwork, entry: ZooEntry, images: int, out_dir: Path,
               options=None, board=None, model: str | None = None) -> RtlRun:
    """On the Verilator simulation (`options`: runtime.simulation.SimOptions), or on the board
    when `board` (runtime.pynq_board.BoardOptions) is given. The network is written to
    out_dir with the images it ran as reference data; `model` (its spec) is recorded there."""
    if board is not None:
        from .runtime.pynq_board import run_images
        options = board
    else:  # imported here: the board has no simulator
        from .runtime.simulation import run_images
    x = entry.first_images(images)
    x_u8 = network.quantize_input(x)
    outputs, stats = [], []
    chunk = CHUNK
    if board is None:  # the simulation takes seconds per million cycles: say how many
        predicted = sum(c.cycles for c in network_cost(network.executable, Memory()))
        chunk = max(1, min(CHUNK, CHUNK_CYCLES // predicted))
        note(f"{network.name}: {len(x_u8)} images through the RTL, about {predicted:,} cycles "
             f"each (cost model), {chunk} per simulator run")
    with progress(desc=f"{network.name} on the {'board' if board else 'RTL'}", total=len(x_u8),
                  unit="image") as bar:
        for start in range(0, len(x_u8), chunk):
            out, st = run_images(network.executable, x_u8[start:start + chunk], options)
            outputs.append(out)
            stats += st
            bar.update(len(out))
    network.last_run_stats = stats  # the counters CompiledNetwork.report sets beside the model
    rtl = np.concatenate(outputs).reshape(len(x_u8), *network.graph.output_shape)
    want = golden.run(network.graph, x_u8).reshape(rtl.shape)
    labels = entry.eval_y[:images].numpy() if entry.eval_y is not None else None

    def acc(logits):
        return float((logits.reshape(len(logits), -1).argmax(1) == labels).mean()) if labels is not None else None
    cycles = float(np.mean([s["cycles"] for s in stats]))
    macs = sum(op.macs() for op in network.graph.ops if isinstance(op, Conv2d))
    out_dir = Path(out_dir)
    network.write(out_dir, reference=x_u8, model=model)  # `tessel run out_dir` runs it again
    np.save(out_dir / "rtl_outputs.npy", rtl)
    (out_dir / "rtl_run.json").write_text(json.dumps(stats, indent=1))
    return RtlRun(network.name, network.config.name, len(x_u8), float((rtl == want).mean()),
                  float_accuracy(entry.model, x, entry.eval_y[:images]) if labels is not None else None,
                  acc(want), acc(rtl), cycles, macs / (cycles * network.config.array.macs_per_cycle),
                  cycles / (network.config.clock_mhz * 1e3), str(out_dir),
                  "verilator" if board is None else "pynq")
