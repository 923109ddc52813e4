"""Per-layer mapping: each layer's tile size and loop order, chosen by predicted cycles.

One fixed mapping wastes the array: a layer whose weights dwarf its activations wants them
loaded once (weight-stationary), one with a large input wants the opposite, and a layer that
fits one tile spends its DMA time with the core idle unless it is cut into tiles that
overlap. The mapper compares the tiling candidates (plan/tiling.py) with the cost model
and keeps the fastest; ties go to the plan that moves fewer bytes.
"""

from dataclasses import dataclass

from ..config import HardwareConfig
from ..plan.layers import HwLayer
from ..plan.shape import LayerShape, param_words
from ..plan.tiling import INPUT_OUTER, WEIGHTS_OUTER, TilePlan, candidates, largest_tile, walk
from ..plan.tiling_reasons import PredictedCycles
from .cost import Memory, Timing, layer_cost

# What the compile report's predicted cycles assume (build's default): the simulated DRAM,
# no read latency.
PLANNED_MEMORY = Memory()


@dataclass(frozen=True)
class LayerMapping:
    """How a hardware layer runs, as the mapper plans it."""
    plan: TilePlan
    predicted: PredictedCycles   # for the compile report's reasons (plan/tiling_reasons.py)


def best_plan(shape: LayerShape, param_words: int, config: HardwareConfig,
              memory: Memory = Memory(), timing: Timing = Timing(),
              source: str = "layer") -> TilePlan:
    def key(plan: TilePlan):
        cost = layer_cost(source, "", shape, plan, param_words, config, memory, timing)
        return cost.cycles, plan.dram_bytes
    return min(candidates(shape.geometry, config, source), key=key)


def map_layer(hw: HwLayer, shape: LayerShape, config: HardwareConfig, memory: Memory = Memory(),
              timing: Timing = Timing()) -> LayerMapping:
    """The layer's fastest tiling on `memory` (shape: plan.shape.layer_shape)."""
    words = param_words(hw, config)
    plan = best_plan(shape, words, config, memory, timing, source=hw.op.source)
    return LayerMapping(plan, _predicted(hw, shape, words, plan, config))


def _predicted(hw: HwLayer, shape: LayerShape, words: int, plan: TilePlan,
               config: HardwareConfig) -> PredictedCycles:
    def cost(p):
        return layer_cost(hw.name, "", shape, p, words, config, PLANNED_MEMORY).cycles
    rows, kgroups = largest_tile(shape.geometry, config, hw.op.source)
    largest = min((walk(shape.geometry, config, rows, kgroups, order)
                   for order in (WEIGHTS_OUTER, INPUT_OUTER)), key=lambda p: (cost(p), p.dram_bytes))
    return PredictedCycles(cost(plan), cost(largest), largest)
