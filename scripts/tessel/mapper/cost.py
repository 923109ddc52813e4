"""Cycle and traffic model of the accelerator, layer by layer: what the RTL will take before
anything is simulated.

The model follows the controller (rtl/ctrl/tessel_ctrl.sv) tile by tile. A tile passes three
stages, one tile each: load (input band, weights, residual: DMA reads; with weight masters,
axi.weight_ports > 0, the weights split over them and load beside the rest), compute (the
core's array steps, paced by the PPU on short passes) and drain (the output band: a DMA
write). Tile i+1 loads while tile i computes and tile i-1 drains; the core takes a tile only
after the tile before it has moved to the drain, and the drain takes it only when the drain
before is done.
A layer ends when its last tile is drained (the next layer reads what it wrote).

DMA time is latency plus beats, a beat per cycle at best; `Memory` says how the DRAM behaves
(the simulation's memory model, or a board's DRAM). A DRAM may also have one budget of bytes
per cycle that every master's reads and writes share (a board's DDR): a tile's load, whose
masters read at once, takes at least its bytes over that budget, a load and a drain that run
at once share it (share_ddr), and a whole layer takes at least all its bytes over it
(ddr_floor). The constants in `Timing` are the RTL's
fixed costs (pipeline depths and state-machine cycles); docs/cost_model.md shows how they
were found and checks the model against the RTL's own per-layer cycle counters.
"""

from dataclasses import dataclass, field, replace
from math import ceil

from ..config import HardwareConfig
from ..plan.descriptor import param_word_bytes, record_bytes
from ..plan.shape import LayerShape
from ..plan.tiling import Tile, TilePlan


@dataclass(frozen=True)
class Memory:
    """The DRAM as the DMA sees it."""
    read_latency: int = 0        # cycles from a read address to its first beat
    write_latency: int = 0       # cycles from a write's last beat to its response
    efficiency: float = 1.0      # sustained beats per cycle (1.0: the bus never waits)
    read_burst_gap: int = 0      # idle cycles between read bursts (0: bursts pipeline)
    write_burst_gap: int = 1     # idle cycles between write bursts (the next address waits
                                 # for the last response)
    ddr_bytes_per_cycle: float = 0.0  # what all masters' reads and writes share (0: no such
                                      # limit, each master has only its own bus)

    def first_read(self, timing: "Timing") -> int:
        """Cycles from a tile's set-up to its first read beat."""
        return timing.tile_setup + timing.read_setup + self.read_latency

    def shared_cycles(self, nbytes: int) -> int:
        """Cycles the shared budget needs to move `nbytes` (0 without one)."""
        return ceil(nbytes / self.ddr_bytes_per_cycle) if self.ddr_bytes_per_cycle else 0


@dataclass(frozen=True)
class Timing:
    """Fixed cycle costs of the RTL at a given configuration (see docs/cost_model.md)."""
    read_setup: int = 6          # a controller read: command, address, loader finish
    write_setup: int = 6         # a drain: command, buffer read, response
    core_setup: int = 10         # a tile in the core: start, pipeline fill, last PPU write
    engine_stages: int = 3       # a convolution's last block later still: the engines' pipeline
                                 # stages beyond the first 3 (tessel_arith_pkg::DpeLatency = 6)
    kgroup_setup: int = 2        # the PPU's parameter fetch for each output group
    tile_setup: int = 2          # the controller's tile set-up and hand-off states
    record_fetch: int = 4        # a layer record: check and parameter command, beyond the read
    weight_setup: int = 4        # weight masters: their commands a cycle after the tile set-up,
                                 # the last word written after the last beat


@dataclass
class TileCycles:
    load: int
    compute: int
    drain: int
    read_bytes: int
    write_bytes: int


@dataclass
class LayerCost:
    """The model's account of one hardware layer."""
    name: str
    describe: str
    macs: int                   # multiply-accumulates the layer needs (conv; 0 otherwise)
    nonzero_macs: int           # those whose weight is not zero
    plan: TilePlan
    cycles: int                 # what the layer cycle counter will read
    compute_cycles: int         # the core busy with one of the layer's tiles
    load_cycles: int            # the DMA reading the layer's inputs, weights and residual
    drain_cycles: int           # the DMA writing its output
    read_bytes: int
    write_bytes: int
    macs_per_cycle: int
    tiles: list = field(default_factory=list, repr=False)
    ddr_cycles: int = 0         # every byte at the shared DDR budget's rate (0: no budget)

    @property
    def utilization(self) -> float:
        return self.macs / (self.cycles * self.macs_per_cycle) if self.cycles else 0.0

    @property
    def bound(self) -> str:
        """The limit that takes longest: "compute" (the array's cycles), "port" (the busier
        DMA stage, loads or drains, on the masters' own buses: beats, latency, set-up) or
        "ddr" (all the layer's bytes at the budget every master shares)."""
        port = max(self.load_cycles, self.drain_cycles)
        if self.ddr_cycles > max(self.compute_cycles, port):
            return "ddr"
        return "compute" if self.compute_cycles >= port else "port"

    @property
    def intensity(self) -> float:
        """MACs per DRAM byte (the roofline's x axis)."""
        return self.macs / max(1, self.read_bytes + self.write_bytes)


def milliseconds(cycles: float, clock_mhz: float) -> float:
    return cycles / (clock_mhz * 1e3)


def beats(nbytes: int, beat_bytes: int) -> int:
    return -(-nbytes // beat_bytes)


def _transfer(rows: int, row_bytes: int, config: HardwareConfig, memory: Memory,
              gap: int) -> int:
    """Cycles moving `rows` rows of `row_bytes`: a beat per cycle at best, every row at least
    one burst (bursts end at 256 beats and at 4 KB boundaries)."""
    beat = config.axi.data_width // 8
    bursts = rows * -(-row_bytes // min(4096, 256 * beat))
    n = rows * beats(row_bytes, beat)
    rate = memory.efficiency  # beats per cycle: the master's own, or the shared DDR's
    if memory.ddr_bytes_per_cycle:
        rate = min(rate, memory.ddr_bytes_per_cycle / beat)
    return ceil(n / rate) + (bursts - 1) * gap


def read_cycles(rows: int, row_bytes: int, config: HardwareConfig, memory: Memory,
                timing: Timing) -> int:
    """A controller read, from its state's first cycle to its last."""
    return timing.read_setup + memory.read_latency + _transfer(rows, row_bytes, config, memory,
                                                                 memory.read_burst_gap)


def write_cycles(rows: int, row_bytes: int, config: HardwareConfig, memory: Memory,
                 timing: Timing) -> int:
    """A drain, from its command to the write response."""
    return timing.write_setup + memory.write_latency + _transfer(rows, row_bytes, config, memory,
                                                                   memory.write_burst_gap)


def core_cycles(shape: LayerShape, tile: Tile, config: HardwareConfig, timing: Timing) -> int:
    """Cycles from the core's start to its last output word. A pass is one output block (cols
    pixels x k_p channels); it takes max(its steps, the PPU's cycles for a block)."""
    g = shape.geometry
    xgroups = ceil(g.out_w / shape.cols)
    if shape.kind == "conv":
        steps = g.kernel[0] * g.kernel[1] * g.in_groups
    elif shape.kind == "pool":
        steps = g.kernel[0] * g.kernel[1]
    else:
        steps = 1
    ppu = ceil(config.array.y_p / config.ppu.pixels)
    passes = tile.kgroups * tile.rows * xgroups
    fill = timing.core_setup + (timing.engine_stages if shape.kind == "conv" else 0)
    return fill + tile.kgroups * timing.kgroup_setup + passes * max(steps, ppu)


def tile_cycles(shape: LayerShape, tile: Tile, config: HardwareConfig, memory: Memory,
                timing: Timing) -> TileCycles:
    """One tile's stages. Without weight masters every read is on the main AXI master, one
    after the other; with n of them the tile's weight words split into runs of ceil(words / n),
    one per master, loading beside the input band and residual (`memory` is what each master
    sees of the DRAM)."""
    g, cp, kp = shape.geometry, config.array.c_p, config.array.k_p
    ports = config.axi.weight_ports
    load, weight_load, read = timing.tile_setup, 0, 0
    if tile.load_input:
        planes = g.in_groups if g.conv else tile.kgroups
        load += read_cycles(planes, tile.in_rows * g.in_w * cp, config, memory, timing)
        read += planes * tile.in_rows * g.in_w * cp
    if tile.load_weights:
        words = tile.kgroups * g.kernel[0] * g.kernel[1] * g.in_groups
        if ports:
            weight_load = timing.weight_setup + read_cycles(1, -(-words // ports) * kp * cp,
                                                            config, memory, timing)
        else:
            load += read_cycles(1, words * kp * cp, config, memory, timing)
        read += words * kp * cp
    out_row = tile.rows * g.out_w * kp
    if g.residual:
        load += read_cycles(tile.kgroups, out_row, config, memory, timing)
        read += tile.kgroups * out_row
    if read:  # the masters reading at once share the DDR
        load = max(load, memory.first_read(timing) + memory.shared_cycles(read))
    return TileCycles(max(load, weight_load), core_cycles(shape, tile, config, timing),
                      write_cycles(tile.kgroups, out_row, config, memory, timing),
                      read, tile.kgroups * out_row)


def timeline(tiles: list[TileCycles]) -> list[tuple[int, int, int, int]]:
    """Each tile's (load start, load end, drain start, drain end) with the controller's
    hand-off rules (one tile per stage)."""
    load_free = 0      # the load stage may set up the next tile
    core_free = 0      # the compute stage is empty (its tile moved to the drain)
    drain_free = 0     # the drain stage is empty
    spans = []
    for t in tiles:
        loaded = load_free + t.load
        handoff = max(loaded, core_free)
        done = handoff + 1 + t.compute
        moved = max(done, drain_free) + 1
        drained = moved + t.drain
        spans.append((load_free, loaded, moved, drained))
        load_free, core_free, drain_free = handoff + 1, moved, drained + 1
    return spans


def schedule(tiles: list[TileCycles]) -> int:
    """Cycles from the first tile's set-up to the last tile's drain."""
    spans = timeline(tiles)
    return spans[-1][3] if spans else 0


def share_ddr(tiles: list[TileCycles], memory: Memory) -> list[TileCycles]:
    """The tiles with the shared DDR budget applied where loads and drains overlap: where a
    load and a drain run at once in the schedule without it and together ask for more bytes
    per cycle than the budget gives, both slow down, each stretched by the overlap x (their
    demand / budget - 1) (a load alone is held to the budget in tile_cycles)."""
    budget = memory.ddr_bytes_per_cycle
    if not budget:
        return tiles
    kinds = {id(t): t for t in tiles}.values()  # a layer's tiles are a few objects, repeated
    if max(t.read_bytes / max(1, t.load) for t in kinds) + \
            max(t.write_bytes / max(1, t.drain) for t in kinds) <= budget:
        return tiles
    spans = timeline(tiles)
    reads = [t.read_bytes / max(1, t.load) for t in tiles]
    writes = [t.write_bytes / max(1, t.drain) for t in tiles]
    extra_load, extra_drain = [0.0] * len(tiles), [0.0] * len(tiles)
    for i, (load_start, load_end, _, _) in enumerate(spans):
        for j in range(max(0, i - 3), min(len(tiles), i + 2)):  # the drains near the load
            _, _, drain_start, drain_end = spans[j]
            overlap = min(load_end, drain_end) - max(load_start, drain_start)
            excess = (reads[i] + writes[j]) / budget - 1
            if overlap > 0 and excess > 0:
                extra_load[i] += overlap * excess
                extra_drain[j] += overlap * excess
    return [replace(t, load=t.load + ceil(a), drain=t.drain + ceil(b)) if a or b else t
            for t, a, b in zip(tiles, extra_load, extra_drain)]


def layer_cost(name: str, describe: str, shape: LayerShape, plan: TilePlan, param_words: int,
               config: HardwareConfig, memory: Memory = Memory(), timing: Timing = Timing()
               ) -> LayerCost:
    per_tile, seen = [], {}  # tiles alike cost alike (most tiles of a layer are)
    for t in plan.tiles:
        alike = (t.kgroups, t.rows, t.in_rows, t.load_input, t.load_weights)
        if alike not in seen:
            seen[alike] = tile_cycles(shape, t, config, memory, timing)
        per_tile.append(seen[alike])
    params = read_cycles(1, param_words * param_word_bytes(config), config, memory, timing)
    ddr = ddr_floor(per_tile, memory, timing)
    cycles = timing.record_fetch + params + max(schedule(share_ddr(per_tile, memory)), ddr)
    return LayerCost(name, describe, shape.macs, shape.nonzero_macs, plan, cycles,
                     sum(t.compute for t in per_tile), sum(t.load for t in per_tile) + params,
                     sum(t.drain for t in per_tile),
                     sum(t.read_bytes for t in per_tile) + param_words * param_word_bytes(config),
                     sum(t.write_bytes for t in per_tile), config.array.macs_per_cycle, per_tile,
                     timing.record_fetch + params + ddr if ddr else 0)


def ddr_floor(tiles: list[TileCycles], memory: Memory, timing: Timing) -> int:
    """The fewest cycles the shared DDR budget allows the tiles, whatever overlaps: every
    byte read and written at the budget's rate, after the first read's set-up and before the
    last write's response (0 without a shared budget)."""
    nbytes = sum(t.read_bytes + t.write_bytes for t in tiles)
    if not memory.ddr_bytes_per_cycle or not nbytes:
        return 0
    tail = timing.write_setup + memory.write_latency
    return memory.first_read(timing) + memory.shared_cycles(nbytes) + tail


def record_cycles(config: HardwareConfig, memory: Memory, timing: Timing) -> int:
    """Fetching one layer record (outside the layer's cycle counter)."""
    return read_cycles(1, record_bytes(config), config, memory, timing)


def network_cost(executable, memory: Memory = Memory(), timing: Timing = Timing()) -> list:
    """Every hardware layer of a compiled network (backend.executable.Executable)."""
    return [layer_cost(layer.hw.name, layer.hw.describe(), layer.shape, layer.plan,
                       len(layer.image.params), executable.config, memory, timing)
            for layer in executable.layers]
