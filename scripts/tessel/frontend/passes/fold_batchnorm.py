"""Fold a BatchNorm (a ScaleShift) into the convolution before it.

conv(x, w, b) * scale + shift == conv(x, w * scale, b * scale + shift) per output channel,
so the BatchNorm costs nothing at run time. A BatchNorm with no convolution of its own
before it (e.g. after an activation) stays a ScaleShift op.
"""

from ...ir import Conv2d, Graph, Op, ScaleShift


def match(graph: Graph, op: Op) -> bool:
    if not isinstance(op, ScaleShift) or op.activation.kind != "none":
        return False
    producer = next((p for p in graph.ops if p.name == op.inputs[0]), None)
    return (isinstance(producer, Conv2d) and producer.activation.kind == "none"
            and len(graph.consumers(producer.name)) == 1 and producer.name not in graph.outputs)


def transform(graph: Graph, op: ScaleShift) -> None:
    conv = graph.op(op.inputs[0])
    conv.weight = (conv.weight * op.scale[:, None, None, None]).astype(conv.weight.dtype)
    conv.bias = (conv.bias * op.scale + op.shift).astype(conv.bias.dtype)
    conv.source += f" + {op.source}"
    graph.remove(op, conv.name)
