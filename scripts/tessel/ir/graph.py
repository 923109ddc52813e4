"""The network as a list of ops in execution order, plus one walker that every executor shares."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .ops import Op
from .qparams import QParams

INPUT = "input"


@dataclass(eq=False)
class Graph:
    name: str
    input_shape: tuple[int, int, int]  # channels, height, width of one image
    ops: list[Op]                      # topological order
    output: str                        # name of the op whose tensor is the network output
    output_shape: tuple[int, ...]      # per-image shape PyTorch gives the output, e.g. (10,)
    input_q: QParams | None = field(default=None)
    # A model returning several tensors: the second and later outputs (the first is `output`).
    extra_outputs: list[str] = field(default_factory=list, kw_only=True)
    extra_output_shapes: list[tuple[int, ...]] = field(default_factory=list, kw_only=True)
    # Functions the host applies to an output (by position) after the accelerator: "softmax"
    # or "argmax" over dim 1 of the model-shaped output (docs/quantization.md).
    host_ops: dict[int, str] = field(default_factory=dict, kw_only=True)

    # ---- lookup --------------------------------------------------------------------------
    def op(self, name: str) -> Op:
        for op in self.ops:
            if op.name == name:
                return op
        raise KeyError(f"graph {self.name!r} has no op {name!r}")

    def shape_of(self, name: str) -> tuple[int, int, int]:
        return self.input_shape if name == INPUT else self.op(name).out_shape

    def qparams_of(self, name: str) -> QParams:
        q = self.input_q if name == INPUT else self.op(name).out_q
        if q is None:
            raise ValueError(f"{name!r} has no quantization parameters: quantize the graph first")
        return q

    @property
    def outputs(self) -> list[str]:
        return [self.output, *self.extra_outputs]

    @property
    def output_shapes(self) -> list[tuple[int, ...]]:
        return [self.output_shape, *self.extra_output_shapes]

    def consumers(self, name: str) -> list[Op]:
        return [op for op in self.ops if name in op.inputs]

    @property
    def is_quantized(self) -> bool:
        return self.input_q is not None and all(op.out_q is not None for op in self.ops)

    # ---- editing (used by passes) --------------------------------------------------------
    def remove(self, op: Op, replacement: str) -> None:
        """Drop `op`, rewiring its consumers (and the output) to `replacement`."""
        self.ops.remove(op)
        for other in self.ops:
            other.inputs = [replacement if i == op.name else i for i in other.inputs]
        if self.output == op.name:
            self.output = replacement
        self.extra_outputs = [replacement if o == op.name else o for o in self.extra_outputs]

    def check(self) -> None:
        """Names unique, every input defined before use, the output defined."""
        defined = {INPUT}
        for op in self.ops:
            if op.name in defined:
                raise ValueError(f"duplicate op name {op.name!r}")
            missing = [i for i in op.inputs if i not in defined]
            if missing:
                raise ValueError(f"op {op.name!r} reads {missing} before they are computed")
            defined.add(op.name)
        for output in self.outputs:
            if output not in defined:
                raise ValueError(f"graph output {output!r} is not computed")
        if len(self.extra_outputs) != len(self.extra_output_shapes):
            raise ValueError("extra_outputs and extra_output_shapes differ in length")

    # ---- execution -----------------------------------------------------------------------
    def run(self, x: Any, step: Callable[[Op, list[Any]], Any], keep: bool = False) -> Any:
        """Evaluate the graph: step(op, input_values) -> output value.

        Values are freed after their last use unless keep=True, in which case a dict of every
        value (by name, with the input as INPUT) is returned instead of the output alone.
        A graph with several outputs returns them as a tuple, in order.
        """
        last_use = {}
        for index, op in enumerate(self.ops):
            for name in op.inputs:
                last_use[name] = index
        values = {INPUT: x}
        for index, op in enumerate(self.ops):
            values[op.name] = step(op, [values[name] for name in op.inputs])
            if not keep:
                for name in set(op.inputs):
                    if last_use[name] == index and name not in self.outputs:
                        del values[name]
        if keep:
            return values
        return tuple(values[o] for o in self.outputs) if self.extra_outputs else values[self.output]
