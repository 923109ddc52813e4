"""Per-layer mapping: each layer's tile size and loop order, chosen by predicted cycles.

One fixed mapping wastes the array: a layer whose weights dwarf its activations wants them
loaded once (weight-stationary), one with a large input wants the opposite, and a layer that
fits one tile spends its DMA time with the core idle unless it is cut into tiles that
overlap. The mapper compares the tiling candidates (backend/tiling.py) with the cost model
and keeps the fastest; ties go to the plan that moves fewer bytes.
"""

from ..backend.tiling import TilePlan, candidates
from ..config import HardwareConfig
from .cost import LayerShape, Memory, Timing, layer_cost


def best_plan(shape: LayerShape, param_words: int, config: HardwareConfig,
              memory: Memory = Memory(), timing: Timing = Timing(),
              source: str = "layer") -> TilePlan:
    def key(plan: TilePlan):
        cost = layer_cost(source, "", shape, plan, param_words, config, memory, timing)
        return cost.cycles, plan.dram_bytes
    return min(candidates(shape.geometry, config, source), key=key)
