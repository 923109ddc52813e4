"""Post-training quantization: uint8 activations, int8 per-channel weights, int32 bias and
fixed-point requantization (docs/quantization.md)."""

import torch

from ..frontend.inputs import image_batch
from ..ir import Graph
from .calibrate import calibrate
from .observers import OBSERVERS, check_observer
from .quantize import quantize_graph


def quantize(graph: Graph, calibration_data: torch.Tensor, observer: str = "minmax") -> Graph:
    """Calibrate the float graph and fill in its integer parameters (in place). The data are
    checked here: float images of the graph's input shape, none empty, NaN or Inf."""
    check_observer(observer)
    data = image_batch(calibration_data, "the calibration data", graph.input_shape)
    return quantize_graph(graph, calibrate(graph, data, observer))


__all__ = ["quantize", "calibrate", "quantize_graph", "check_observer", "OBSERVERS"]
