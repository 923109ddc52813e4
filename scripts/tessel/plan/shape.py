"""A hardware layer's shape: what it reads and writes, its tiling geometry, how many output
pixels a pass computes and how many parameter words it has. The back end lays out its bytes by
it; the cost model and the design-space exploration time it."""

from dataclasses import dataclass
from math import ceil, gcd

from ..config import HardwareConfig
from ..ir import AvgPool, Conv2d, Graph, MaxPool, Op
from .layers import HwLayer
from .tiling import LayerGeometry, geometry


@dataclass(frozen=True)
class LayerShape:
    """A hardware layer as the core runs it."""
    kind: str                   # conv, pool (max/avg), eltwise (scale-shift, activation, add)
    in_shape: tuple             # (C, H, W) the core reads (a packed first layer: packed)
    geometry: LayerGeometry
    cols: int                   # output pixels per pass
    macs: int = 0
    nonzero_macs: int = 0


def pixels_per_pass(config: HardwareConfig, out_w: int, stride_x: int) -> int:
    """Output pixels one pass computes: the y_p columns at stride sx must hit distinct
    activation banks, so only sx * i mod banks that differ count (a row of one output never
    steps, so its stride does not matter)."""
    banks, sx = config.array.act_banks, 1 if out_w == 1 else stride_x
    return min(config.array.y_p, banks // gcd(sx, banks))


def input_shape(hw: HwLayer, graph: Graph) -> tuple:
    """The (C, H, W) the layer's core reads: a packed first layer reads its packed input."""
    if hw.packed_input:
        return hw.op.weight.shape[1:2] + graph.input_shape[1:2] + hw.op.out_shape[2:]
    return graph.shape_of(hw.inputs[0])


def param_words(hw: HwLayer, config: HardwareConfig) -> int:
    """One parameter word per output channel group (k_p == c_p: a pooling or elementwise
    layer's output groups are its input groups)."""
    return ceil(hw.op.out_shape[0] / config.array.k_p)


def layer_shape(hw: HwLayer, graph: Graph, config: HardwareConfig, nonzero: bool = True) -> LayerShape:
    """The layer's shape (nonzero=False skips counting the non-zero weights, for the
    design-space exploration)."""
    return op_shape(hw.op, input_shape(hw, graph), config, hw.fused_add is not None, nonzero)


def op_shape(op: Op, in_shape: tuple, config: HardwareConfig, residual: bool = False,
             nonzero: bool = True) -> LayerShape:
    """An op's shape on the core when it reads in_shape; residual: it also reads a fused
    residual add's operand."""
    conv = isinstance(op, Conv2d)
    if isinstance(op, (Conv2d, MaxPool, AvgPool)):
        kind, stride_x = "conv" if conv else "pool", op.stride[1]
    else:  # elementwise: 1x1, stride 1
        kind, stride_x = "eltwise", 1
    return LayerShape(kind, tuple(in_shape), geometry(op, in_shape, op.out_shape, config, residual),
                      pixels_per_pass(config, op.out_shape[2], stride_x),
                      op.macs() if conv else 0, op.nonzero_weight_macs() if conv and nonzero else 0)
