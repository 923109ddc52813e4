"""PyTorch's own quantized operators, given exactly the golden model's integer parameters.

This is the only module that touches torch.ao / torch.ops.quantized (deprecated in torch 2.13):
if they move or disappear, only this file changes. Each function takes an IR op and uint8
inputs and returns PyTorch's uint8 result.
"""

import warnings
from dataclasses import replace

import numpy as np
import torch
import torch.nn.functional as F

from ..ir import (ActivationOp, Add, AvgPool, Concat, Conv2d, ConvTranspose2d, Graph, MaxPool, Mul,
                  Op, QParams, ScaleShift, Table, Upsample)
from .float_functions import table

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import torch.ao.nn.quantized.functional as qF


def _quiet(create):
    """Creating quantized tensors is deprecated in torch 2.13: known, and contained here."""
    def wrapper(*args):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*quantized tensor creation")
            return create(*args)
    return wrapper


_per_tensor = _quiet(torch._make_per_tensor_quantized_tensor)
_per_channel = _quiet(torch._make_per_channel_quantized_tensor)

ENGINE_PREFERENCE = ("fbgemm", "x86", "qnnpack")


def select_engine() -> str:
    for engine in ENGINE_PREFERENCE:
        if engine in torch.backends.quantized.supported_engines:
            torch.backends.quantized.engine = engine
            return engine
    raise RuntimeError("this torch build has no quantized CPU engine")


def _qtensor(x_u8: np.ndarray, q: QParams, channels_last: bool = False) -> torch.Tensor:
    qx = _per_tensor(torch.from_numpy(np.ascontiguousarray(x_u8)),
                                                 q.scale, q.zero_point)
    return qx.contiguous(memory_format=torch.channels_last) if channels_last else qx


def _qweight(op: Conv2d) -> torch.Tensor:
    k = op.quant.weight.shape[0]
    return _per_channel(
        torch.from_numpy(op.quant.weight), torch.from_numpy(op.quant.weight_scale),
        torch.zeros(k, dtype=torch.int64), 0)


def _clamp6(y: torch.Tensor, op: Op) -> torch.Tensor:
    """ReLU6 after a quantized op: PyTorch's quantized hardtanh, same QParams."""
    return torch.ops.quantized.relu6(y) if op.activation.kind == "relu6" else y


def conv2d(op: Conv2d, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    if op.groups > 1:
        return _grouped_conv2d(op, x, in_q)
    # PyTorch takes a float bias; give it exactly the golden int32 bias, dequantized.
    bias = torch.from_numpy(op.quant.bias * in_q.scale * op.quant.weight_scale).float()
    relu = op.activation.kind == "relu"
    scale, zp = op.out_q.scale, op.out_q.zero_point
    if op.from_linear:
        packed = torch.ops.quantized.linear_prepack(_qweight(op).reshape(op.weight.shape[0], -1), bias)
        flat = _qtensor(x.reshape(x.shape[0], -1), in_q)
        fn = torch.ops.quantized.linear_relu if relu else torch.ops.quantized.linear
        return _clamp6(fn(flat, packed, scale, zp), op).reshape(x.shape[0], -1, 1, 1)
    packed = torch.ops.quantized.conv2d_prepack(_qweight(op), bias, list(op.stride),
                                                list(op.padding), list(op.dilation), op.groups)
    fn = torch.ops.quantized.conv2d_relu if relu else torch.ops.quantized.conv2d
    return _clamp6(fn(_qtensor(x, in_q), packed, scale, zp), op)


def _grouped_conv2d(op: Conv2d, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    """Each group as its own groups=1 quantized convolution, outputs side by side. fbgemm's
    grouped and depthwise kernels differ from exact integer sums on some inputs (up to 215 LSB
    with weights of 127 and large input codes: an int16 intermediate saturating), so the
    cross-check uses the general kernel, whose sums are exact."""
    k, c = op.quant.weight.shape[0] // op.groups, x.shape[1] // op.groups
    parts = []
    for g in range(op.groups):
        quant = replace(op.quant, weight=op.quant.weight[g * k:(g + 1) * k],
                        weight_scale=op.quant.weight_scale[g * k:(g + 1) * k],
                        bias=op.quant.bias[g * k:(g + 1) * k])
        group = replace(op, groups=1, quant=quant, weight=op.weight[g * k:(g + 1) * k])
        parts.append(conv2d(group, np.ascontiguousarray(x[:, g * c:(g + 1) * c]), in_q))
    return torch.cat(parts, dim=1)


def add(op: Add, a: np.ndarray, b: np.ndarray, qa: QParams, qb: QParams) -> torch.Tensor:
    fn = torch.ops.quantized.add_relu if op.activation.kind == "relu" else torch.ops.quantized.add
    return _clamp6(fn(_qtensor(a, qa), _qtensor(b, qb), op.out_q.scale, op.out_q.zero_point), op)


def max_pool(op: MaxPool, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    return F.max_pool2d(_qtensor(x, in_q), op.kernel, op.stride, op.padding)


VECTOR_CHANNELS = 32


def avg_pool(op: AvgPool, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    # PyTorch's channels-last kernel sums in int32 and rounds ties to even, like the golden
    # model, but only in its vectorized loop: leftover channels take a scalar loop that rounds
    # ties up, and the NCHW kernel dequantizes to float first. Pad the channels to a multiple
    # of the vector width so every channel takes the one consistent path. (adaptive_avg_pool2d
    # rounds ties up everywhere, so global pooling uses avg_pool2d over the whole map too.)
    n, c, h, w = x.shape
    padded = np.zeros((n, -(-c // VECTOR_CHANNELS) * VECTOR_CHANNELS, h, w), np.uint8)
    padded[:, :c] = x
    qx = _qtensor(padded, in_q, channels_last=True)
    return F.avg_pool2d(qx, op.kernel, op.stride, op.padding, count_include_pad=True)[:, :c]


def scale_shift(op: ScaleShift, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    c = op.scale.shape[0]
    fn = torch.ops.quantized.batch_norm2d_relu if op.activation.kind == "relu" \
        else torch.ops.quantized.batch_norm2d
    # batch_norm with mean 0, variance 1 and eps 0 is exactly x * weight + bias.
    y = fn(_qtensor(x, in_q), torch.from_numpy(op.scale), torch.from_numpy(op.shift),
           torch.zeros(c), torch.ones(c), 0.0, op.out_q.scale, op.out_q.zero_point)
    return _clamp6(y, op)


def activation(op: ActivationOp, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    qx = _qtensor(x, in_q)
    kind = op.activation.kind
    if kind == "leaky_relu":
        return qF.leaky_relu(qx, op.activation.negative_slope, scale=op.out_q.scale,
                             zero_point=op.out_q.zero_point)
    return torch.ops.quantized.relu6(qx) if kind == "relu6" else torch.relu(qx)


def conv_transpose2d(op: ConvTranspose2d, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    """fbgemm has no per-channel transposed convolution, so this is its textbook equivalent:
    the input spread `stride` apart with zero-point codes between (real zeros), bordered by
    k-1-padding more (plus output_padding at the bottom/right), through PyTorch's quantized
    conv2d with the kernel flipped and its channel axes swapped."""
    (n, c, h, w), (kh, kw), (sy, sx) = x.shape, op.kernel, op.stride
    (py, px), (oy, ox) = op.padding, op.output_padding
    spread = np.full((n, c, (h - 1) * sy + 1 + 2 * (kh - 1 - py) + oy,
                      (w - 1) * sx + 1 + 2 * (kw - 1 - px) + ox), in_q.zero_point, np.uint8)
    spread[:, :, kh - 1 - py:kh - 1 - py + (h - 1) * sy + 1:sy,
           kw - 1 - px:kw - 1 - px + (w - 1) * sx + 1:sx] = x
    weight = np.ascontiguousarray(op.quant.weight.transpose(1, 0, 2, 3)[:, :, ::-1, ::-1])
    bias = torch.from_numpy(op.quant.bias * in_q.scale * op.quant.weight_scale).float()
    qweight = _per_channel(torch.from_numpy(weight), torch.from_numpy(op.quant.weight_scale),
                           torch.zeros(weight.shape[0], dtype=torch.int64), 0)
    packed = torch.ops.quantized.conv2d_prepack(qweight, bias, [1, 1], [0, 0], [1, 1], 1)
    return torch.ops.quantized.conv2d(_qtensor(spread, in_q), packed, op.out_q.scale,
                                      op.out_q.zero_point)


def upsample(op: Upsample, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    extra = {"align_corners": False} if op.mode == "bilinear" else {}
    return F.interpolate(_qtensor(x, in_q), scale_factor=op.factor, mode=op.mode, **extra)


def concat(op: Concat, xs: list[np.ndarray], qs: list[QParams]) -> torch.Tensor:
    return torch.ops.quantized.cat([_qtensor(x, q) for x, q in zip(xs, qs)], 1,
                                   op.out_q.scale, op.out_q.zero_point)


def mul(op: Mul, xs: list[np.ndarray], qs: list[QParams]) -> torch.Tensor:
    a, b = (_qtensor(x, q) for x, q in zip(xs, qs))
    if b.shape != a.shape:  # the gate, repeated over the pixels
        b = _qtensor(np.broadcast_to(xs[1], xs[0].shape), qs[1])
    return torch.ops.quantized.mul(a, b, op.out_q.scale, op.out_q.zero_point)


SINGLE_INPUT = {Conv2d: conv2d, MaxPool: max_pool, AvgPool: avg_pool, ScaleShift: scale_shift,
                ActivationOp: activation, ConvTranspose2d: conv_transpose2d, Upsample: upsample,
                Table: table}
SEVERAL_INPUTS = {Concat: concat, Mul: mul}


@torch.no_grad()
def reference_op(graph: Graph, op: Op, inputs: list[np.ndarray]) -> np.ndarray:
    """PyTorch's uint8 output of one op, on the given uint8 inputs."""
    in_q = [graph.qparams_of(name) for name in op.inputs]
    if isinstance(op, Add):
        y = add(op, inputs[0], inputs[1], *in_q)
    elif type(op) in SEVERAL_INPUTS:
        y = SEVERAL_INPUTS[type(op)](op, inputs, in_q)
    else:
        y = SINGLE_INPUT[type(op)](op, inputs[0], in_q[0])
    return y.int_repr().contiguous().numpy()
