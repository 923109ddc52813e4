"""Fuse a ReLU or ReLU6 into the convolution, add or scale-shift that feeds it.

A fused activation is a clamp on the op's own output (docs/quantization.md), so the op's
output range is observed after the activation, as PyTorch's ConvReLU2d and add_relu do.
A ReLU after a max pool moves in front of it first (max and relu commute exactly), because
`relu(max_pool(conv(x)))` is how many models are written. LeakyReLU is not fused: it keeps
its own output scale, like PyTorch's quantized leaky_relu.
"""

from ...ir import ActivationOp, Add, Conv2d, Graph, MaxPool, Op, ScaleShift

FUSABLE_INTO = (Conv2d, Add, ScaleShift)


def _sole_producer(graph: Graph, op: Op) -> Op | None:
    """The op feeding `op`, if `op` is its only consumer and it is not a graph output."""
    producer = next((p for p in graph.ops if p.name == op.inputs[0]), None)
    if producer is None or producer.name in graph.outputs:
        return None
    return producer if len(graph.consumers(producer.name)) == 1 else None


def _target(graph: Graph, op: ActivationOp) -> Op | None:
    producer = _sole_producer(graph, op)
    if isinstance(producer, MaxPool):
        producer = _sole_producer(graph, producer)
    if isinstance(producer, FUSABLE_INTO) and producer.activation.kind == "none":
        return producer
    return None


def match(graph: Graph, op: Op) -> bool:
    return (isinstance(op, ActivationOp) and op.activation.kind in ("relu", "relu6")
            and _target(graph, op) is not None)


def transform(graph: Graph, op: ActivationOp) -> None:
    target = _target(graph, op)
    target.activation = op.activation
    graph.remove(op, op.inputs[0])
