"""Random graphs of the ops beyond plain CNNs (grouped, dilated, large and transposed
convolutions, concatenation, upsampling, tables, products), for the golden model's cross-checks
and the fuzzer. Each is (ops, input shape): the op under test last, its extra operands first."""

import numpy as np

from ..ir import (INPUT, AvgPool, Concat, Conv2d, ConvTranspose2d, Mul, ScaleShift, Table,
                  Upsample)
from ..ir.functions import FUNCTIONS

BREADTH_KINDS = ("grouped_conv", "dilated_conv", "large_conv", "conv_transpose", "concat",
                 "upsample", "upsample_bilinear", "table", "mul", "mul_gate")


def _operand(name: str, shape: tuple, rng) -> ScaleShift:
    """A second tensor with its own scale: the input, scaled and shifted per channel."""
    c = shape[0]
    return ScaleShift(name, [INPUT], shape, f"random operand {name}",
                      scale=rng.uniform(0.5, 2, c).astype(np.float32),
                      shift=rng.normal(0, 1, c).astype(np.float32))


def _conv(rng, limits, c, h, w, groups, dilation, kernel, stride):
    k = groups * int(rng.integers(1, max(2, limits.max_channels // groups) + 1))
    extent = [d * (kk - 1) + 1 for d, kk in zip(dilation, kernel)]
    padding = tuple(int(rng.integers(0, e // 2 + 1)) for e in extent)
    h, w = max(h, extent[0]), max(w, extent[1])
    out = tuple((n + 2 * p - e) // s + 1 for n, p, e, s in zip((h, w), padding, extent, stride))
    fan_in = (c // groups) * kernel[0] * kernel[1]
    weight = rng.normal(0, 1 / np.sqrt(fan_in), (k, c // groups, *kernel)).astype(np.float32)
    op = Conv2d("conv", [INPUT], (k, *out), "random conv2d", weight=weight,
                bias=rng.normal(0, 0.5, k).astype(np.float32), stride=stride, padding=padding,
                groups=groups, dilation=dilation)
    return [op], (c, h, w)


def random_breadth_ops(kind: str, rng: np.random.Generator, limits) -> tuple[list, tuple]:
    c = int(rng.integers(1, limits.max_channels + 1))
    h, w = (int(rng.integers(2, limits.max_size + 1)) for _ in range(2))
    if kind == "grouped_conv":  # depthwise half the time
        groups = c if rng.random() < 0.5 else int(rng.choice([g for g in range(1, c + 1) if c % g == 0]))
        kernel = (int(rng.choice([1, 3, 5])),) * 2
        return _conv(rng, limits, c, h, w, groups, (1, 1), kernel, (int(rng.integers(1, 3)),) * 2)
    if kind == "dilated_conv":
        dilation = (int(rng.choice([2, 4])),) * 2
        return _conv(rng, limits, c, h + 8, w + 8, 1, dilation, (3, 3), (1, 1))
    if kind == "large_conv":
        kernel = tuple(int(rng.integers(8, 17)) for _ in range(2))
        stride = tuple(int(rng.integers(1, 9)) for _ in range(2))
        return _conv(rng, limits, min(c, 4), h + 8, w + 8, 1, (1, 1), kernel, stride)
    if kind == "conv_transpose":
        kernel = int(rng.choice([2, 3, 4]))
        stride, padding = 2, int(rng.integers(0, kernel // 2 + 1))
        output_padding = int(rng.integers(0, 2)) if kernel % 2 else 0
        k = int(rng.integers(1, limits.max_channels + 1))
        out = tuple((n - 1) * stride - 2 * padding + kernel + output_padding for n in (h, w))
        weight = rng.normal(0, 1 / np.sqrt(c * kernel), (c, k, kernel, kernel)).astype(np.float32)
        op = ConvTranspose2d("convT", [INPUT], (k, *out), "random transposed conv", weight=weight,
                             bias=rng.normal(0, 0.5, k).astype(np.float32), stride=(stride,) * 2,
                             padding=(padding,) * 2, output_padding=(output_padding,) * 2)
        return [op], (c, h, w)
    if kind == "concat":
        other = _operand("other", (c, h, w), rng)
        return [other, Concat("cat", [INPUT, "other"], (2 * c, h, w), "random concat")], (c, h, w)
    if kind in ("upsample", "upsample_bilinear"):
        mode = "bilinear" if kind == "upsample_bilinear" else "nearest"
        factor = (2, 2) if mode == "bilinear" else tuple(int(rng.integers(1, 5)) for _ in range(2))
        op = Upsample("up", [INPUT], (c, h * factor[0], w * factor[1]), "random upsample",
                      factor=factor, mode=mode)
        return [op], (c, h, w)
    if kind == "table":
        function = str(rng.choice([f for f in FUNCTIONS if f not in ("hardtanh", "scale", "offset")]))
        parameters = (float(rng.choice([0.01, 0.1, 0.25])),) if function == "prelu" else ()
        return [Table("table", [INPUT], (c, h, w), f"random {function}", function=function,
                      parameters=parameters)], (c, h, w)
    if kind == "mul":
        return [_operand("other", (c, h, w), rng),
                Mul("mul", [INPUT, "other"], (c, h, w), "random product")], (c, h, w)
    if kind == "mul_gate":  # squeeze-excite: x * gate, the gate pooled to C x 1 x 1
        gate = [_operand("other", (c, h, w), rng),
                AvgPool("gate", ["other"], (c, 1, 1), "random gate", kernel=(h, w), stride=(h, w),
                        padding=(0, 0))]
        return [*gate, Mul("mul", [INPUT, "gate"], (c, h, w), "random gated product")], (c, h, w)
    raise ValueError(f"unknown op kind {kind!r}; choose from {BREADTH_KINDS}")
