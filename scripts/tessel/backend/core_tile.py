"""A quantized IR op as compute-core work: a layer image (every word the layer needs, in DRAM
order) and the tiles of a tiling plan (descriptor fields plus buffer images).

A convolution may carry a fused residual add: the add's second operand is the residual tensor.
"""

from dataclasses import dataclass, field
from math import ceil, gcd

import numpy as np

from ..config import HardwareConfig
from ..errors import TesselError
from ..ir import ActivationOp, Add, AvgPool, Conv2d, Graph, MaxPool, Op, QParams, ScaleShift
from .descriptor import OP_AVGPOOL, OP_CONV, OP_MAXPOOL, PARAM_CHANNEL, tile_record
from .layout import BankedLayout, channel_groups, pack, to_words, unpack
from .tiling import LayerGeometry, Tile, TilePlan, geometry, plan

UNUSED_CHANNEL = dict(a_bias=0, a_mult=0, a_shift=31, b_mpos=0, b_mneg=0, b_mu=0, b_bias=0,
                      b_shift=31)


def avg_reciprocal(area: int) -> tuple[int, int]:
    """(M, S): floor(n * M / 2^S) == n // area for every n the core can present,
    0 <= n < 512 * area (the window sum offset by 256 * area). Checked exhaustively."""
    n = np.arange(512 * area, dtype=np.int64)
    for shift in range(1, 63):
        multiplier = -(-(1 << shift) // area)  # ceil
        if multiplier >= 1 << 32:
            break
        if np.array_equal((n * multiplier) >> shift, n // area):
            return multiplier, shift
    raise TesselError(f"no exact reciprocal for an average over {area} elements")


@dataclass
class LayerImage:
    """One layer for the core: descriptor fields every tile shares, and its data as words."""
    op: Op
    template: dict
    geometry: LayerGeometry
    inputs: np.ndarray                 # (G, H, W, c_p) uint8
    weights: np.ndarray | None         # (KG, KH*KW*G, k_p, c_p) uint8, pass order (conv)
    params: list                       # one parameter word per output group
    residual: np.ndarray | None        # (KG, OH, OW, k_p) uint8
    out_shape: tuple                   # (K, OH, OW)


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


def pixels_per_pass(config: HardwareConfig, out_w: int, stride_x: int) -> int:
    """Output pixels one pass computes: the y_p columns at stride sx must hit distinct
    activation banks, so only sx * i mod banks that differ count (a row of one output never
    steps, so its stride does not matter)."""
    banks, sx = config.array.act_banks, 1 if out_w == 1 else stride_x
    return min(config.array.y_p, banks // gcd(sx, banks))


def _param_words(config: HardwareConfig, channels: list[dict], groups: int) -> list[int]:
    kp = config.array.k_p
    words = []
    for g in range(groups):
        word = 0
        for r in range(kp):
            k = g * kp + r
            entry = channels[k] if k < len(channels) else UNUSED_CHANNEL
            word |= PARAM_CHANNEL.encode(**entry) << (r * PARAM_CHANNEL.width)
        words.append(word)
    return words


def layer_image(config: HardwareConfig, graph: Graph, op: Op, inputs: list[np.ndarray],
                fused_add: Add | None = None, residual: np.ndarray | None = None,
                residual_q: QParams | None = None) -> LayerImage:
    """inputs: the op's uint8 input tensors (C, H, W); fused_add/residual: an Add consuming
    the convolution, and its other operand (QParams residual_q, default from the graph)."""
    a = config.array
    kp, yp, cp, banks, pp = a.k_p, a.y_p, a.c_p, a.act_banks, config.ppu.pixels
    x = inputs[0]
    c, h, w = x.shape
    k, oh, ow = op.out_shape
    in_q = graph.qparams_of(op.inputs[0])
    groups_in, groups_out = channel_groups(c, cp), channel_groups(k, kp)
    d = dict(in_h=h, in_w=w, oh=oh, ow=ow, groups=groups_in, c_last=c - (groups_in - 1) * cp,
             a_min=0, a_max=255, cols=yp)

    def window(kernel, stride, padding):
        # A dimension with one output never steps, so its stride does not matter (global
        # pooling has stride = window, wider than the descriptor's stride field).
        stride = tuple(1 if n == 1 else s for n, s in zip((oh, ow), stride))
        d.update(kh=kernel[0], kw=kernel[1], sy=stride[0], sx=stride[1], py=padding[0],
                 px=padding[1])
        d["cols"] = pixels_per_pass(config, ow, stride[1])
        if d["cols"] % pp:
            raise TesselError(f"{op.source}: stride {stride[1]} leaves {d['cols']} pixels per "
                              f"pass, not a multiple of the PPU's {pp}")

    channels, weights, res_words = [], None, None
    if isinstance(op, Conv2d):
        q = op.quant
        window(op.kernel, op.stride, op.padding)
        d.update(op=OP_CONV, pad_value=in_q.zero_point, a_zero=op.out_q.zero_point,
                 a_min=q.clamp_min, a_max=q.clamp_max)
        w_int = q.weight.astype(np.int64)
        # Zero point folded into the bias: the array multiplies raw uint8 codes.
        folded = q.bias.astype(np.int64) - in_q.zero_point * w_int.reshape(k, -1).sum(axis=1)
        channels = [dict(UNUSED_CHANNEL, a_bias=int(folded[i]), a_mult=int(q.multiplier[i]),
                         a_shift=int(q.shift[i])) for i in range(k)]
        kh, kw = op.kernel
        padded = np.zeros((groups_out * kp, groups_in * cp, kh, kw), np.int64)
        padded[:k, :c] = w_int
        # [kg][r][g][l][ky][kx] -> [kg][ky][kx][g][r][l]: pass order, one k_p x c_p word each.
        weights = (padded.reshape(groups_out, kp, groups_in, cp, kh, kw)
                   .transpose(0, 4, 5, 2, 1, 3).reshape(groups_out, kh * kw * groups_in, kp, cp)
                   .astype(np.uint8))
        if fused_add is not None:
            res_words = _fuse_add(graph, fused_add, op.name, d, channels, residual, residual_q, kp)
    elif isinstance(op, (MaxPool, AvgPool)):
        window(op.kernel, op.stride, op.padding)
        groups_out = groups_in
        if isinstance(op, MaxPool):
            d.update(op=OP_MAXPOOL, pad_value=0)
        else:
            mult, shift = avg_reciprocal(op.quant.divisor)
            d.update(op=OP_AVGPOOL, pad_value=in_q.zero_point, a_zero=in_q.zero_point,
                     avg_area=op.quant.divisor, avg_mult=mult, avg_shift=shift)
    elif isinstance(op, (ScaleShift, ActivationOp, Add)):
        window((1, 1), (1, 1), (0, 0))
        groups_out = groups_in
        q = op.quant
        d.update(op=OP_MAXPOOL, pad_value=0, b_en=1, b_x_zero=in_q.zero_point,
                 b_zero=op.out_q.zero_point, b_min=q.clamp_min, b_max=q.clamp_max)
        if isinstance(op, ScaleShift):
            channels = [dict(UNUSED_CHANNEL, b_mpos=int(m), b_mneg=int(m), b_bias=int(bias),
                             b_shift=int(s)) for m, bias, s in zip(q.multiplier, q.bias, q.shift)]
        elif isinstance(op, ActivationOp):
            channels = [dict(UNUSED_CHANNEL, b_mpos=q.multiplier_pos, b_mneg=q.multiplier_neg,
                             b_shift=q.shift)] * c
        else:
            d.update(res_en=1, b_u_zero=graph.qparams_of(op.inputs[1]).zero_point)
            channels = [dict(UNUSED_CHANNEL, b_mpos=q.multiplier_a, b_mneg=q.multiplier_a,
                             b_mu=q.multiplier_b, b_shift=q.shift)] * c
            res_words = to_words(inputs[1], kp)
    else:
        raise TesselError(f"{op.source}: no compute-core mapping for {type(op).__name__}")
    d.update(kgroups=groups_out, k_last=k - (groups_out - 1) * kp,
             act_wb=ceil(w / banks), out_wb=ceil(ow / pp))
    geom = geometry(op, (c, h, w), op.out_shape, config, residual=res_words is not None)
    return LayerImage(op, d, geom, to_words(x, cp), weights,
                      _param_words(config, channels, groups_out), res_words, op.out_shape)


def _fuse_add(graph, add: Add, conv_name: str, d: dict, channels: list, residual: np.ndarray,
              residual_q: QParams | None, kp: int) -> np.ndarray:
    """Stage B adds the residual to the convolution's requantized output."""
    q = add.quant
    if add.inputs[0] == conv_name:
        m_conv, m_res, res_name = q.multiplier_a, q.multiplier_b, add.inputs[1]
    else:
        m_conv, m_res, res_name = q.multiplier_b, q.multiplier_a, add.inputs[0]
    residual_q = residual_q or graph.qparams_of(res_name)
    d.update(b_en=1, res_en=1, b_x_zero=d["a_zero"], b_u_zero=residual_q.zero_point,
             b_zero=add.out_q.zero_point, b_min=q.clamp_min, b_max=q.clamp_max)
    for entry in channels:
        entry.update(b_mpos=m_conv, b_mneg=m_conv, b_mu=m_res, b_shift=q.shift)
    return to_words(residual, kp)


def tile_buffers(config: HardwareConfig, image: LayerImage, tile: Tile, halves: bool = True,
                 include_params: bool = True) -> CoreTile:
    """The descriptor and buffer writes of one tile. halves=False places everything at the
    bottom of the buffers (a single tile that may use them whole)."""
    a, b = config.array, config.buffers
    kp, pp = a.k_p, config.ppu.pixels
    g = image.geometry
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
    band = image.inputs[groups, tile.iy0:tile.iy0 + tile.in_rows]
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
    if image.residual is not None:
        res = image.residual[tile.kg0:tile.kg0 + tile.kgroups, tile.oy0:tile.oy0 + tile.rows]
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
    image = layer_image(config, graph, op, inputs, fused_add, residual, residual_q)
    g = image.geometry
    whole = Tile(0, 0, g.out_groups, 0, g.out_h, 0, g.in_h, 0, 0, True, True)
    return tile_buffers(config, image, whole, halves=False)


def layer_tiles(config: HardwareConfig, image: LayerImage) -> tuple[TilePlan, list[CoreTile]]:
    """The layer cut by the tiling plan; parameters are written with the first tile only."""
    tile_plan = plan(image.geometry, config, image.op.source)
    return tile_plan, [tile_buffers(config, image, t, include_params=(t.index == 0))
                       for t in tile_plan.tiles]
