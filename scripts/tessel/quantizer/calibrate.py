"""Run the float IR over the calibration batch and observe the range of every tensor that
gets its own quantization parameters."""

import torch

from ..errors import InputError
from ..ir import (INPUT, ActivationOp, Add, Concat, Conv2d, ConvTranspose2d, Graph, Mul, Op, QParams,
                  ScaleShift, Table)
from ..ir.float_eval import float_step
from ..progress import progress
from .observers import make_observer


def owns_range(op: Op) -> bool:
    """Ops that requantize get their own output range; pooling, upsampling, ReLU and ReLU6
    keep their input's QParams (as PyTorch's quantized max/avg pool, upsample and relu do)."""
    if isinstance(op, ActivationOp):
        return op.activation.kind == "leaky_relu"
    return isinstance(op, (Conv2d, Add, ScaleShift, ConvTranspose2d, Concat, Mul, Table))


@torch.no_grad()
def calibrate(graph: Graph, data: torch.Tensor, observer: str = "minmax",
              batch_size: int = 64) -> dict[str, QParams]:
    """QParams of the graph input and of every op that owns its output range."""
    observers = {INPUT: make_observer(observer)}
    observers.update({op.name: make_observer(observer) for op in graph.ops if owns_range(op)})

    def observe(op, inputs):
        value = float_step(op, inputs)
        if op.name in observers:
            observers[op.name].update(value)
        return value

    data = data.float()
    starts = range(0, data.shape[0], batch_size)
    for start in progress(starts, desc=f"calibrating {graph.name}", unit="batch"):
        batch = data[start:start + batch_size]
        observers[INPUT].update(batch)
        graph.run(batch, observe)
    if observers[INPUT].lo == observers[INPUT].hi == 0:
        raise InputError(f"the calibration data of {graph.name} is all zeros: it gives the input "
                         "no range to quantize")
    return {name: obs.qparams() for name, obs in observers.items()}
