"""Whole networks on the RTL: ResNet-50 and ResNet-18 at 224x224 (torchvision topology, seeded
random weights, BatchNorm statistics measured on data: zoo/resnet.py), one image each through
tessel_top under Verilator, at configs/zcu104.yaml and at the DSE's chosen ZCU104 design for
ResNet-50. Every output byte is checked against the golden model, and the hardware's per-layer
cycle counters against the cost model's prediction for the simulated DRAM (what `tessel report`
shows beside a simulated run). Layers are reported as they finish.

Metrics per network N (resnet50, resnet18), suffixed _dse for the DSE's design:
    N_rtl_bitexact        1 when every output byte equals the golden model's
    N_rtl_cycles          measured cycles of the image (START to the interrupt)
    N_rtl_pred_cycles     the cost model's sum over layers
    N_rtl_model_err       |predicted - measured| / measured, the layers' sum
    N_rtl_layer_err_max   the worst layer's |predicted - measured| / measured
    N_rtl_seconds         wall time of the image's run in the simulator (input written to
                          counters read; the simulator's start and the DRAM preload apart)
    N_rtl_cpu_seconds     the simulator's CPU time in that run (what the wall time would be
                          on an idle core: the machine is shared)
    N_rtl_cycles_per_s    simulated cycles per wall second while the accelerator ran
"""

import time
from dataclasses import dataclass

import numpy as np

from .. import golden, zoo
from ..compiler import compile as compile_network
from ..config import HardwareConfig, load_config
from ..mapper.board import load_board
from ..mapper.cost import LayerCost, network_cost
from ..mapper.dse import explore
from ..progress import note
from ..report.data import SIMULATED_MEMORY
from ..runtime.simulation import SimOptions, run_images
from ..textable import table

NETWORKS = ("resnet50", "resnet18")
BOARD = "zcu104"


@dataclass
class LayerResult:
    index: int
    cost: LayerCost
    measured: int

    @property
    def error(self) -> float:
        return abs(self.cost.cycles - self.measured) / self.measured


def designs(shipped: HardwareConfig, graph) -> list[tuple[str, HardwareConfig]]:
    """(metric suffix, configuration): the shipped one, and the DSE's choice for ResNet-50 on
    the board when it differs."""
    chosen = explore(graph, load_board(BOARD), shipped, f"resnet50_{BOARD}_dse").best.config
    same = all(getattr(chosen, f) == getattr(shipped, f) for f in ("array", "ppu", "buffers", "axi"))
    return [("", shipped)] + ([] if same else [("_dse", chosen)])


def describe(config: HardwareConfig) -> str:
    a = config.array
    return (f"{config.name}: {a.k_p}x{a.y_p}x{a.c_p}, PPU {config.ppu.pixels}, "
            f"{config.axi.weight_ports} weight masters")


def layer_rows(network: str, costs: list[LayerCost]):
    """progress(network, entry) for SimOptions: a row per layer as it finishes, and the cycles
    so far when none did."""
    def progress(_, entry):
        for index, measured in entry["layer_cycles"]:
            cost = costs[index]
            note(f"  {network} layer {index + 1}/{len(costs)} {cost.name}: measured {measured:,}, "
                 f"model {cost.cycles:,} ({(cost.cycles - measured) / measured:+.1%}); "
                 f"{entry['cycles']:,} cycles in {entry['seconds']:.0f} s")
        if not entry["layer_cycles"]:
            note(f"  {network}: {entry['cycles']:,} cycles in {entry['seconds']:.0f} s, "
                 f"layer {entry['layer'] + 1 if entry['layer'] is not None else '?'}/{len(costs)}")
    return progress


def run_one(name: str, entry, config: HardwareConfig,
            network=None) -> tuple[dict, list[LayerResult]]:
    """One image of `entry` compiled for `config` (or `network`, already compiled so): the
    metrics (unsuffixed) and the layers."""
    network = network or compile_network(entry.model, entry.calibration, config, name=name)
    costs = network_cost(network.executable, SIMULATED_MEMORY)
    predicted = sum(c.cycles for c in costs)
    note(f"{name} on the RTL [{describe(config)}]: {len(costs)} layers, {predicted:,} cycles "
         f"predicted, DRAM {network.executable.memory.size:,} bytes")
    x = network.quantize_input(entry.calibration[:1])
    started = time.perf_counter()
    out, stats = run_images(network.executable, x, SimOptions(progress=layer_rows(name, costs)))
    invocation = time.perf_counter() - started
    run = stats[0]
    want = golden.run(network.graph, x)
    layers = [LayerResult(i, c, m) for i, (c, m) in enumerate(zip(costs, run["layer_cycles"]))]
    measured = sum(r.measured for r in layers)
    note(f"{name}: {run['cycles']:,} cycles in {run['simulation_seconds']:.1f} s "
         f"({run['simulation_cpu_seconds']:.1f} s of CPU; {invocation:.1f} s with the simulator's "
         f"start and any build)")
    return {"rtl_bitexact": int(np.array_equal(out.reshape(want.shape), want)),
            "rtl_cycles": run["cycles"],
            "rtl_pred_cycles": predicted,
            "rtl_model_err": round(abs(predicted - measured) / measured, 4),
            "rtl_layer_err_max": round(max(r.error for r in layers), 4),
            "rtl_seconds": round(run["run_seconds"], 1),
            "rtl_cpu_seconds": round(run["simulation_cpu_seconds"], 1),
            "rtl_cycles_per_s": round(run["cycles"] / run["simulation_seconds"])}, layers


def layer_table(layers: list[LayerResult]) -> str:
    """Per layer: predicted and measured cycles, the error, and the model's stages (load and
    drain are DMA, compute the core with its set-up) to say which term is off."""
    return table([[r.index + 1, r.cost.name, len(r.cost.plan.tiles), r.cost.cycles, r.measured,
                   f"{(r.cost.cycles - r.measured) / r.measured:+.3f}", r.cost.load_cycles,
                   r.cost.compute_cycles, r.cost.drain_cycles, r.cost.bound] for r in layers],
                 ["#", "layer", "tiles", "model", "measured", "error", "load", "compute", "drain",
                  "bound"])


def run() -> dict:
    shipped = load_config(BOARD)
    entries = {name: zoo.load(name) for name in NETWORKS}
    resnet50 = compile_network(entries["resnet50"].model, entries["resnet50"].calibration,
                               shipped, name="resnet50")
    metrics = {}
    for suffix, config in designs(shipped, resnet50.graph):
        for name in NETWORKS:
            compiled = resnet50 if (name, suffix) == ("resnet50", "") else None
            results, layers = run_one(name, entries[name], config, compiled)
            print(f"\n{name} [{describe(config)}]\n{layer_table(layers)}", flush=True)
            metrics.update({f"{name}_{key}{suffix}": value for key, value in results.items()})
    return metrics
