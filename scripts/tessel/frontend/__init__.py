"""Front end: PyTorch model -> IR (capture, translate, fold BatchNorm, fuse activations)."""

import torch

from ..errors import InputTypeError
from ..ir import Graph
from .export import capture, Translator
from .inputs import check_model, image_batch
from .passes import run_passes


def import_model(model: torch.nn.Module, example: torch.Tensor, name: str | None = None) -> Graph:
    """Translate a float model in eval mode into the (not yet quantized) IR. `example`: float
    images (N, C, H, W) of the shape the model takes (checked here, with the model)."""
    check_model(model)
    example = image_batch(example, "the calibration data")
    if name is not None and not isinstance(name, str):
        raise InputTypeError(f"name must be a string or None; got {type(name).__name__}")
    program = capture(model, example)
    graph = Translator(program, name or type(model).__name__, type(model).__name__).run()
    return run_passes(graph)
