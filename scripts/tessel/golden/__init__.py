"""The golden model: bit-exact integer execution of the quantized IR. It defines correct
output; the RTL must equal it byte for byte."""

import numpy as np
import torch

from ..ir import Graph
from .ops import golden_step


@torch.no_grad()
def run(graph: Graph, x_u8, keep: bool = False):
    """Run uint8 images (N, C, H, W) through the quantized graph.

    Returns the output as a uint8 numpy array (N, C, H, W) (a tuple of them, in order, for a
    graph with several outputs), or with keep=True a dict of every intermediate tensor by op
    name (the input under "input"). Host functions (graph.host_ops) are not applied here.
    """
    if not graph.is_quantized:
        raise ValueError(f"graph {graph.name!r} is not quantized")
    x = torch.as_tensor(np.asarray(x_u8))
    if x.dtype != torch.uint8 or x.dim() != 4 or tuple(x.shape[1:]) != graph.input_shape:
        raise ValueError(f"golden input must be uint8 (N, {', '.join(map(str, graph.input_shape))}); "
                         f"got {x.dtype} {tuple(x.shape)}")
    result = graph.run(x, golden_step(graph), keep=keep)
    if keep:
        return {name: value.numpy() for name, value in result.items()}
    if graph.extra_outputs:
        return tuple(value.numpy() for value in result)
    return result.numpy()
