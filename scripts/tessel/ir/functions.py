"""The float functions a Table op may carry: name -> f(x, *parameters) on float tensors.

The quantizer samples one at the 256 input codes to build the table; the float IR evaluates
it directly. Every entry is what PyTorch computes for the same layer.
"""

import torch
import torch.nn.functional as F


def _prelu(x: torch.Tensor, slope: float) -> torch.Tensor:
    return torch.where(x >= 0, x, slope * x)


FUNCTIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "silu": F.silu,
    "hardswish": F.hardswish,
    "hardsigmoid": F.hardsigmoid,
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "mish": F.mish,
    "elu": lambda x, alpha=1.0: F.elu(x, alpha),
    "softplus": lambda x, beta=1.0, threshold=20.0: F.softplus(x, beta, threshold),
    "prelu": _prelu,
    "hardtanh": lambda x, lo, hi: torch.clamp(x, lo, hi),
    "scale": lambda x, factor: x * factor,
    "offset": lambda x, offset: x + offset,
}


def apply_function(name: str, parameters: tuple, x: torch.Tensor) -> torch.Tensor:
    if name not in FUNCTIONS:
        raise ValueError(f"unknown table function {name!r}; known: {', '.join(FUNCTIONS)}")
    return FUNCTIONS[name](x, *parameters)
