"""One quantized IR op as one compute-core tile: descriptor fields and buffer images.

The whole input, weights and output of the layer are resident (the tiling controller of the
full accelerator cuts larger layers into several such tiles). A convolution may carry a fused
residual add: the add's second operand sits in the residual buffer.
"""

from dataclasses import dataclass, field
from math import gcd

import numpy as np

from ..config import HardwareConfig
from ..errors import TesselError
from ..ir import ActivationOp, Add, AvgPool, Conv2d, Graph, MaxPool, Op, QParams, ScaleShift
from .descriptor import OP_AVGPOOL, OP_CONV, OP_MAXPOOL, PARAM_CHANNEL, tile_record
from .layout import BankedLayout, channel_groups, pack, to_words, unpack

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
class CoreTile:
    desc: dict
    act: list = field(default_factory=list)       # (bank, address, word)
    weights: list = field(default_factory=list)   # (address, word)
    params: list = field(default_factory=list)    # (address, word)
    residual: list = field(default_factory=list)  # (bank, address, word)
    out_layout: BankedLayout | None = None
    out_shape: tuple = ()
    word_bytes: int = 0  # bytes per output word (k_p)

    def descriptor(self, config: HardwareConfig) -> int:
        return tile_record(config).encode(**self.desc)

    def read_output(self, read_word) -> np.ndarray:
        """Collect the output tensor (C, H, W) through read_word(bank, address) -> int."""
        c, h, w = self.out_shape
        kp = self.word_bytes
        groups = channel_groups(c, kp)
        words = np.zeros((groups, h, w, kp), np.uint8)
        for g in range(groups):
            for y in range(h):
                for x in range(w):
                    words[g, y, x] = unpack(read_word(*self.out_layout.place(g, y, x)), kp)
        return words.transpose(0, 3, 1, 2).reshape(groups * kp, h, w)[:c]


def _check_fits(what: str, needed: int, capacity: int, source: str):
    if needed > capacity:
        raise TesselError(f"{source}: the {what} needs {needed} words, the buffer holds {capacity}")


def _param_words(config: HardwareConfig, channels: list[dict]) -> list[tuple[int, int]]:
    kp = config.array.k_p
    groups = channel_groups(len(channels), kp)
    words = []
    for g in range(groups):
        word = 0
        for r in range(kp):
            k = g * kp + r
            entry = channels[k] if k < len(channels) else UNUSED_CHANNEL
            word |= PARAM_CHANNEL.encode(**entry) << (r * PARAM_CHANNEL.width)
        words.append((g, word))
    return words


def build_tile(config: HardwareConfig, graph: Graph, op: Op, inputs: list[np.ndarray],
               fused_add: Add | None = None, residual: np.ndarray | None = None,
               residual_q: QParams | None = None) -> CoreTile:
    """A tile for `op` on one image. inputs: the op's uint8 input tensors (C, H, W);
    fused_add/residual: an Add consuming the convolution and the residual tensor, whose
    QParams are residual_q (default: the graph's QParams of the add's other input)."""
    a = config.array
    kp, yp, cp, banks, pp = a.k_p, a.y_p, a.c_p, a.act_banks, config.ppu.pixels
    x = inputs[0]
    c, h, w = x.shape
    k, oh, ow = op.out_shape
    in_q = graph.qparams_of(op.inputs[0])
    act = BankedLayout(banks, h, w)
    out = BankedLayout(pp, oh, ow)
    tile = CoreTile(desc={}, out_layout=out, out_shape=op.out_shape, word_bytes=kp)
    groups_in = channel_groups(c, cp)
    groups_out = channel_groups(k, kp)
    b = config.buffers
    _check_fits("input tile", act.words_per_bank(groups_in), b.act_bank_words, op.source)
    _check_fits("output tile", out.words_per_bank(groups_out), b.out_bank_words, op.source)
    _check_fits("parameters", groups_out, b.param_words, op.source)
    tile.act = list(act.writes(to_words(x, cp)))
    d = dict(in_h=h, in_w=w, ih=h, act_wb=act.row_words, oh=oh, ow=ow, out_wb=out.row_words,
             kgroups=groups_out, k_last=k - (groups_out - 1) * kp, groups=groups_in,
             c_last=c - (groups_in - 1) * cp, a_min=0, a_max=255, cols=yp)

    def window(kernel, stride, padding):
        # A dimension with one output never steps: its stride does not matter (global pooling
        # has stride = window, which may be wider than the descriptor's stride field).
        stride = tuple(1 if n == 1 else s for n, s in zip((oh, ow), stride))
        d.update(kh=kernel[0], kw=kernel[1], sy=stride[0], sx=stride[1], py=padding[0],
                 px=padding[1])
        # y_p columns at stride sx hit distinct banks only if sx * i mod banks differ.
        d["cols"] = min(yp, banks // gcd(stride[1], banks))
        if d["cols"] % pp:
            raise TesselError(f"{op.source}: stride {stride[1]} leaves {d['cols']} pixels per "
                              f"pass, not a multiple of the PPU's {pp}")

    channels = []
    if isinstance(op, Conv2d):
        q = op.quant
        window(op.kernel, op.stride, op.padding)
        d.update(op=OP_CONV, pad_value=in_q.zero_point, a_zero=op.out_q.zero_point,
                 a_min=q.clamp_min, a_max=q.clamp_max)
        weights = q.weight.astype(np.int64)
        # Zero point folded into the bias: the array multiplies raw uint8 codes.
        folded = q.bias.astype(np.int64) - in_q.zero_point * weights.reshape(k, -1).sum(axis=1)
        channels = [dict(UNUSED_CHANNEL, a_bias=int(folded[i]), a_mult=int(q.multiplier[i]),
                         a_shift=int(q.shift[i])) for i in range(k)]
        kh, kw = op.kernel
        padded = np.zeros((groups_out * kp, groups_in * cp, kh, kw), np.int64)
        padded[:k, :c] = weights
        blocks = padded.reshape(groups_out, kp, groups_in, cp, kh, kw).astype(np.uint8)
        _check_fits("weights", groups_out * kh * kw * groups_in, b.weight_words, op.source)
        address = 0
        for kg in range(groups_out):
            for ky in range(kh):
                for kx in range(kw):
                    for g in range(groups_in):
                        tile.weights.append((address, pack(blocks[kg, :, g, :, ky, kx])))
                        address += 1
        if fused_add is not None:
            _fuse_add(graph, fused_add, op.name, d, channels, tile, residual, residual_q, out)
    elif isinstance(op, (MaxPool, AvgPool)):
        window(op.kernel, op.stride, op.padding)
        d.update(kgroups=groups_in, k_last=c - (groups_in - 1) * cp)
        if isinstance(op, MaxPool):
            d.update(op=OP_MAXPOOL, pad_value=0)
        else:
            mult, shift = avg_reciprocal(op.quant.divisor)
            d.update(op=OP_AVGPOOL, pad_value=in_q.zero_point, a_zero=in_q.zero_point,
                     avg_area=op.quant.divisor, avg_mult=mult, avg_shift=shift)
    elif isinstance(op, (ScaleShift, ActivationOp, Add)):
        window((1, 1), (1, 1), (0, 0))
        d.update(op=OP_MAXPOOL, pad_value=0, kgroups=groups_in, k_last=c - (groups_in - 1) * cp,
                 b_en=1, b_x_zero=in_q.zero_point, b_zero=op.out_q.zero_point,
                 b_min=op.quant.clamp_min, b_max=op.quant.clamp_max)
        q = op.quant
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
            tile.residual = list(out.writes(to_words(inputs[1], kp)))
    else:
        raise TesselError(f"{op.source}: no compute-core mapping for {type(op).__name__}")
    if not channels:
        channels = [UNUSED_CHANNEL] * d["kgroups"] * kp
    tile.params = _param_words(config, channels)
    tile.desc = d
    return tile


def _fuse_add(graph, add: Add, conv_name: str, d: dict, channels: list, tile: CoreTile,
              residual: np.ndarray, residual_q: QParams | None, out: BankedLayout):
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
    tile.residual = list(out.writes(to_words(residual, tile.word_bytes)))
