"""Compute every op's integer parameters from its float parameters and the observed ranges.

The formulas are the ones docs/quantization.md states; the golden model executes them.
"""

import numpy as np

from ..errors import QuantizationError
from ..ir import (INPUT, QMAX, QMIN, Activation, ActivationOp, ActivationQuant, Add, AddQuant,
                  AvgPool, AvgPoolQuant, Concat, Conv2d, ConvQuant, ConvTranspose2d, Graph,
                  MaxPool, Mul, QParams, ScaleShift, ScaleShiftQuant, Table, Upsample)
from .fixed_point import MAX_SHIFT, quantize_multiplier, quantize_multipliers_shared
from .tensor_ops import align_concat_ranges, quantize_concat, quantize_mul, quantize_table

WEIGHT_MAX = 127  # symmetric int8: -128 is never used, so |w| <= 127
INT32_MAX = (1 << 31) - 1


def activation_clamp(activation: Activation, out_q: QParams) -> tuple[int, int]:
    """A fused ReLU/ReLU6 is a clamp of the uint8 output at the codes of 0 (and 6)."""
    if activation.kind == "relu":
        return out_q.zero_point, QMAX
    if activation.kind == "relu6":
        return out_q.zero_point, out_q.quantize_value(6.0)
    return QMIN, QMAX


def quantize_conv(op: Conv2d, in_q: list[QParams]) -> ConvQuant:
    lo, hi = activation_clamp(op.activation, op.out_q)
    return _weights_and_rescale(op, op.weight, in_q[0], lo, hi)


def quantize_conv_transpose(op: ConvTranspose2d, in_q: list[QParams]) -> ConvQuant:
    """As a convolution, with the weight's output channels on axis 1 (PyTorch's layout)."""
    quant = _weights_and_rescale(op, op.weight.transpose(1, 0, 2, 3), in_q[0], QMIN, QMAX)
    quant.weight = np.ascontiguousarray(quant.weight.transpose(1, 0, 2, 3))
    return quant


def _weights_and_rescale(op: Conv2d | ConvTranspose2d, weight: np.ndarray, in_q: QParams,
                         lo: int, hi: int) -> ConvQuant:
    """Per-output-channel int8 weights (weight is [K, ...]), int32 bias and requantization.
    The accumulator bound sums every weight of a channel: a bound for any window shape."""
    s_in, s_out = in_q.scale, op.out_q.scale
    k = weight.shape[0]
    w = weight.astype(np.float64)
    w_max = np.abs(w).reshape(k, -1).max(axis=1)
    w_scale = np.where(w_max > 0, w_max / WEIGHT_MAX, 1.0)
    w_q = np.clip(np.rint(w / w_scale[:, None, None, None]), -WEIGHT_MAX, WEIGHT_MAX).astype(np.int8)
    bias = np.rint(op.bias.astype(np.float64) / (s_in * w_scale))
    if np.abs(bias).max(initial=0) > INT32_MAX:
        channel = int(np.abs(bias).argmax())
        raise QuantizationError(
            f"{op.source}: bias of output channel {channel} ({op.bias[channel]:g}) does not fit "
            f"int32 at scale {s_in * w_scale[channel]:g}")
    # Worst-case accumulator: |bias| + sum|w| * 255 must fit the int32 accumulator.
    bound = np.abs(bias) + np.abs(w_q.astype(np.int64)).reshape(k, -1).sum(axis=1) * QMAX
    if bound.max() > INT32_MAX:
        raise QuantizationError(f"{op.source}: the accumulator could exceed int32 "
                                f"(bound {int(bound.max())}); the layer is too large")
    pairs = [quantize_multiplier(s_in * ws / s_out, f"{op.source}: requantization factor")
             for ws in w_scale]
    return ConvQuant(weight=w_q, weight_scale=w_scale, bias=bias.astype(np.int32),
                     multiplier=np.array([m for m, _ in pairs], np.int64),
                     shift=np.array([s for _, s in pairs], np.int64), clamp_min=lo, clamp_max=hi)


def quantize_add(op: Add, in_q: list[QParams]) -> AddQuant:
    s_out = op.out_q.scale
    (ma, mb), shift = quantize_multipliers_shared(
        [in_q[0].scale / s_out, in_q[1].scale / s_out], f"{op.source}: input rescale factor")
    lo, hi = activation_clamp(op.activation, op.out_q)
    return AddQuant(multiplier_a=ma, multiplier_b=mb, shift=shift, clamp_min=lo, clamp_max=hi)


def quantize_avg_pool(op: AvgPool, in_q: list[QParams]) -> AvgPoolQuant:
    if op.out_q != in_q[0]:
        raise QuantizationError(f"{op.source}: average pooling keeps its input's QParams")
    return AvgPoolQuant(divisor=op.kernel[0] * op.kernel[1])


def quantize_scale_shift(op: ScaleShift, in_q: list[QParams]) -> ScaleShiftQuant:
    s_in, s_out = in_q[0].scale, op.out_q.scale
    multipliers, biases, shifts = [], [], []
    for channel, (a, b) in enumerate(zip(op.scale.astype(np.float64), op.shift.astype(np.float64))):
        m, s = quantize_multiplier(abs(a) * s_in / s_out, f"{op.source}: channel {channel} scale")
        bias = round(b / s_out * 2.0 ** s)
        if abs(bias) >= 1 << MAX_SHIFT:
            raise QuantizationError(f"{op.source}: channel {channel} shift {b:g} is too large "
                                    f"for output scale {s_out:g}")
        multipliers.append(int(np.sign(a)) * m)
        biases.append(bias)
        shifts.append(s)
    lo, hi = activation_clamp(op.activation, op.out_q)
    return ScaleShiftQuant(multiplier=np.array(multipliers, np.int64),
                           bias=np.array(biases, np.int64), shift=np.array(shifts, np.int64),
                           clamp_min=lo, clamp_max=hi)


def quantize_activation(op: ActivationOp, in_q: list[QParams]) -> ActivationQuant:
    ratio = in_q[0].scale / op.out_q.scale
    slope = op.activation.negative_slope if op.activation.kind == "leaky_relu" else 1.0
    (pos, neg), shift = quantize_multipliers_shared([ratio, slope * ratio],
                                                    f"{op.source}: rescale factor")
    lo, hi = activation_clamp(op.activation, op.out_q)
    return ActivationQuant(multiplier_pos=pos, multiplier_neg=neg, shift=shift,
                           clamp_min=lo, clamp_max=hi)


QUANTIZERS = {Conv2d: quantize_conv, Add: quantize_add, AvgPool: quantize_avg_pool,
              ScaleShift: quantize_scale_shift, ActivationOp: quantize_activation,
              MaxPool: lambda op, in_q: None, Upsample: lambda op, in_q: None,
              ConvTranspose2d: quantize_conv_transpose, Concat: quantize_concat, Mul: quantize_mul,
              Table: quantize_table}


def quantize_graph(graph: Graph, ranges: dict[str, QParams]) -> Graph:
    """Fill in out_q and quant of every op. Ops without an observed range inherit their
    input's QParams (pooling, ReLU, ReLU6, upsampling)."""
    ranges = align_concat_ranges(graph, ranges)
    graph.input_q = ranges[INPUT]
    for op in graph.ops:
        in_q = [graph.qparams_of(name) for name in op.inputs]
        op.out_q = ranges.get(op.name, in_q[0])
        op.quant = QUANTIZERS[type(op)](op, in_q)
    return graph
