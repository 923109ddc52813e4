"""A layer with the tensors one run of it reads, cut into the compute core's tiles: per tile
its descriptor fields and the words to write into the core's buffers (the testbench loads them
as the tiling controller would)."""

from dataclasses import dataclass, field

import numpy as np

from tessel.backend.core_tile import LayerImage, layer_image
from tessel.backend.layout import BankedLayout, channel_groups, pack, to_words, unpack
from tessel.config import HardwareConfig
from tessel.errors import TesselError
from tessel.ir import Add, Graph, Op, QParams
from tessel.plan.descriptor import tile_record
from tessel.plan.shape import LayerShape, op_shape
from tessel.plan.tiling import Tile, TilePlan, plan


@dataclass
class LayerData:
    """A compiled layer image, its shape on the core and the data of one run, as words."""
    image: LayerImage
    shape: LayerShape
    inputs: np.ndarray                 # (G, H, W, c_p) uint8
    residual: np.ndarray | None        # (KG, OH, OW, k_p) uint8: a fused residual, or an add's
                                       # second operand


def layer_data(config: HardwareConfig, graph: Graph, op: Op, inputs: list[np.ndarray],
               fused_add: Add | None = None, residual: np.ndarray | None = None,
               residual_q: QParams | None = None) -> LayerData:
    """inputs: the op's uint8 input tensors (C, H, W); fused_add/residual: an Add consuming
    the convolution, and its other operand (QParams residual_q, default from the graph)."""
    shape = op_shape(op, inputs[0].shape, config, residual=fused_add is not None)
    image = layer_image(config, graph, op, shape, fused_add, residual_q)
    second = residual if fused_add is not None else inputs[1] if isinstance(op, Add) else None
    return LayerData(image, shape, to_words(inputs[0], config.array.c_p),
                     None if second is None else to_words(second, config.array.k_p))


@dataclass
class CoreTile:
    """One tile: its descriptor fields and what to write into the core's buffers."""
    desc: dict
    tile: Tile
    act: list = field(default_factory=list)       # (bank, address, word)
    weights: list = field(default_factory=list)   # (address, word)
    params: list = field(default_factory=list)    # (address, word)
    residual: list = field(default_factory=list)  # (bank, address, word)
    out_layout: BankedLayout | None = None
    out_shape: tuple = ()                          # this tile's output (channels, rows, columns)
    word_bytes: int = 0

    def descriptor(self, config: HardwareConfig) -> int:
        return tile_record(config).encode(**self.desc)

    def output_places(self):
        """(bank, address) of each output word, in (group, row, column) order."""
        c, h, w = self.out_shape
        for g in range(channel_groups(c, self.word_bytes)):
            for y in range(h):
                for x in range(w):
                    yield self.out_layout.place(g, y, x)

    def read_output(self, read_word) -> np.ndarray:
        """This tile's output (channels, rows, columns) through read_word(bank, address)."""
        c, h, w = self.out_shape
        kp = self.word_bytes
        words = np.array([unpack(read_word(*p), kp) for p in self.output_places()], np.uint8)
        words = words.reshape(channel_groups(c, kp), h, w, kp)
        return words.transpose(0, 3, 1, 2).reshape(-1, h, w)[:c]

    def place_output(self, full: np.ndarray, block: np.ndarray) -> None:
        """Copy this tile's output block into the layer's output tensor."""
        t = self.tile
        k0 = t.kg0 * self.word_bytes
        full[k0:k0 + block.shape[0], t.oy0:t.oy0 + t.rows] = block


def tile_buffers(config: HardwareConfig, data: LayerData, tile: Tile, halves: bool = True,
                 include_params: bool = True) -> CoreTile:
    """The descriptor and buffer writes of one tile. halves=False places everything at the
    bottom of the buffers (a single tile that may use them whole)."""
    image = data.image
    a, b = config.array, config.buffers
    kp, pp = a.k_p, config.ppu.pixels
    g = data.shape.geometry
    t = image.template
    half = (lambda words, h: h * (words // 2)) if halves else (lambda words, h: 0)
    out_half = tile.index % 2
    k, oh, ow = image.out_shape
    last_block = tile.kg0 + tile.kgroups == g.out_groups
    d = dict(t, iy0=tile.iy0, ix0=0, ih=tile.in_rows, act_base=half(b.act_bank_words, tile.half),
             oy0=tile.oy0, ox0=0, oh=tile.rows, ow=ow, kgroups=tile.kgroups,
             k_last=t["k_last"] if last_block else kp,
             wt_base=half(b.weight_words, tile.weight_half), param_base=tile.kg0,
             out_base=half(b.out_bank_words, out_half), res_base=half(b.out_bank_words, out_half))
    ct = CoreTile(desc=d, tile=tile, word_bytes=kp,
                  out_shape=(min(tile.kgroups * kp, k - tile.kg0 * kp), tile.rows, ow),
                  out_layout=BankedLayout(pp, tile.rows, ow, d["out_base"]))
    # Input band: all groups for a convolution, the block's groups otherwise.
    groups = slice(None) if g.conv else slice(tile.kg0, tile.kg0 + tile.kgroups)
    band = data.inputs[groups, tile.iy0:tile.iy0 + tile.in_rows]
    act = BankedLayout(a.act_banks, tile.in_rows, g.in_w, d["act_base"])
    capacity = dict(act=b.act_bank_words, out=b.out_bank_words, weights=b.weight_words)
    if not halves:
        _check("input tile", act.words_per_bank(band.shape[0]), capacity["act"], image.op.source)
        _check("output tile", ct.out_layout.words_per_bank(tile.kgroups), capacity["out"],
               image.op.source)
    if tile.load_input:
        ct.act = list(act.writes(band))
    if image.weights is not None and tile.load_weights:
        block = image.weights[tile.kg0:tile.kg0 + tile.kgroups].reshape(-1, kp, a.c_p)
        if not halves:
            _check("weights", len(block), capacity["weights"], image.op.source)
        ct.weights = [(d["wt_base"] + i, pack(word)) for i, word in enumerate(block)]
    if include_params:
        ct.params = list(enumerate(image.params))
    if data.residual is not None:
        res = data.residual[tile.kg0:tile.kg0 + tile.kgroups, tile.oy0:tile.oy0 + tile.rows]
        ct.residual = list(BankedLayout(pp, tile.rows, ow, d["res_base"]).writes(res))
    if len(image.params) > b.param_words:
        raise TesselError(f"{image.op.source}: {len(image.params)} parameter words exceed the "
                          f"buffer ({b.param_words})")
    return ct


def _check(what: str, needed: int, capacity: int, source: str):
    if needed > capacity:
        raise TesselError(f"{source}: the {what} needs {needed} words, the buffer holds {capacity}")


def build_tile(config: HardwareConfig, graph: Graph, op: Op, inputs: list[np.ndarray],
               fused_add: Add | None = None, residual: np.ndarray | None = None,
               residual_q: QParams | None = None) -> CoreTile:
    """The whole layer as one tile, using the buffers whole."""
    data = layer_data(config, graph, op, inputs, fused_add, residual, residual_q)
    g = data.shape.geometry
    whole = Tile(0, 0, g.out_groups, 0, g.out_h, 0, g.in_h, 0, 0, True, True)
    return tile_buffers(config, data, whole, halves=False)


def layer_tiles(config: HardwareConfig, data: LayerData) -> tuple[TilePlan, list[CoreTile]]:
    """The layer cut by the tiling plan; parameters are written with the first tile only."""
    tile_plan = plan(data.shape.geometry, config, data.image.op.source)
    return tile_plan, [tile_buffers(config, data, t, include_params=(t.index == 0))
                       for t in tile_plan.tiles]
