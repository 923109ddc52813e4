"""The cost model against the RTL: single-layer networks of given shapes compiled, run in
simulation, and the hardware's per-layer cycle counter compared with the model's prediction.

Shapes are ResNet-50's distinct convolutions at their real widths and channel counts (what
decides tiling and utilization), with height and output channels cut so one simulation stays
short, plus a pooling and an elementwise layer. Every run is also checked bit-exact against the
golden model, so a cycle count never comes from a wrong result.
"""

from dataclasses import dataclass

import numpy as np

from .. import golden, textable, zoo
from ..lowering import build
from ..config import load_config
from ..errors import TesselError
from ..frontend import import_model
from ..ir import INPUT, AvgPool, Conv2d, MaxPool
from ..mapper.cost import Memory, network_cost
from ..quantizer.random_graphs import quantize_random
from ..progress import progress
from ..runtime.simulation import SimOptions, run_images


@dataclass(frozen=True)
class Shape:
    name: str
    kind: str            # conv, max_pool, avg_pool
    c: int
    k: int
    kernel: tuple
    stride: tuple
    padding: tuple
    h: int
    w: int


def resnet50_convs() -> list[dict]:
    """ResNet-50's distinct convolutions (the FC layer aside), each named after its first
    occurrence: name, c, k, kernel, stride, padding and input h, w."""
    entry = zoo.load("resnet50")
    graph = import_model(entry.model, entry.calibration[:1], "resnet50")
    shapes = {}
    for op in graph.ops:
        if not isinstance(op, Conv2d) or op.from_linear:
            continue
        k, c, kh, kw = op.weight.shape
        _, h, w = graph.shape_of(op.inputs[0])
        shapes.setdefault((c, k, kh, kw, op.stride, op.padding, h, w), op.name)
    return [dict(name=name, c=c, k=k, kernel=(kh, kw), stride=stride, padding=padding, h=h, w=w)
            for (c, k, kh, kw, stride, padding, h, w), name in shapes.items()]


def input_rows(rows: int, kernel: tuple, stride: tuple, padding: tuple) -> int:
    """Input rows a convolution needs for `rows` output rows (at least one)."""
    return max(1, (rows - 1) * stride[0] + kernel[0] - 2 * padding[0])


def resnet50_shapes(rows: int = 4, max_k: int = 64, max_w: int = 56) -> list[Shape]:
    """ResNet-50's distinct convolution shapes with `rows` output rows, at most max_k output
    channels and max_w input columns, plus the stem's max pool and the global average pool."""
    shapes = []
    for s in resnet50_convs():
        h = input_rows(rows, s["kernel"], s["stride"], s["padding"])
        shapes.append(Shape(s["name"], "conv", s["c"], min(s["k"], max_k), s["kernel"], s["stride"],
                            s["padding"], h, min(s["w"], max_w)))
    shapes.append(Shape("maxpool", "max_pool", 64, 64, (3, 3), (2, 2), (1, 1), 9, 56))
    shapes.append(Shape("avgpool", "avg_pool", 256, 256, (7, 7), (7, 7), (0, 0), 7, 7))
    return shapes


def graph(shape: Shape, seed: int):
    """A quantized one-layer graph of `shape` and a random input image."""
    rng = np.random.default_rng(seed)
    c, h, w = shape.c, shape.h, shape.w
    oh = (h + 2 * shape.padding[0] - shape.kernel[0]) // shape.stride[0] + 1
    ow = (w + 2 * shape.padding[1] - shape.kernel[1]) // shape.stride[1] + 1
    if shape.kind == "conv":
        weight = rng.normal(0, 1 / np.sqrt(c * shape.kernel[0] * shape.kernel[1]),
                            (shape.k, c, *shape.kernel))
        op = Conv2d("conv", [INPUT], (shape.k, oh, ow), shape.name, weight=weight.astype(np.float32),
                    bias=rng.normal(0, 0.5, shape.k).astype(np.float32), stride=shape.stride,
                    padding=shape.padding)
    else:
        cls = MaxPool if shape.kind == "max_pool" else AvgPool
        op = cls("pool", [INPUT], (c, oh, ow), shape.name, kernel=shape.kernel, stride=shape.stride,
                 padding=shape.padding)
    return quantize_random([op], (c, h, w), rng, batch=1)


@dataclass
class Comparison:
    shape: Shape
    target: str
    tiles: int
    predicted: int
    measured: int
    dram_bytes: int = 0     # the layer's reads and writes, as the model counts them
    bound: str = ""         # what the model says sets the layer's time

    @property
    def bytes_per_cycle(self) -> float:
        """DRAM bytes over the measured cycles."""
        return self.dram_bytes / self.measured

    @property
    def error(self) -> float:
        return abs(self.predicted - self.measured) / self.measured


def compare(shapes: list[Shape], target: str, seed: int = 0, latency: int = 0,
            ddr_bytes_per_cycle: float = 0.0) -> list[Comparison]:
    """Runs each shape on the RTL at `target` (one simulation per shape) and compares the
    layer's measured cycles with the model's; ddr_bytes_per_cycle > 0 limits the simulated
    DRAM to a board's shared DDR budget (tessel_dram_bandwidth) and the model with it."""
    config = load_config(target)
    # The simulated DRAM: reads pipeline, writes do not.
    memory = Memory(read_latency=latency, ddr_bytes_per_cycle=ddr_bytes_per_cycle)
    results = []
    for shape in progress(shapes, desc=f"cost model vs RTL [{target}]", unit="layer"):
        layer, x = graph(shape, seed)
        try:
            executable = build(layer, config, dram=memory)
        except TesselError as error:
            raise TesselError(f"{shape.name} does not compile for {target}: {error}") from error
        out, stats = run_images(executable, x, SimOptions(latency=latency,
                                                          ddr_bytes_per_cycle=ddr_bytes_per_cycle))
        want = golden.run(layer, x)
        if not np.array_equal(out.reshape(want.shape), want):
            raise TesselError(f"{shape.name} [{target}]: the RTL's output differs from the golden model")
        (cost,) = network_cost(executable, memory)
        (measured,) = stats[0]["layer_cycles"]
        results.append(Comparison(shape, target, len(cost.plan.tiles), cost.cycles, measured,
                                  cost.read_bytes + cost.write_bytes, cost.bound))
    return results


def fitting(shapes: list[Shape], target: str) -> list[Shape]:
    """The shapes a target can tile (tiny buffers refuse the wide ones, with a clear error)."""
    config, kept = load_config(target), []
    for shape in shapes:
        try:
            build(graph(shape, 0)[0], config)
            kept.append(shape)
        except TesselError:
            pass
    return kept


def table(results: list[Comparison]) -> str:
    return textable.table([[r.shape.name, r.target, r.tiles, r.measured, r.predicted,
                            f"{r.error:.3f}", r.bound, f"{r.bytes_per_cycle:.2f}"] for r in results],
                          ["layer", "target", "tiles", "measured", "model", "error", "bound",
                           "bytes/cycle"])
