"""Golden semantics of each IR op: uint8 tensors in, one uint8 tensor out (N, C, H, W).

Convolutions and window sums run as float64 torch operations on integer values: every
partial sum is an integer below 2^53 (the quantizer bounds accumulators to int32), so float64
represents it exactly and the result equals pure integer arithmetic (tests/test_golden_exact.py
checks this against a loop-level int64 reference). Everything after the sum is int64.
"""

import torch
import torch.nn.functional as F

from ..ir import (ActivationOp, Add, AvgPool, Concat, Conv2d, ConvTranspose2d, Graph, MaxPool, Mul,
                  Op, ScaleShift, Table, Upsample)
from .arithmetic import divide_round, per_channel, round_shift, saturate
from .elementwise import concat, mul, table, upsample


def centered(x: torch.Tensor, zero_point: int) -> torch.Tensor:
    """x - zero_point as float64 (exact): padding with 0 here inserts the zero point."""
    return x.to(torch.float64) - zero_point


def conv2d(op: Conv2d, x: torch.Tensor, zx: int) -> torch.Tensor:
    q = op.quant
    acc = F.conv2d(centered(x, zx), torch.from_numpy(q.weight).to(torch.float64),
                   stride=op.stride, padding=op.padding, dilation=op.dilation, groups=op.groups)
    return requantize(op, acc, q.clamp_min, q.clamp_max)


def requantize(op: Conv2d | ConvTranspose2d, acc: torch.Tensor, lo: int, hi: int) -> torch.Tensor:
    """Bias, per-channel fixed-point rescale and saturation of a convolution's sums."""
    q = op.quant
    acc = acc.to(torch.int64) + per_channel(q.bias)
    y = round_shift(acc * per_channel(q.multiplier), per_channel(q.shift))
    return saturate(y, op.out_q.zero_point, lo, hi)


def conv_transpose2d(op: ConvTranspose2d, x: torch.Tensor, zx: int) -> torch.Tensor:
    # Only real input pixels scatter: positions the stride skips hold no input, so no zero
    # point is inserted there (x - zx over real pixels only), and cropped borders are dropped.
    acc = F.conv_transpose2d(centered(x, zx), torch.from_numpy(op.quant.weight).to(torch.float64),
                             stride=op.stride, padding=op.padding,
                             output_padding=op.output_padding)
    return requantize(op, acc, 0, 255)


def add(op: Add, a: torch.Tensor, b: torch.Tensor, za: int, zb: int) -> torch.Tensor:
    q = op.quant
    acc = (a.to(torch.int64) - za) * q.multiplier_a + (b.to(torch.int64) - zb) * q.multiplier_b
    return saturate(round_shift(acc, q.shift), op.out_q.zero_point, q.clamp_min, q.clamp_max)


def max_pool(op: MaxPool, x: torch.Tensor, zx: int) -> torch.Tensor:
    # Padding never wins: it is as if padded with 0, the smallest code (see the docs).
    return F.max_pool2d(x.to(torch.float64), op.kernel, op.stride, op.padding).to(torch.uint8)


def avg_pool(op: AvgPool, x: torch.Tensor, zx: int) -> torch.Tensor:
    window_sum = F.avg_pool2d(centered(x, zx), op.kernel, op.stride, op.padding,
                              count_include_pad=True, divisor_override=1).to(torch.int64)
    return saturate(divide_round(window_sum, op.quant.divisor), op.out_q.zero_point)


def scale_shift(op: ScaleShift, x: torch.Tensor, zx: int) -> torch.Tensor:
    q = op.quant
    acc = (x.to(torch.int64) - zx) * per_channel(q.multiplier) + per_channel(q.bias)
    y = round_shift(acc, per_channel(q.shift))
    return saturate(y, op.out_q.zero_point, q.clamp_min, q.clamp_max)


def activation(op: ActivationOp, x: torch.Tensor, zx: int) -> torch.Tensor:
    q = op.quant
    v = x.to(torch.int64) - zx
    multiplier = torch.where(v >= 0, q.multiplier_pos, q.multiplier_neg)
    return saturate(round_shift(v * multiplier, q.shift), op.out_q.zero_point,
                    q.clamp_min, q.clamp_max)


def golden_step(graph: Graph):
    """The step function for Graph.run: dispatches each op to its golden semantics."""
    def step(op: Op, inputs: list[torch.Tensor]) -> torch.Tensor:
        zero_points = [graph.qparams_of(name).zero_point for name in op.inputs]
        if isinstance(op, Add):
            return add(op, inputs[0], inputs[1], *zero_points)
        if type(op) in SEVERAL_INPUTS:
            return SEVERAL_INPUTS[type(op)](op, inputs, zero_points)
        return SINGLE_INPUT[type(op)](op, inputs[0], zero_points[0])
    return step


SINGLE_INPUT = {Conv2d: conv2d, MaxPool: max_pool, AvgPool: avg_pool, ScaleShift: scale_shift,
                ActivationOp: activation, ConvTranspose2d: conv_transpose2d, Upsample: upsample,
                Table: table}
SEVERAL_INPUTS = {Concat: concat, Mul: mul}
