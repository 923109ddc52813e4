"""From a quantized graph to an Executable: the plan's hardware layers, each one's tiling chosen
by the mapper's cost model, its bytes written by the back end."""

from .backend.core_tile import layer_image
from .backend.executable import CompiledLayer, Executable, assemble
from .config import HardwareConfig
from .ir import Graph
from .mapper.cost import Memory
from .mapper.mapping import map_layer
from .plan.layers import hardware_layers
from .plan.shape import layer_shape


def build(graph: Graph, config: HardwareConfig, reuse_memory: bool = True,
          dram: Memory = Memory()) -> Executable:
    """dram: the memory the mapper plans each layer's tiling for."""
    compiled = []
    for hw in hardware_layers(graph, config):
        shape = layer_shape(hw, graph, config)
        image = layer_image(config, graph, hw.op, shape, hw.fused_add)
        mapping = map_layer(hw, shape, config, dram)
        compiled.append(CompiledLayer(hw, image, shape, mapping.plan, mapping.predicted))
    return assemble(graph, config, compiled, reuse_memory)
