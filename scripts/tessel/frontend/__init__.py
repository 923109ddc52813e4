"""Front end: PyTorch model -> IR (capture, translate, fold BatchNorm, fuse activations)."""

import torch

from ..ir import Graph
from .export import capture, Translator
from .passes import run_passes


def import_model(model: torch.nn.Module, example: torch.Tensor, name: str | None = None) -> Graph:
    """Translate a float model in eval mode into the (not yet quantized) IR."""
    program = capture(model, example)
    graph = Translator(program, name or type(model).__name__, type(model).__name__).run()
    return run_passes(graph)
