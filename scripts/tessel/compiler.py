"""tessel.compile: PyTorch model + calibration batch -> CompiledNetwork."""

import torch

from .config import HardwareConfig, load_config
from .frontend import import_model
from .network import CompiledNetwork
from .quantizer import calibrate, check_observer, quantize_graph


def compile(model: torch.nn.Module, calibration_data: torch.Tensor,
            target: str | HardwareConfig = "zcu104",
            observer: str = "minmax", name: str | None = None) -> CompiledNetwork:  # noqa: A001
    """Import, quantize and prepare a model for a hardware target.

    model            a float torch.nn.Module in eval mode
    calibration_data float images (N, C, H, W) representative of real inputs
    target           a configuration name in configs/, the path of one, or a HardwareConfig
    observer         range observer: "minmax", "percentile" or "mse"

    The cheap checks (target, observer) come before the model is captured; import_model
    checks the model and the data, once.
    """
    config = target if isinstance(target, HardwareConfig) else load_config(target)
    check_observer(observer)
    graph = import_model(model, calibration_data, name)
    quantize_graph(graph, calibrate(graph, torch.as_tensor(calibration_data), observer))
    return CompiledNetwork(graph, config, observer)
