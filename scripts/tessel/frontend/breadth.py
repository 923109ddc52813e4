"""Translation of the layers beyond plain CNNs: transposed convolution, concatenation,
upsampling, table functions, products and the host's softmax / argmax at the end.

A mixin of the Translator (export.py): it uses its emit / tensor / parameter / fail helpers.
"""

import numpy as np
import torch
import torch.fx

from ..ir import Concat, ConvTranspose2d, Mul, Table, Upsample
from .source import describe


class Flat:
    """Marks an IR value that PyTorch sees flattened to (N, C*H*W)."""

    def __init__(self, name: str):
        self.name = name


class Host:
    """A function the host applies to a model output (softmax, argmax): `value` is the IR
    value it reads, `shape` that value's per-image shape in PyTorch."""

    def __init__(self, function: str, value, shape: tuple, source: str):
        self.function, self.value, self.shape, self.source = function, value, shape, source


def pair(v):
    if isinstance(v, int):
        return (v, v)
    v = tuple(v)
    return (v[0], v[0]) if len(v) == 1 else (v[0], v[1])


def _integer_factors(node, x) -> tuple[int, int] | None:
    """Output size over input size, when both sides are whole multiples."""
    (h, w), (oh, ow) = x.meta["val"].shape[2:], node.meta["val"].shape[2:]
    if oh % h or ow % w:
        return None
    return (oh // h, ow // w)


class BreadthHandlers:
    # ---- convolution ---------------------------------------------------------------------
    def conv_transpose2d(self, node, x, weight, bias=None, stride=1, padding=0,
                         output_padding=0, groups=1, dilation=1):
        w = self.parameter(node, weight)
        stride, padding = pair(stride), pair(padding)
        output_padding, dilation = pair(output_padding), pair(dilation)
        if w.ndim != 4:
            self.fail(node, f"a {w.ndim - 2}-D transposed convolution is not supported")
        if groups != 1:
            self.fail(node, f"groups={groups} is not supported for ConvTranspose2d (groups=1)")
        if dilation != (1, 1):
            self.fail(node, f"dilation={dilation} is not supported for ConvTranspose2d")
        k = w.shape[2:]
        self.check_window(node, k, stride)
        if any(p >= kk for p, kk in zip(padding, k)):
            self.fail(node, f"padding={padding} must be smaller than the kernel {k[0]}x{k[1]}")
        b = self.parameter(node, bias)
        self.emit(node, ConvTranspose2d, [self.tensor(node, x)], weight=w,
                  bias=b if b is not None else np.zeros(w.shape[1], np.float32),
                  stride=stride, padding=padding, output_padding=output_padding)

    # ---- concatenation and upsampling ----------------------------------------------------
    def cat(self, node, tensors, dim=0):
        if dim % 4 != 1 or any(t.meta["val"].dim() != 4 for t in tensors):
            self.fail(node, f"concatenates along dim {dim}; only along channels (dim 1) of "
                            "4-D (N, C, H, W) tensors is supported")
        self.emit(node, Concat, [self.tensor(node, t) for t in tensors])

    def upsample(self, node, x, mode: str):
        factors = _integer_factors(node, x)
        if factors is None:
            self.fail(node, f"upsamples {tuple(x.meta['val'].shape[2:])} to "
                            f"{tuple(node.meta['val'].shape[2:])}; only integer factors are "
                            "supported")
        if mode == "bilinear" and factors != (2, 2):
            self.fail(node, f"bilinear upsampling by {factors} is not supported; only 2x "
                            "(use mode='nearest' for other factors)")
        self.emit(node, Upsample, [self.tensor(node, x)], factor=factors, mode=mode)

    def upsample_nearest(self, node, x, output_size=None, scale_factors=None):
        self.upsample(node, x, "nearest")

    def upsample_nearest_sizes(self, node, x, output_size, scales_h=None, scales_w=None):
        self.upsample(node, x, "nearest")

    def upsample_bilinear(self, node, x, output_size=None, align_corners=False,
                          scale_factors=None):
        if align_corners:
            self.fail(node, "bilinear upsampling with align_corners=True is not supported")
        self.upsample(node, x, "bilinear")

    def upsample_bilinear_sizes(self, node, x, output_size, align_corners=False, scales_h=None,
                                scales_w=None):
        self.upsample_bilinear(node, x, output_size, align_corners)

    # ---- table functions -----------------------------------------------------------------
    def table(self, node, x, function: str, *parameters):
        source = self.values.get(x)
        self.emit(node, Table, [self.tensor(node, x, flat_ok=True)], flat=isinstance(source, Flat),
                  function=function, parameters=tuple(float(p) for p in parameters))

    @staticmethod
    def unary(function: str):
        def handler(self, node, x):
            self.table(node, x, function)
        handler.__name__ = function
        return handler

    def gelu(self, node, x, approximate="none"):
        self.table(node, x, "gelu" if approximate == "none" else "gelu_tanh")

    def elu(self, node, x, alpha=1.0, scale=1.0, input_scale=1.0):
        if (scale, input_scale) != (1.0, 1.0):
            self.fail(node, "ELU with scale or input_scale (SELU) is not supported")
        self.table(node, x, "elu", alpha)

    def softplus(self, node, x, beta=1.0, threshold=20.0):
        self.table(node, x, "softplus", beta, threshold)

    def prelu(self, node, x, weight):
        slope = self.parameter(node, weight)
        if slope.size != 1:
            self.fail(node, f"PReLU with {slope.size} slopes (one per channel) is not supported; "
                            "only one slope (num_parameters=1)")
        self.table(node, x, "prelu", float(slope.reshape(-1)[0]))

    def constant_function(self, node, x, function: str, constant):
        if not isinstance(x, torch.fx.Node):
            self.fail(node, "combines two constants")
        self.table(node, x, function, float(constant))

    # ---- products ------------------------------------------------------------------------
    def mul(self, node, a, b):
        if not isinstance(a, torch.fx.Node) or not isinstance(b, torch.fx.Node):
            tensor, number = (a, b) if isinstance(a, torch.fx.Node) else (b, a)
            return self.constant_function(node, tensor, "scale", number)
        shape_a, shape_b = (tuple(v.meta["val"].shape) for v in (a, b))
        out = tuple(node.meta["val"].shape)
        if shape_a != out:  # the full-size operand first, the gate second
            a, b, shape_a, shape_b = b, a, shape_b, shape_a
        if len(out) != 4 or shape_a != out or shape_b not in (out, (*out[:2], 1, 1)):
            self.fail(node, f"multiplies tensors of shapes {shape_a} and {shape_b}; only the "
                            "same shape or an (N, C, H, W) tensor by an (N, C, 1, 1) gate is "
                            "supported")
        self.emit(node, Mul, [self.tensor(node, a), self.tensor(node, b)])

    def div(self, node, a, b):
        if isinstance(a, torch.fx.Node) and isinstance(b, (int, float)) and b != 0:
            return self.constant_function(node, a, "scale", 1.0 / b)
        self.fail(node, "divides by a tensor; only division by a non-zero number is supported")

    # ---- host functions at the end -------------------------------------------------------
    def host_function(self, node, x, function: str, dim: int):
        shape = tuple(x.meta["val"].shape)
        if dim % len(shape) != 1:
            self.fail(node, f"{function} over dim {dim} is not supported; only over the "
                            "channels or classes (dim 1)")
        value = self.values.get(x)
        self.tensor(node, x, flat_ok=True)  # an activation tensor (clear error otherwise)
        self.values[node] = Host(function, value, shape[1:], describe(node))

    def softmax(self, node, x, dim, *args):
        self.host_function(node, x, "softmax", dim)

    def argmax(self, node, x, dim=None, keepdim=False):
        if dim is None:
            self.fail(node, "argmax over the whole tensor is not supported; give dim=1")
        self.host_function(node, x, "argmax", dim)
