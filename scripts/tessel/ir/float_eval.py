"""Evaluate the IR in float32 before quantization: what calibration observes, and the check
that importing a model preserved its function."""

import torch
import torch.nn.functional as F

from .functions import apply_function
from .graph import Graph
from .ops import (Activation, ActivationOp, Add, AvgPool, Concat, Conv2d, ConvTranspose2d, MaxPool,
                  Mul, Op, ScaleShift, Table, Upsample)


def apply_activation(x: torch.Tensor, activation: Activation) -> torch.Tensor:
    if activation.kind == "relu":
        return F.relu(x)
    if activation.kind == "relu6":
        return F.relu6(x)
    if activation.kind == "leaky_relu":
        return F.leaky_relu(x, activation.negative_slope)
    return x


def float_step(op: Op, inputs: list[torch.Tensor]) -> torch.Tensor:
    x = inputs[0]
    if isinstance(op, Conv2d):
        y = F.conv2d(x, torch.from_numpy(op.weight), torch.from_numpy(op.bias),
                     op.stride, op.padding, op.dilation, op.groups)
        return apply_activation(y, op.activation)
    if isinstance(op, ConvTranspose2d):
        return F.conv_transpose2d(x, torch.from_numpy(op.weight), torch.from_numpy(op.bias),
                                  op.stride, op.padding, op.output_padding)
    if isinstance(op, Concat):
        return torch.cat(inputs, dim=1)
    if isinstance(op, Mul):
        return x * inputs[1]
    if isinstance(op, Upsample):
        return F.interpolate(x, scale_factor=op.factor, mode=op.mode,
                             **({"align_corners": False} if op.mode == "bilinear" else {}))
    if isinstance(op, Table):
        return apply_function(op.function, op.parameters, x)
    if isinstance(op, Add):
        return apply_activation(x + inputs[1], op.activation)
    if isinstance(op, MaxPool):
        return F.max_pool2d(x, op.kernel, op.stride, op.padding)
    if isinstance(op, AvgPool):
        return F.avg_pool2d(x, op.kernel, op.stride, op.padding, count_include_pad=True)
    if isinstance(op, ScaleShift):
        y = x * torch.from_numpy(op.scale).view(1, -1, 1, 1) + \
            torch.from_numpy(op.shift).view(1, -1, 1, 1)
        return apply_activation(y, op.activation)
    if isinstance(op, ActivationOp):
        return apply_activation(x, op.activation)
    raise TypeError(f"no float semantics for op {op.name!r} of type {type(op).__name__}")


@torch.no_grad()
def run_float(graph: Graph, x: torch.Tensor, keep: bool = False):
    """Run a batch (N, C, H, W) through the float IR; the output has PyTorch's output shape
    (a tuple of outputs for a graph with several; the host's softmax/argmax not applied)."""
    result = graph.run(x.float(), float_step, keep=keep)
    if keep:
        return result
    if graph.extra_outputs:
        return tuple(r.reshape(x.shape[0], *shape) for r, shape in zip(result, graph.output_shapes))
    return result.reshape(x.shape[0], *graph.output_shape)
