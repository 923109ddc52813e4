"""Constrained-random layers for the compute core, and their expected outputs.

Shapes span the verification plan (C and K 1..96, H and W 1..32, kernels 1/3/5/7 and
rectangular ones, stride 1/2, padding 0..k/2, every activation, residual and pooling) but
are redrawn until the layer fits the core's buffers and a cycle budget, so each stays short.
Expected outputs come from tessel.golden only.
"""

from dataclasses import dataclass
from math import ceil, gcd

import numpy as np
import torch

from tessel import golden
from tessel.config import HardwareConfig
from tessel.errors import TesselError
from tessel.golden import ops as golden_ops
from tessel.ir import INPUT, Activation, ActivationOp, Add, AvgPool, Conv2d, MaxPool, ScaleShift
from tessel.quantizer.random_graphs import quantize_random, random_residual
from tessel.plan.tiling import plan
from tiles import CoreTile, LayerData, build_tile, layer_data

KINDS = {"conv": 8, "conv_residual": 3, "linear": 1, "max_pool": 2, "avg_pool": 2,
         "global_avg_pool": 1, "scale_shift": 1, "activation": 2, "add": 1}
KERNELS = (1, 3, 5, 7)


@dataclass
class CoreLayer:
    kind: str
    graph: object
    op: object
    inputs: list          # uint8 (C, H, W) tensors the op reads
    fused_add: Add | None = None
    residual_q: object = None
    residual: np.ndarray | None = None

    def tile(self, config: HardwareConfig) -> CoreTile:
        return build_tile(config, self.graph, self.op, self.inputs, self.fused_add, self.residual,
                          self.residual_q)

    def data(self, config: HardwareConfig) -> LayerData:
        return layer_data(config, self.graph, self.op, self.inputs, self.fused_add,
                          self.residual, self.residual_q)

    def expected(self) -> np.ndarray:
        """The golden model's output of this layer (and of its fused residual add)."""
        values = golden.run(self.graph, self.inputs[0][None], keep=True)
        out = values[self.op.name]
        if self.fused_add is not None:
            out = golden_ops.add(self.fused_add, torch.from_numpy(out),
                                 torch.from_numpy(self.residual[None]), self.op.out_q.zero_point,
                                 self.residual_q.zero_point).numpy()
        return out[0]

    def describe(self) -> str:
        c, h, w = self.graph.input_shape
        text = f"{self.op.describe()} {c}x{h}x{w}->{'x'.join(map(str, self.op.out_shape))}"
        if isinstance(self.op, (Conv2d, MaxPool, AvgPool)):
            text += f" s{self.op.stride} p{self.op.padding}"
        return text + (" +residual" if self.fused_add is not None else "")


def _activation(rng, kinds=("none", "relu", "relu6")):
    return Activation(str(rng.choice(kinds)))


def _spatial(rng, kernel, padding, stride, max_size=32):
    h = int(rng.integers(max(1, kernel[0] - 2 * padding[0]), max_size + 1))
    w = int(rng.integers(max(1, kernel[1] - 2 * padding[1]), max_size + 1))
    out = ((h + 2 * padding[0] - kernel[0]) // stride[0] + 1,
           (w + 2 * padding[1] - kernel[1]) // stride[1] + 1)
    return (h, w), out


def _draw(kind, rng):
    """One unconstrained draw: (ops, input shape)."""
    c = int(rng.integers(1, 97))
    if kind in ("conv", "conv_residual", "linear"):
        k = int(rng.integers(1, 97))
        if kind == "linear":
            h, w = int(rng.integers(1, 8)), int(rng.integers(1, 8))
            kernel, stride, padding, out = (h, w), (1, 1), (0, 0), (1, 1)
        else:
            kh = int(rng.choice(KERNELS))
            kw = kh if rng.random() < 0.8 else int(rng.choice(KERNELS))
            kernel = (kh, kw)
            s = int(rng.integers(1, 3))
            stride = (s, s) if rng.random() < 0.8 else (int(rng.integers(1, 3)), int(rng.integers(1, 3)))
            padding = (int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1)))
            (h, w), out = _spatial(rng, kernel, padding, stride)
        weight = rng.normal(0, 1 / np.sqrt(c * kernel[0] * kernel[1]), (k, c, *kernel))
        op = Conv2d("conv", [INPUT], (k, *out), f"random {kind}", weight=weight.astype(np.float32),
                    bias=rng.normal(0, 0.5, k).astype(np.float32), stride=stride, padding=padding,
                    activation=_activation(rng), from_linear=kind == "linear")
        return [op], (c, h, w)
    if kind in ("max_pool", "avg_pool"):
        kernel = (int(rng.integers(1, 8)), int(rng.integers(1, 8)))
        stride = (int(rng.integers(1, kernel[0] + 1)), int(rng.integers(1, kernel[1] + 1)))
        if rng.random() < 0.6:
            kernel, stride = (kernel[0], kernel[0]), (min(2, kernel[0]),) * 2
        padding = (int(rng.integers(0, kernel[0] // 2 + 1)), int(rng.integers(0, kernel[1] // 2 + 1)))
        (h, w), out = _spatial(rng, kernel, padding, stride)
        cls = MaxPool if kind == "max_pool" else AvgPool
        return [cls(kind, [INPUT], (c, *out), f"random {kind}", kernel=kernel, stride=stride,
                    padding=padding)], (c, h, w)
    h, w = int(rng.integers(1, 33)), int(rng.integers(1, 33))
    if kind == "global_avg_pool":
        h, w = int(rng.integers(1, 17)), int(rng.integers(1, 17))
        return [AvgPool("gap", [INPUT], (c, 1, 1), "random global pool", kernel=(h, w),
                        stride=(h, w), padding=(0, 0))], (c, h, w)
    if kind == "scale_shift":
        return [ScaleShift("bn", [INPUT], (c, h, w), "random scale-shift",
                           scale=rng.normal(0, 1, c).astype(np.float32),
                           shift=rng.normal(0, 1, c).astype(np.float32),
                           activation=_activation(rng, ("none", "relu")))], (c, h, w)
    if kind == "activation":
        act = Activation(str(rng.choice(["relu", "relu6", "leaky_relu"])),
                         float(rng.choice([0.01, 0.1, 0.2])))
        return [ActivationOp("act", [INPUT], (c, h, w), "random activation",
                             activation=act)], (c, h, w)
    if kind == "add":
        other = ScaleShift("other", [INPUT], (c, h, w), "random addend",
                           scale=rng.uniform(0.5, 2, c).astype(np.float32),
                           shift=rng.normal(0, 1, c).astype(np.float32))
        return [other, Add("add", [INPUT, "other"], (c, h, w), "random add",
                           activation=_activation(rng, ("none", "relu")))], (c, h, w)
    raise ValueError(kind)


def cycles_estimate(config: HardwareConfig, op, in_shape) -> int:
    a = config.array
    c, h, w = in_shape
    k, oh, ow = op.out_shape
    groups = ceil(c / a.c_p)
    if isinstance(op, Conv2d):
        return ceil(k / a.k_p) * oh * ceil(ow / a.y_p) * op.kernel[0] * op.kernel[1] * groups
    if isinstance(op, (MaxPool, AvgPool)):
        cols = min(a.y_p, a.act_banks // gcd(op.stride[1], a.act_banks))
        return groups * oh * ceil(ow / cols) * op.kernel[0] * op.kernel[1]
    return groups * oh * ceil(ow / a.y_p)


def random_core_layer(rng: np.random.Generator, config: HardwareConfig, kind: str | None = None,
                      max_cycles: int = 20000, max_words: int = 3000) -> CoreLayer:
    kind = kind or str(rng.choice(list(KINDS), p=np.array(list(KINDS.values())) / sum(KINDS.values())))
    for _ in range(1000):
        ops, in_shape = _draw(kind, rng)
        op = ops[-1]
        c, h, w = in_shape
        k, oh, ow = op.out_shape
        words = ceil(c / config.array.c_p) * h * w + ceil(k / config.array.k_p) * oh * ow
        if isinstance(op, Conv2d):
            words += ceil(k / config.array.k_p) * op.kernel[0] * op.kernel[1] * ceil(c / config.array.c_p)
        if cycles_estimate(config, op, in_shape) > max_cycles or words > max_words:
            continue
        graph, x = quantize_random(ops, in_shape, rng, batch=1)
        values = golden.run(graph, x, keep=True)
        layer = CoreLayer(kind, graph, op, [values[name][0] for name in op.inputs])
        if kind == "conv_residual":
            layer.fused_add, layer.residual_q, residual = random_residual(graph, rng)
            layer.residual = residual[0]
        try:
            plan(layer.data(config).shape.geometry, config)
        except TesselError:
            continue  # cannot be tiled for this configuration's buffers or PPU: draw again
        return layer
    raise RuntimeError(f"no {kind} layer fits {config.name} within the budget")
