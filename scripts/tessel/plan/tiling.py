"""Tiling: how one layer is cut into compute-core tiles, and in which order they run.

A tile computes a band of output rows (full width) for a block of output channel groups. Each
tile's input band, weights, output and residual must fit half of their buffer, so the next
tile can be loaded while this one computes (double buffering). The order is weight-stationary
(blocks outer: each block's weights loaded once, input bands reloaded per block) or
input-stationary (bands outer). `plan` takes the largest tiles in the order that moves fewer
bytes; `candidates` lists the plans the mapper (tessel.mapper.mapping) compares by predicted
cycles.
"""

from dataclasses import dataclass
from math import ceil

from ..config import HardwareConfig
from ..errors import TesselError
from ..ir import Add, Conv2d, Op

WEIGHTS_OUTER, INPUT_OUTER = "weight-stationary", "input-stationary"


@dataclass(frozen=True)
class LayerGeometry:
    """What tiling needs to know about a layer (per image)."""
    in_groups: int     # input channel groups held per tile (conv: all; others: the block's)
    in_h: int
    in_w: int
    out_groups: int    # output channel groups of the layer
    out_h: int
    out_w: int
    kernel: tuple
    stride: tuple
    padding: tuple
    conv: bool         # weights and a reduction over all input groups
    residual: bool

    def input_rows(self, oy0: int, rows: int) -> tuple[int, int]:
        """Image rows [start, end) that output rows [oy0, oy0+rows) read."""
        start = oy0 * self.stride[0] - self.padding[0]
        end = (oy0 + rows - 1) * self.stride[0] - self.padding[0] + self.kernel[0]
        return max(0, start), min(self.in_h, end)


@dataclass(frozen=True)
class Tile:
    index: int
    kg0: int           # first output group
    kgroups: int
    oy0: int           # first output row
    rows: int
    iy0: int           # first input row held
    in_rows: int
    half: int          # input buffer half (0/1); output and residual use half index % 2
    weight_half: int
    load_input: bool   # the input band differs from what this half holds
    load_weights: bool


@dataclass(frozen=True)
class TilePlan:
    rows: int          # output rows per tile
    kgroups: int       # output groups per tile
    order: str
    tiles: tuple
    dram_bytes: int    # bytes moved between DRAM and the buffers (loads and stores)

    def describe(self) -> str:
        return (f"{len(self.tiles)} tiles of {self.rows} rows x {self.kgroups} groups, "
                f"{self.order}, {self.dram_bytes:,} bytes")


def geometry(op: Op, in_shape: tuple, out_shape: tuple, config: HardwareConfig,
             residual: bool = False) -> LayerGeometry:
    cp, kp = config.array.c_p, config.array.k_p
    c, h, w = in_shape
    k, oh, ow = out_shape
    conv = isinstance(op, Conv2d)
    kernel = op.kernel if hasattr(op, "kernel") else (1, 1)
    stride = op.stride if hasattr(op, "stride") else (1, 1)
    padding = op.padding if hasattr(op, "padding") else (0, 0)
    return LayerGeometry(ceil(c / cp), h, w, ceil(k / kp), oh, ow, tuple(kernel), tuple(stride),
                         tuple(padding), conv, residual or isinstance(op, Add))


def occupancy(g: LayerGeometry, config: HardwareConfig, rows: int, kgroups: int) -> dict:
    """Words a tile of `rows` x `kgroups` needs in each buffer, and the half it may use."""
    b, banks, pp = config.buffers, config.array.act_banks, config.ppu.pixels
    in_groups = g.in_groups if g.conv else kgroups
    worst_in_rows = min(g.in_h, (rows - 1) * g.stride[0] + g.kernel[0])
    return {
        "input (words per bank)": (in_groups * worst_in_rows * ceil(g.in_w / banks), b.act_bank_words // 2),
        "output (words per bank)": (kgroups * rows * ceil(g.out_w / pp), b.out_bank_words // 2),
        "weights (words)": (kgroups * g.kernel[0] * g.kernel[1] * g.in_groups if g.conv else 0,
                            b.weight_words // 2),
    }


def _fits(g: LayerGeometry, config: HardwareConfig, rows: int, kgroups: int) -> bool:
    return all(used <= half for used, half in occupancy(g, config, rows, kgroups).values())


def largest_tile(g: LayerGeometry, config: HardwareConfig, source: str = "layer") -> tuple[int, int]:
    """(rows, kgroups) of the largest tile that fits: as many output groups as fit one row,
    then as many rows as fit; an error names the layer when not even one row fits."""
    if g.conv and g.out_groups > config.buffers.param_words:
        raise TesselError(f"{source}: {g.out_groups} output groups exceed the parameter buffer "
                          f"({config.buffers.param_words})")
    kgroups = next((k for k in range(g.out_groups, 0, -1) if _fits(g, config, 1, k)), 0)
    if kgroups == 0:
        raise TesselError(f"{source}: one output row of one channel group does not fit the "
                          f"core's buffers ({g.in_groups} input groups x {g.in_w} columns, "
                          f"kernel {g.kernel[0]}x{g.kernel[1]}); a wider layer needs column tiling")
    return max(r for r in range(1, g.out_h + 1) if _fits(g, config, r, kgroups)), kgroups


def plan(g: LayerGeometry, config: HardwareConfig, source: str = "layer") -> TilePlan:
    """The largest tiles that fit, in the order that moves fewer bytes."""
    rows, kgroups = largest_tile(g, config, source)
    return min((walk(g, config, rows, kgroups, order) for order in (WEIGHTS_OUTER, INPUT_OUTER)),
               key=lambda p: p.dram_bytes)


def candidates(g: LayerGeometry, config: HardwareConfig, source: str = "layer") -> list[TilePlan]:
    """Plans worth comparing: the largest tile, and tiles cut to 1/2, 1/4, ... of its rows or
    groups (more, smaller tiles overlap loading with computing; fewer move fewer bytes), each
    in both orders. Sizes are evened out so the last band or block is not a sliver."""
    rows, kgroups = largest_tile(g, config, source)

    def sizes(largest: int, total: int) -> set:
        out, n = set(), -(-total // largest)
        while True:
            size = -(-total // n)  # n pieces of even size
            out.add(size)
            if size == 1 or len(out) == 5:
                return out
            n *= 2

    return [walk(g, config, r, k, order) for r in sorted(sizes(rows, g.out_h))
            for k in sorted(sizes(kgroups, g.out_groups)) for order in (WEIGHTS_OUTER, INPUT_OUTER)
            if not (order == INPUT_OUTER and -(-g.out_groups // k) == 1)]


class _Halves:
    """Which data each half of a double-buffered buffer holds. New data goes to the half the
    current tile is not using, so it can load while that tile computes."""

    def __init__(self):
        self.held, self.last = [None, None], 1

    def place(self, key) -> tuple[int, bool]:
        if key in self.held:
            self.last = self.held.index(key)
            return self.last, False
        self.last = 1 - self.last
        self.held[self.last] = key
        return self.last, True


def walk(g: LayerGeometry, config: HardwareConfig, rows: int, kgroups: int, order: str) -> TilePlan:
    cp, kp = config.array.c_p, config.array.k_p
    bands = [(oy0, min(rows, g.out_h - oy0)) for oy0 in range(0, g.out_h, rows)]
    blocks = [(kg0, min(kgroups, g.out_groups - kg0)) for kg0 in range(0, g.out_groups, kgroups)]
    pairs = ([(b, k) for k in blocks for b in bands] if order == WEIGHTS_OUTER
             else [(b, k) for b in bands for k in blocks])
    inputs, weights, tiles, traffic = _Halves(), _Halves(), [], 0
    for index, ((oy0, n), (kg0, nk)) in enumerate(pairs):
        iy0, iy1 = g.input_rows(oy0, n)
        half, load_input = inputs.place((iy0, iy1) if g.conv else (iy0, iy1, kg0))
        weight_half, load_weights = weights.place(kg0) if g.conv else (0, False)
        in_groups = g.in_groups if g.conv else nk
        if load_input:
            traffic += in_groups * (iy1 - iy0) * g.in_w * cp
        if load_weights:
            traffic += nk * g.kernel[0] * g.kernel[1] * g.in_groups * kp * cp
        traffic += nk * n * g.out_w * kp * (2 if g.residual else 1)  # store (+ residual load)
        tiles.append(Tile(index, kg0, nk, oy0, n, iy0, iy1 - iy0, half, weight_half,
                          load_input, load_weights))
    return TilePlan(rows, kgroups, order, tuple(tiles), traffic)
