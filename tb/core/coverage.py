"""Functional coverage of the compute core's layer space (cocotb-coverage)."""

import numpy as np
from cocotb_coverage.coverage import CoverPoint, coverage_db

from tessel.ir import ActivationOp, Add, AvgPool, Conv2d, MaxPool, ScaleShift

KERNEL_BINS = [1, 3, 5, 7]
SAMPLED = []


def _conv(layer):
    return layer.op if isinstance(layer.op, Conv2d) else None


def _activation(layer):
    op = layer.op
    if isinstance(op, ActivationOp):
        return op.activation.kind
    if isinstance(op, (Conv2d, Add, ScaleShift)):
        return op.activation.kind
    return None


@CoverPoint("core.kind", xf=lambda layer, out, info: layer.kind,
            bins=["conv", "conv_residual", "linear", "max_pool", "avg_pool", "global_avg_pool",
                  "scale_shift", "activation", "add"])
@CoverPoint("core.conv.kernel", xf=lambda layer, out, info: _conv(layer).kernel[0]
            if _conv(layer) is not None and not _conv(layer).from_linear else None, bins=KERNEL_BINS)
@CoverPoint("core.conv.rectangular", xf=lambda layer, out, info: _conv(layer) is not None and
            _conv(layer).kernel[0] != _conv(layer).kernel[1], bins=[True])
@CoverPoint("core.conv.stride", xf=lambda layer, out, info: _conv(layer).stride[0]
            if _conv(layer) is not None and not _conv(layer).from_linear else None, bins=[1, 2])
@CoverPoint("core.padding", xf=lambda layer, out, info: "none" if not hasattr(layer.op, "padding")
            or max(layer.op.padding) == 0 else ("full" if any(p == k // 2 and p > 0 for p, k in
            zip(layer.op.padding, layer.op.kernel)) else "partial"), bins=["none", "partial", "full"])
@CoverPoint("core.activation", xf=lambda layer, out, info: _activation(layer),
            bins=["none", "relu", "relu6", "leaky_relu"])
@CoverPoint("core.residual", xf=lambda layer, out, info: layer.fused_add is not None
            or isinstance(layer.op, Add), bins=[True, False])
@CoverPoint("core.partial_channel_group", xf=lambda layer, out, info: info["partial_c"], bins=[True, False])
@CoverPoint("core.partial_output_group", xf=lambda layer, out, info: info["partial_k"], bins=[True, False])
@CoverPoint("core.partial_pixel_group", xf=lambda layer, out, info: info["partial_y"], bins=[True, False])
@CoverPoint("core.saturates_low", xf=lambda layer, out, info: bool((out == 0).any()), bins=[True])
@CoverPoint("core.saturates_high", xf=lambda layer, out, info: bool((out == 255).any()), bins=[True])
@CoverPoint("core.negative_accumulator", xf=lambda layer, out, info: info["negative_acc"], bins=[True])
def sample(layer, out, info):
    SAMPLED.append(layer.kind)


def layer_info(layer, config, out) -> dict:
    """Facts about a layer (and its observed output) that the bins need."""
    a = config.array
    c = layer.graph.input_shape[0]
    k, _, ow = layer.op.out_shape
    conv = _conv(layer)
    negative = False
    if conv is not None:
        # An output below the zero point comes from a negative accumulator (the multiplier is
        # positive), so the whole signed path was exercised.
        negative = bool((out < conv.out_q.zero_point).any())
    return {"partial_c": c % a.c_p != 0, "partial_k": k % a.k_p != 0,
            "partial_y": ow % a.y_p != 0, "negative_acc": negative}


@CoverPoint("tiling.tiles", xf=lambda tiles: "one" if tiles == 1 else ("few" if tiles < 8 else "many"),
            bins=["one", "few", "many"])
def sample_tiling(tiles):
    pass
