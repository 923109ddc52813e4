"""Random quantized single-op graphs for verification: the golden-vs-PyTorch cross-check
now, and constrained-random layers for the RTL testbenches.

Every graph is calibrated on its own random input, then its output scales are perturbed so
that saturation at 0 and 255 is exercised too.
"""

from dataclasses import dataclass

import numpy as np
import torch

from ..ir import (INPUT, Activation, ActivationOp, Add, AvgPool, Conv2d, Graph, MaxPool, QParams,
                  ScaleShift)
from .calibrate import calibrate
from .quantize import quantize_add, quantize_graph
from .random_breadth import BREADTH_KINDS, random_breadth_ops

# The kinds the accelerator runs come first: their random streams stay as they were.
KINDS = ("conv2d", "linear", "add", "max_pool", "avg_pool", "global_avg_pool", "scale_shift",
         "activation", *BREADTH_KINDS)


@dataclass(frozen=True)
class Limits:
    max_channels: int = 32
    max_size: int = 16
    kernels: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)


def _activation(rng, standalone=False) -> Activation:
    kinds = ["relu", "relu6", "leaky_relu"] if standalone else ["none", "relu", "relu6"]
    kind = kinds[rng.integers(len(kinds))]
    return Activation(kind, float(rng.choice([0.01, 0.1, 0.2, 0.3])) if kind == "leaky_relu" else 0.0)


def _window(rng, limits: Limits, stride_max: int):
    kh, kw = (int(rng.choice(limits.kernels)) for _ in range(2))
    stride = (int(rng.integers(1, min(stride_max, kh) + 1)), int(rng.integers(1, min(stride_max, kw) + 1)))
    padding = (int(rng.integers(0, kh // 2 + 1)), int(rng.integers(0, kw // 2 + 1)))
    h = int(rng.integers(max(1, kh - 2 * padding[0]), limits.max_size + 1))
    w = int(rng.integers(max(1, kw - 2 * padding[1]), limits.max_size + 1))
    out = ((h + 2 * padding[0] - kh) // stride[0] + 1, (w + 2 * padding[1] - kw) // stride[1] + 1)
    return (kh, kw), stride, padding, (h, w), out


def random_op(kind: str, rng: np.random.Generator, limits: Limits = Limits()):
    """(op, input shape) for one random op of the given kind, reading from INPUT."""
    c = int(rng.integers(1, limits.max_channels + 1))
    if kind == "conv2d":
        kernel, stride, padding, (h, w), (oh, ow) = _window(rng, limits, 2)
        stride = tuple(int(rng.integers(1, 3)) for _ in range(2))
        oh, ow = ((h + 2 * padding[0] - kernel[0]) // stride[0] + 1,
                  (w + 2 * padding[1] - kernel[1]) // stride[1] + 1)
        k = int(rng.integers(1, limits.max_channels + 1))
        weight = rng.normal(0, 1 / np.sqrt(c * kernel[0] * kernel[1]), (k, c, *kernel))
        op = Conv2d("conv", [INPUT], (k, oh, ow), "random conv2d",
                    weight=weight.astype(np.float32), bias=rng.normal(0, 0.5, k).astype(np.float32),
                    stride=stride, padding=padding, activation=_activation(rng))
        return op, (c, h, w)
    if kind == "linear":
        h, w = (int(rng.integers(1, 8)) for _ in range(2))
        k = int(rng.integers(1, 64))
        weight = rng.normal(0, 1 / np.sqrt(c * h * w), (k, c, h, w))
        op = Conv2d("linear", [INPUT], (k, 1, 1), "random linear", weight=weight.astype(np.float32),
                    bias=rng.normal(0, 0.5, k).astype(np.float32), stride=(1, 1), padding=(0, 0),
                    activation=_activation(rng), from_linear=True)
        return op, (c, h, w)
    h, w = (int(rng.integers(1, limits.max_size + 1)) for _ in range(2))
    if kind == "add":
        return Add("add", [INPUT, "other"], (c, h, w), "random add",
                   activation=Activation(str(rng.choice(["none", "relu"])))), (c, h, w)
    if kind in ("max_pool", "avg_pool"):
        kernel, stride, padding, (h, w), (oh, ow) = _window(rng, limits, 7)
        cls = MaxPool if kind == "max_pool" else AvgPool
        return cls(kind, [INPUT], (c, oh, ow), f"random {kind}", kernel=kernel, stride=stride,
                   padding=padding), (c, h, w)
    if kind == "global_avg_pool":
        return AvgPool("gap", [INPUT], (c, 1, 1), "random global average pool", kernel=(h, w),
                       stride=(h, w), padding=(0, 0)), (c, h, w)
    if kind == "scale_shift":
        return ScaleShift("bn", [INPUT], (c, h, w), "random scale-shift",
                          scale=rng.normal(0, 1, c).astype(np.float32),
                          shift=rng.normal(0, 1, c).astype(np.float32),
                          activation=Activation(str(rng.choice(["none", "relu"])))), (c, h, w)
    if kind == "activation":
        return ActivationOp("act", [INPUT], (c, h, w), "random activation",
                            activation=_activation(rng, standalone=True)), (c, h, w)
    raise ValueError(f"unknown op kind {kind!r}; choose from {KINDS}")


def _random_qparams(rng) -> QParams:
    return QParams(float(10 ** rng.uniform(-3, 0)), int(rng.integers(0, 256)))


def quantize_random(ops: list, in_shape: tuple, rng: np.random.Generator, batch: int = 2):
    """Quantize a graph of `ops` (the last is the output) on random uint8 input: input QParams
    drawn at random, the rest calibrated on it and then perturbed so outputs also saturate."""
    graph = Graph(f"random_{ops[-1].kind}", in_shape, list(ops), ops[-1].name, ops[-1].out_shape)
    graph.check()
    in_q = _random_qparams(rng)
    x_u8 = rng.integers(0, 256, (batch, *in_shape), dtype=np.uint8)
    ranges = calibrate(graph, torch.from_numpy(in_q.dequantize(x_u8)))
    ranges[INPUT] = in_q
    for name, q in ranges.items():
        if name != INPUT:  # tighter or looser than observed: exercise saturation
            ranges[name] = QParams(q.scale * float(rng.uniform(0.6, 1.3)), q.zero_point)
    return quantize_graph(graph, ranges), x_u8


def random_graph(kind: str, rng: np.random.Generator, limits: Limits = Limits(),
                 batch: int = 2):
    """A quantized one-op graph (plus, for add, a second input op) and uint8 input images."""
    if kind in BREADTH_KINDS:  # ops the accelerator does not run yet, with their operands
        ops, in_shape = random_breadth_ops(kind, rng, limits)
        return quantize_random(ops, in_shape, rng, batch)
    op, in_shape = random_op(kind, rng, limits)
    ops = [op]
    if isinstance(op, Add):  # the second addend comes from a scale-shift with its own scale
        c = in_shape[0]
        ops.insert(0, ScaleShift("other", [INPUT], in_shape, "random addend",
                                 scale=rng.uniform(0.5, 2, c).astype(np.float32),
                                 shift=rng.normal(0, 1, c).astype(np.float32)))
    return quantize_random(ops, in_shape, rng, batch)


def random_residual(graph: Graph, rng: np.random.Generator, batch: int = 1):
    """A residual add after the graph's output op: (add op, residual uint8 images). The add's
    second operand is a separate tensor with its own random QParams, as a shortcut would be."""
    out = graph.op(graph.output)
    res_q = _random_qparams(rng)
    add = Add("residual_add", [out.name, "residual"], out.out_shape, "random residual add",
              activation=Activation(str(rng.choice(["none", "relu"]))))
    add.out_q = QParams(max(out.out_q.scale, res_q.scale) * float(rng.uniform(0.8, 2.0)),
                        int(rng.integers(0, 256)))
    add.quant = quantize_add(add, [out.out_q, res_q])
    residual = rng.integers(0, 256, (batch, *out.out_shape), dtype=np.uint8)
    return add, res_q, residual
