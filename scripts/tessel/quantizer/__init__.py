"""Post-training quantization: uint8 activations, int8 per-channel weights, int32 bias and
fixed-point requantization (docs/quantization.md)."""

import torch

from ..ir import Graph
from .calibrate import calibrate
from .observers import OBSERVERS
from .quantize import quantize_graph


def quantize(graph: Graph, calibration_data: torch.Tensor, observer: str = "minmax") -> Graph:
    """Calibrate the float graph and fill in its integer parameters (in place)."""
    return quantize_graph(graph, calibrate(graph, calibration_data, observer))


__all__ = ["quantize", "calibrate", "quantize_graph", "OBSERVERS"]
