"""The report's numbers, from a compiled network: each hardware layer as the cost model sees
it on the board, the RTL's own counters when a run happened, totals, resources against the
board's budget, what skipping zero weights could save, and what the design-space exploration
says more parallelism costs and buys."""

from dataclasses import dataclass, replace
from math import ceil

import numpy as np

from ..config import HardwareConfig
from ..errors import TesselError
from ..mapper.board import Board
from ..mapper.cost import LayerCost, Memory, milliseconds, network_cost, schedule
from ..mapper.dse import Candidate, Exploration, board_memory
from ..mapper.resources import estimate

# The Verilator run's memory (tb/top/tessel_axi_mem.sv) with no stalls and no added latency:
# a read's first beat at once, a beat every cycle.
SIMULATED_MEMORY = Memory()


@dataclass
class LayerRow:
    index: int
    cost: LayerCost                 # the model at the board's DRAM
    out_shape: tuple
    measured: float | None = None   # the RTL's layer counter, mean over the run's images
    run_model: int | None = None    # the model at the run's memory: what `measured` checks

    @property
    def error(self) -> float | None:
        """The model's cycles over the measured ones, minus one."""
        return self.run_model / self.measured - 1 if self.measured else None

    @property
    def measured_utilization(self) -> float | None:
        c = self.cost
        return c.macs / (self.measured * c.macs_per_cycle) if self.measured else None

    @property
    def achieved(self) -> float:
        """MACs per cycle the model predicts (the roofline's y axis)."""
        return self.cost.macs / self.cost.cycles

    @property
    def zero_skip_saving(self) -> int:
        """Cycles an array that skipped zero-weight MACs could save, at most: every tile's
        compute time scaled by the layer's non-zero fraction, zeros spread evenly over the
        lanes, fixed set-up cycles skipped too, the DMA unchanged (weights still move dense).
        The controller's schedule then decides how much of that reaches the layer's time;
        a memory-bound layer saves little or nothing."""
        c = self.cost
        if not c.macs:
            return 0
        fraction = c.nonzero_macs / c.macs
        skipping = [replace(t, compute=ceil(fraction * t.compute)) for t in c.tiles]
        return schedule(c.tiles) - schedule(skipping)


def _row_total(name: str, doc: str | None = None) -> property:
    """A Report property: the sum of one cost-model field over the layer rows."""
    return property(lambda self: sum(getattr(r.cost, name) for r in self.rows), doc=doc)


@dataclass
class Report:
    name: str
    config: HardwareConfig
    board: Board
    memory: Memory                  # the board's DRAM as the model sees it, in cycles
    rows: list                      # LayerRow per hardware layer, in program order
    resources: dict                 # the resource model's estimate of this configuration
    run: str | None = None          # "simulation" or "board" when measured cycles exist
    run_memory: Memory | None = None
    run_cycles: float | None = None  # START to the interrupt, mean over the run's images
    run_images: int = 0
    exploration: Exploration | None = None
    simulated_cycles: int = 0       # the model at the simulated DRAM (tessel run, no stalls)

    @property
    def conv_rows(self) -> list:
        return [r for r in self.rows if r.cost.macs]

    cycles = _row_total("cycles", "Sum of the layer counters (the few cycles fetching each layer "
                                  "record are outside).")
    macs = _row_total("macs")
    nonzero_macs = _row_total("nonzero_macs")
    read_bytes = _row_total("read_bytes")
    write_bytes = _row_total("write_bytes")

    @property
    def utilization(self) -> float:
        return self.macs / (self.cycles * self.config.array.macs_per_cycle)

    @property
    def measured(self) -> float | None:
        return sum(r.measured for r in self.rows) if self.run else None

    @property
    def run_model(self) -> int | None:
        return sum(r.run_model for r in self.rows) if self.run else None

    @property
    def zero_skip_saving(self) -> int:
        return sum(r.zero_skip_saving for r in self.rows)

    def ms(self, cycles: float) -> float:
        """Cycles as milliseconds at the configuration's clock."""
        return milliseconds(cycles, self.config.clock_mhz)

    @property
    def bus_bytes_per_cycle(self) -> float:
        """What one direction of the DMA's AXI bus sustains (the roofline's memory roof)."""
        return self.config.axi.data_width / 8 * self.memory.efficiency


def build(network, board: Board, exploration: Exploration | None = None) -> Report:
    """network: a CompiledNetwork; its last_run_stats, when there are any, give the measured
    cycles."""
    ex, config = network.executable, network.config
    memory = board_memory(board, config)
    rows = [LayerRow(i, cost, layer.hw.op.out_shape)
            for i, (cost, layer) in enumerate(zip(network_cost(ex, memory), ex.layers))]
    report = Report(network.name, config, board, memory, rows, estimate(config),
                    exploration=exploration,
                    simulated_cycles=sum(c.cycles for c in network_cost(ex, SIMULATED_MEMORY)))
    stats = network.last_run_stats
    if stats:
        # The board tags its stats; the simulation's DRAM is the model's default memory with
        # the run's read latency (random stalls are not modelled).
        simulated = stats[0].get("backend") != "pynq"
        latency = network.sim_options.latency if network.sim_options else 0
        report.run = "simulation" if simulated else "board"
        report.run_memory = replace(SIMULATED_MEMORY, read_latency=latency) if simulated else memory
        counts = np.array([s["layer_cycles"] for s in stats], dtype=float)
        if counts.shape[1] != len(rows):
            raise TesselError(f"{network.name}: the last run counted {counts.shape[1]} layers, "
                              f"the program has {len(rows)}")
        for row, measured, model in zip(rows, counts.mean(0),
                                        network_cost(ex, report.run_memory)):
            row.measured, row.run_model = float(measured), model.cycles
        report.run_cycles = float(np.mean([s["cycles"] for s in stats]))
        report.run_images = len(stats)
    return report


# ---- the design space ------------------------------------------------------------------------

def latency_ms(candidate: Candidate, board: Board) -> float:
    return candidate.latency_ms(board.clock_mhz)


def pareto(candidates: list) -> list:
    """The candidates no other beats on both DSPs and latency, fewest DSPs first."""
    front = []
    for c in sorted(candidates, key=lambda c: (c.resources["DSP48E2"], c.cycles)):
        if not front or c.cycles < front[-1].cycles:
            front.append(c)
    return front


def fastest_per_array(exploration: Exploration) -> list:
    """The fastest fitting configuration of each array shape (k_p x y_p x c_p), fewest DSPs
    first: what each step up in parallelism costs and buys."""
    best = {}
    for c in exploration.fitting:   # ranked fastest first
        best.setdefault((c.config.array.k_p, c.config.array.y_p), c)
    return sorted(best.values(), key=lambda c: (c.resources["DSP48E2"], c.cycles))


def smallest(exploration: Exploration) -> Candidate:
    return min(exploration.fitting, key=lambda c: (c.resources["DSP48E2"], c.cycles))


def chosen(exploration: Exploration) -> Candidate:
    """The chosen configuration as the search ranked it (largest tiles), comparable with
    every other fitting one; Exploration.best holds its fully mapped cycles."""
    return next(c for c in exploration.fitting if c.config == exploration.best.config)
