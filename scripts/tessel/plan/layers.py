"""From IR ops to hardware layers: one layer per op, except a convolution whose only consumer is
a residual add, which runs as one layer (the add in the post-processing unit's stage B), and a
first convolution over few channels, whose input the host writes with its kernel taps packed
(input_packing.py)."""

from dataclasses import dataclass

from ..config import HardwareConfig
from ..errors import UnsupportedModelError
from ..ir import INPUT, ActivationOp, Add, AvgPool, Conv2d, Graph, MaxPool, Op, ScaleShift
from .input_packing import packed_conv, worth_packing


@dataclass
class HwLayer:
    index: int
    op: Op                   # the op the core runs (a packed convolution for a packed input)
    inputs: list[str]        # tensors read: the op's input (+ the residual / second addend)
    output: str              # tensor written: the name of the last IR op of the layer
    fused_add: Add | None = None
    packed_input: bool = False
    source_op: Op | None = None  # the IR op before input packing

    @property
    def name(self) -> str:
        return self.output if self.fused_add is None else f"{self.op.name}+{self.fused_add.name}"

    def describe(self) -> str:
        text = self.op.describe() + (" +residual" if self.fused_add is not None else "")
        return text + (" (input taps packed)" if self.packed_input else "")


def _fusable_add(graph: Graph, op: Op, position: dict, absorbed: set) -> Add | None:
    """The residual add `op` can run with: the conv's only consumer, not yet fused, whose
    other operand is already computed when the conv runs (in a bottleneck with a projection
    shortcut, the later of the two convolutions feeding the add)."""
    consumers = graph.consumers(op.name)
    if not (isinstance(op, Conv2d) and len(consumers) == 1 and isinstance(consumers[0], Add)):
        return None
    add = consumers[0]
    if op.name == graph.output or add.name in absorbed or add.inputs.count(op.name) != 1:
        return None
    other = add.inputs[1] if add.inputs[0] == op.name else add.inputs[0]
    return add if position.get(other, -1) < position[op.name] else None


RUNS = (Conv2d, Add, MaxPool, AvgPool, ScaleShift, ActivationOp)  # what the accelerator runs


def check_runs(graph: Graph) -> None:
    """Refuse, naming the layer, what the golden model runs but the accelerator does not yet."""
    for op in graph.ops:
        conv_form = isinstance(op, Conv2d) and (
            op.groups != 1 or op.dilation != (1, 1) or any(s not in (1, 2) for s in op.stride)
            or (max(op.kernel) > 7 and not op.from_linear))  # a Linear's kernel is its input
        if not isinstance(op, RUNS) or conv_form:
            raise UnsupportedModelError(
                f"{op.source}: the accelerator does not run {op.describe()} ({op.kind}"
                f"{', groups/dilation/kernel over 7x7/stride over 2' if conv_form else ''}) yet; "
                "the golden model does (backend='golden')")
    if graph.extra_outputs or graph.host_ops:
        what = "several outputs" if graph.extra_outputs else \
            f"a host {', '.join(graph.host_ops.values())} on its output"
        raise UnsupportedModelError(f"{graph.name}: the accelerator's program does not take a "
                                    f"model with {what} yet; the golden model does "
                                    "(backend='golden')")


def hardware_layers(graph: Graph, config: HardwareConfig) -> list[HwLayer]:
    check_runs(graph)
    layers, absorbed = [], set()
    position = {op.name: i for i, op in enumerate(graph.ops)}
    for op in graph.ops:
        if op.name in absorbed:
            continue
        add = _fusable_add(graph, op, position, absorbed)
        if add is not None:
            other = add.inputs[1] if add.inputs[0] == op.name else add.inputs[0]
            layers.append(HwLayer(len(layers), op, [op.inputs[0], other], add.name, fused_add=add))
            absorbed.add(add.name)
        elif (isinstance(op, Conv2d) and op.inputs[0] == INPUT and len(graph.consumers(INPUT)) == 1
              and worth_packing(op, config.array.c_p)):
            layers.append(HwLayer(len(layers), packed_conv(op), list(op.inputs), op.name,
                                  packed_input=True, source_op=op))
        else:
            layers.append(HwLayer(len(layers), op, list(op.inputs), op.name))
    return layers
