"""The float reference of a table op, where PyTorch has no quantized operator of the same
arithmetic: the float32 function of the dequantized input, quantized to the output's QParams,
as a quantized tensor (so the cross-check treats it like PyTorch's quantized operators)."""

import numpy as np
import torch

from ..ir import QParams, Table
from ..ir.functions import apply_function


def table(op: Table, x: np.ndarray, in_q: QParams) -> torch.Tensor:
    real = torch.from_numpy(in_q.dequantize(x))  # float32, as PyTorch's float model computes
    y = apply_function(op.function, op.parameters, real)
    return torch.quantize_per_tensor(y, op.out_q.scale, op.out_q.zero_point, torch.quint8)
