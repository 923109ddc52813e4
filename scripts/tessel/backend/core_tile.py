"""A quantized IR op as compute-core work, decided at compile time: the descriptor fields every
tile of the layer shares, its weights in pass order and its parameter words (what the DRAM
image holds for it), from the op and its shape on the core (plan/shape.py). The tensors it reads are the run's (tb/core/tiles.py cuts a layer with
its data into tiles).

A convolution may carry a fused residual add: the add's second operand is the residual tensor.
"""

from dataclasses import dataclass
from math import ceil

import numpy as np

from ..config import HardwareConfig
from ..errors import TesselError
from ..ir import ActivationOp, Add, AvgPool, Conv2d, Graph, MaxPool, Op, QParams, ScaleShift
from ..plan.descriptor import OP_AVGPOOL, OP_CONV, OP_MAXPOOL, PARAM_CHANNEL
from ..plan.shape import LayerShape
from .layout import channel_groups

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
    """One layer for the core: descriptor fields every tile shares, its weights and parameters."""
    op: Op
    template: dict
    weights: np.ndarray | None         # (KG, KH*KW*G, k_p, c_p) uint8, pass order (conv)
    params: list                       # one parameter word per output group
    out_shape: tuple                   # (K, OH, OW)


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


def layer_image(config: HardwareConfig, graph: Graph, op: Op, shape: LayerShape,
                fused_add: Add | None = None, residual_q: QParams | None = None) -> LayerImage:
    """shape: the op's shape on the core (plan.shape); fused_add: an Add consuming the
    convolution, whose other operand has QParams residual_q (default from the graph)."""
    a = config.array
    kp, yp, cp, banks, pp = a.k_p, a.y_p, a.c_p, a.act_banks, config.ppu.pixels
    c, h, w = shape.in_shape
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
        d["cols"] = shape.cols
        if d["cols"] % pp:
            raise TesselError(f"{op.source}: stride {stride[1]} leaves {d['cols']} pixels per "
                              f"pass, not a multiple of the PPU's {pp}")

    channels, weights = [], None
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
            _fuse_add(graph, fused_add, op.name, d, channels, residual_q)
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
    else:
        raise TesselError(f"{op.source}: no compute-core mapping for {type(op).__name__}")
    d.update(kgroups=groups_out, k_last=k - (groups_out - 1) * kp,
             act_wb=ceil(w / banks), out_wb=ceil(ow / pp))
    return LayerImage(op, d, weights, _param_words(config, channels, groups_out), op.out_shape)


def _fuse_add(graph, add: Add, conv_name: str, d: dict, channels: list,
              residual_q: QParams | None) -> None:
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
