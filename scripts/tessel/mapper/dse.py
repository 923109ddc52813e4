"""Design-space exploration: the hardware configuration that runs a network fastest on a board,
and per layer the mapping (tile size, loop order) that configuration runs it with.

The search is exhaustive over what the RTL can be built with: array k_p = c_p (8 or 16, so a
bus beat of c_p bytes fits the board's HP port), y_p (powers of two, and the widths that divide
the network's own output maps, where no column idles), PPU pixels (dividing
y_p), the depths of the activation, weight and output buffers, and the weight masters (AXI
read masters of their own for weights, one HP port each beside the main master's; every
master's reads and writes share the board's DDR budget). Every configuration is checked against the board's budget
with the calibrated resource model (resources.py), then
timed with the cost model (cost.py): each layer with the largest tiles in both loop orders
(cheap, enough to rank configurations), and the best few again with the full per-layer mapping
search (mapping.py). Layer costs are shared between configurations that tile a layer alike.
With a utilization floor (min_utilization), the fastest configuration whose predicted MAC
utilization reaches it wins instead: what an efficiency goal costs in latency.
"""

import time
from dataclasses import dataclass, field, replace
from math import ceil

from ..config import ArrayConfig, AxiConfig, BufferConfig, HardwareConfig, PpuConfig
from ..errors import TesselError
from ..ir import AvgPool, Conv2d, Graph, MaxPool
from ..plan.layers import HwLayer, hardware_layers
from ..plan.shape import LayerShape, layer_shape, param_words
from ..plan.tiling import INPUT_OUTER, WEIGHTS_OUTER, candidates, largest_tile, walk
from .board import Board
from .cost import Memory, Timing, layer_cost, milliseconds
from .resources import estimate

# What the search tries.
ARRAY_WIDTHS = (8, 16)                 # k_p = c_p
COLUMNS = (2, 4, 8, 16)                # y_p, and the network's own widths (columns())
PPU_PIXELS = (1, 2, 4)
ACT_BANK_WORDS = (1024, 2048, 4096)
WEIGHT_WORDS = (2048, 4096, 8192)
OUT_BANK_WORDS = (2048, 4096)
WEIGHT_PORTS = (0, 1, 2, 3)             # limited by the board's HP ports (one is the main master's)
PARAM_WORDS = 1024
REFINE = 4                              # configurations re-mapped with the full search
FLOOR_SLACK = 0.9                       # with a utilization floor, also re-map those within 10 %
DRAM_LATENCY_NS = 200                   # PL read to first beat (and write to response) through
                                        # an HP port, typical: an assumption (docs/fpga.md)


def board_memory(board: Board, config: HardwareConfig) -> Memory:
    """The board's DRAM as this configuration's AXI masters (the main one and its weight
    masters) see it, in cycles: each on its own HP port at up to a beat per cycle (less if
    the port's bursts in flight cannot cover the latency), reads pipelining after a first
    beat DRAM_LATENCY_NS away, writes pipelining too (the DMA keeps several in flight) with
    each drain's last response as far, and every master's reads and writes sharing the DDR's
    sustained bytes per cycle."""
    clock, beat = board.clock_mhz, config.axi.data_width // 8
    latency = ceil(DRAM_LATENCY_NS * clock / 1000)
    port = board.port_bytes_per_s(config.axi.data_width, DRAM_LATENCY_NS, clock)
    return Memory(read_latency=latency, write_latency=latency, write_burst_gap=0,
                  efficiency=min(1.0, port / (beat * clock * 1e6)),
                  ddr_bytes_per_cycle=board.dram.ddr_bytes_per_s / (clock * 1e6))


@dataclass
class Candidate:
    config: HardwareConfig
    resources: dict
    cycles: int                   # predicted network cycles
    layer_cycles: list = field(default_factory=list)
    plans: list = field(default_factory=list)
    macs: int = 0

    def latency_ms(self, clock_mhz: float) -> float:
        return milliseconds(self.cycles, clock_mhz)

    @property
    def utilization(self) -> float:
        return self.macs / (self.cycles * self.config.array.macs_per_cycle)


@dataclass
class Exploration:
    board: Board
    network: str
    best: Candidate
    fitting: list                 # every configuration that fits, ranked coarse
    refused: int                  # configurations over the board's budget
    seconds: float
    # The layer costs computed so far, reused by choose() and weight_ports_choices().
    costed: "_Network" = field(default=None, repr=False, compare=False)


def _config(base: HardwareConfig, kp: int, yp: int, pp: int, act: int, wt: int, out: int,
            ports: int, name: str) -> HardwareConfig:
    return replace(base, name=name, description=f"chosen by tessel dse for {name}", path=None,
                   array=ArrayConfig(kp, yp, kp, base.array.dsp_packing),
                   ppu=PpuConfig(pp),
                   buffers=BufferConfig(act, wt, PARAM_WORDS, out),
                   axi=AxiConfig(kp * 8, base.axi.addr_width, base.axi.id_width,
                                 base.axi.max_outstanding, ports))


def columns(graph: Graph) -> list[int]:
    """The y_p values to try: COLUMNS, and every width between them that divides a layer's
    output width (7 and 14 for an ImageNet network's 7-, 14-, ..., 112-wide maps), at which
    every pass fills every column."""
    widths = {op.out_shape[2] for op in graph.ops if isinstance(op, (Conv2d, MaxPool, AvgPool))}
    own = {yp for yp in range(3, max(COLUMNS)) if any(w % yp == 0 for w in widths)}
    return sorted(set(COLUMNS) | own)


def space(base: HardwareConfig, name: str, columns_to_try=COLUMNS):
    for kp in ARRAY_WIDTHS:
        for yp in columns_to_try:
            for pp in PPU_PIXELS:
                if yp % pp:
                    continue
                for act in ACT_BANK_WORDS:
                    for wt in WEIGHT_WORDS:
                        for out in OUT_BANK_WORDS:
                            for ports in WEIGHT_PORTS:
                                yield _config(base, kp, yp, pp, act, wt, out, ports, name)


class _Network:
    """The network's hardware layers and their shapes per array shape, and every layer cost
    computed so far: configurations that tile a layer alike share its cost."""

    def __init__(self, graph: Graph, timing: Timing):
        self.graph, self.timing = graph, timing
        self.layers, self.shapes, self.costs, self.options, self.plans = {}, {}, {}, {}, {}
        self.mac_counts = {}

    def hw_layers(self, config: HardwareConfig) -> list:
        key = config.array.c_p  # input packing depends on c_p
        if key not in self.layers:
            self.layers[key] = hardware_layers(self.graph, config)
        return self.layers[key]

    def macs(self, config: HardwareConfig) -> int:
        key = config.array.c_p
        if key not in self.mac_counts:
            self.mac_counts[key] = sum(hw.op.macs() for hw in self.hw_layers(config)
                                       if isinstance(hw.op, Conv2d))
        return self.mac_counts[key]

    def shape(self, hw: HwLayer, config: HardwareConfig) -> LayerShape:
        key = (hw.index, config.array.c_p, config.array.y_p)
        if key not in self.shapes:
            self.shapes[key] = layer_shape(hw, self.graph, config, nonzero=False)
        return self.shapes[key]

    def tilings(self, hw: HwLayer, g, config: HardwareConfig, full: bool):
        """The layer's (rows, kgroups, order, plan or None) to try, or None if it cannot be
        tiled; shared by configurations that differ only in their weight masters."""
        key = (hw.index, config.array, config.ppu, config.buffers, full)
        if key not in self.options:
            try:
                if full:
                    self.options[key] = [(p.rows, p.kgroups, p.order, p)
                                         for p in candidates(g, config, hw.op.source)]
                else:
                    rows, kgroups = largest_tile(g, config, hw.op.source)
                    self.options[key] = [(rows, kgroups, order, None)
                                         for order in (WEIGHTS_OUTER, INPUT_OUTER)]
            except TesselError:
                self.options[key] = None
        return self.options[key]

    def cycles(self, config: HardwareConfig, memory: Memory, full: bool):
        """(cycles, per-layer cycles, plans): each layer's best plan among the largest tiles in
        both orders (full=False) or all candidates (full=True); None if a layer cannot be
        tiled."""
        a = config.array
        total, per_layer, plans = 0, [], []
        for hw in self.hw_layers(config):
            shape = self.shape(hw, config)
            options = self.tilings(hw, shape.geometry, config, full)
            if options is None:
                return None
            best = None
            for rows, kgroups, order, plan in options:
                tiling = (hw.index, a.k_p, a.y_p, config.ppu.pixels, rows, kgroups, order)
                key = (*tiling, memory, config.axi.weight_ports)
                if key not in self.costs:
                    if plan is None:
                        if tiling not in self.plans:
                            self.plans[tiling] = walk(shape.geometry, config, rows, kgroups, order)
                        plan = self.plans[tiling]
                    cost = layer_cost(hw.name, "", shape, plan, param_words(hw, config), config,
                                      memory, self.timing)
                    self.costs[key] = ((cost.cycles, plan.dram_bytes), plan)
                if best is None or self.costs[key][0] < best[0]:
                    best = self.costs[key]
            total += best[0][0]
            per_layer.append(best[0][0])
            plans.append(best[1])
        return total, per_layer, plans


def explore(graph: Graph, board: Board, base: HardwareConfig, name: str,
            timing: Timing = Timing(), progress=None, min_utilization: float = 0.0) -> Exploration:
    """The fastest configuration for `graph` that fits `board` and whose predicted MAC
    utilization is at least min_utilization (choose()); base gives the fields the search does
    not vary (AXI address and ID widths, DSP packing)."""
    _check_floor(min_utilization)  # before the search, not after it
    start = time.perf_counter()
    network = _Network(graph, timing)
    fitting, refused = [], 0
    configs = list(space(base, name, columns(graph)))
    for config in (progress(configs) if progress else configs):
        config.check()
        if not board.has_ports_for(config):
            refused += 1
            continue
        resources = estimate(config)
        if not board.within_budget(resources):
            refused += 1
            continue
        result = network.cycles(config, board_memory(board, config), full=False)
        if result is None:
            refused += 1
            continue
        fitting.append(Candidate(config, resources, result[0], macs=network.macs(config)))
    if not fitting:
        raise TesselError(f"no configuration in the search space fits {board.name} and runs "
                          f"{graph.name}")
    fitting.sort(key=lambda c: (c.cycles, c.resources["DSP48E2"]))
    result = Exploration(board, graph.name, None, fitting, refused, 0.0, network)
    result.best = choose(result, min_utilization)
    result.seconds = time.perf_counter() - start
    return result


def _check_floor(min_utilization: float) -> None:
    if not 0.0 <= min_utilization <= 1.0:
        raise TesselError(f"min_utilization must be between 0 and 1, got {min_utilization}")


def choose(exploration: Exploration, min_utilization: float = 0.0) -> Candidate:
    """The fastest of the explored configurations with the full per-layer mapping whose
    predicted MAC utilization is at least min_utilization (refined()[0])."""
    return refined(exploration, min_utilization)[0]


def refined(exploration: Exploration, min_utilization: float = 0.0) -> list[Candidate]:
    """The configurations the choice compares, fastest first: the best ranked, each with the
    full per-layer mapping (the layer costs already computed are reused), whose predicted MAC
    utilization is at least min_utilization. The full mapping only saves cycles, so a
    configuration just under the floor with the largest tiles may reach it: they are refined
    in ranked order until REFINE of them do."""
    _check_floor(min_utilization)
    out = []
    for candidate in exploration.fitting:
        if candidate.utilization < min_utilization * FLOOR_SLACK:
            continue
        full = mapped(exploration, candidate)
        if full.utilization >= min_utilization:
            out.append(full)
            if len(out) == REFINE:
                break
    if not out:
        board, best_util = exploration.board, max(c.utilization for c in exploration.fitting)
        raise TesselError(f"no configuration that fits {board.name} reaches a MAC utilization of "
                          f"{min_utilization:.2f} on {exploration.network} (the best, with the "
                          f"largest tiles: {best_util:.3f})")
    return sorted(out, key=lambda c: (c.cycles, c.resources["DSP48E2"]))


def mapped(exploration: Exploration, candidate: Candidate) -> Candidate:
    """A ranked candidate (largest tiles) with the full per-layer mapping, as the chosen
    configuration is timed (the layer costs already computed are reused)."""
    config, board = candidate.config, exploration.board
    cycles, per_layer, plans = exploration.costed.cycles(config, board_memory(board, config),
                                                         full=True)
    return Candidate(config, candidate.resources, cycles, per_layer, plans, candidate.macs)


@dataclass
class PortsChoice:
    """The chosen configuration with another number of weight masters."""
    weight_ports: int
    cycles: int
    utilization: float
    resources: dict
    fits: bool


def weight_ports_choices(exploration: Exploration) -> list[PortsChoice]:
    """The exploration's best configuration re-mapped with each number of weight masters the
    board has HP ports for: what the masters buy, and what they cost."""
    board, network, out = exploration.board, exploration.costed, []
    candidate = exploration.best
    for ports in WEIGHT_PORTS:
        config = replace(candidate.config, axi=replace(candidate.config.axi, weight_ports=ports))
        if not board.has_ports_for(config):
            continue
        cycles = network.cycles(config, board_memory(board, config), full=True)[0]
        resources = estimate(config)
        out.append(PortsChoice(ports, cycles, candidate.macs / (cycles * config.array.macs_per_cycle),
                               resources, board.within_budget(resources)))
    return out
